using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap;

/// <summary>The kind of untagged data a command collects as its result.</summary>
internal enum ResultKind
{
    None,

    /// <summary>FETCH data of the command's message set (FETCH, STORE).</summary>
    Fetch,

    /// <summary>SEARCH data, or ESEARCH data correlated by the command's tag.</summary>
    Search,

    /// <summary>LIST or LSUB data, and with LIST-STATUS the STATUS data of every listed mailbox.</summary>
    List,

    /// <summary>STATUS data of one mailbox.</summary>
    Status,

    Id,

    Namespace,

    /// <summary>An untagged OK with COPYUID, which MOVE sends before its expunges (RFC 6851 section 4.3).</summary>
    CopyUid,
}

/// <summary>
/// Whether a command may be in flight together with others (RFC 9051 section 5.5), and which untagged responses
/// are its results so that the reader can route them when several commands are in flight.
/// </summary>
internal sealed class PipelineRules
{
    private static readonly PipelineRules s_default = new();

    /// <summary>Runs alone: earlier commands complete first and later ones wait until it is done.</summary>
    public bool Exclusive { get; init; }

    /// <summary>Names messages by sequence number, so an EXPUNGE during another command makes it ambiguous.</summary>
    public bool UsesSequenceNumbers { get; init; }

    /// <summary>
    /// The server must not send EXPUNGE while it runs: FETCH, STORE and SEARCH by sequence number
    /// (RFC 9051 section 7.5.1). Every other command may report expunges.
    /// </summary>
    public bool ExpungeFree { get; init; }

    public ResultKind Results { get; init; }

    /// <summary>The messages a FETCH or STORE names; null when it names none.</summary>
    public SequenceSet? MessageSet { get; init; }

    /// <summary>The mailbox of a STATUS, in its wire form; null for LIST-STATUS, which reports every mailbox.</summary>
    public string? StatusMailbox { get; init; }

    /// <summary>ESEARCH results carry the command's tag (RFC 4731 section 3.1), so searches need not wait.</summary>
    public bool TagCorrelated { get; init; }

    /// <summary>Streams a body literal to a caller's stream, so no other FETCH may be in flight with it.</summary>
    public bool StreamsBody { get; init; }

    /// <summary>A UID FETCH with the VANISHED modifier, which collects VANISHED (EARLIER) data.</summary>
    public bool CollectsVanished { get; init; }

    /// <summary>A LIST with RETURN (STATUS ...) (RFC 5819), which collects the STATUS data of every mailbox.</summary>
    public bool ListsStatus { get; init; }

    public static PipelineRules ExclusiveCommand { get; } = new() { Exclusive = true };

    /// <summary>Returns the rules of a command that names no messages and no mailbox to report on.</summary>
    public static PipelineRules ForName(string name)
    {
        return name switch
        {
            "STARTTLS" or "AUTHENTICATE" or "LOGIN" or "COMPRESS" or "IDLE" or "SELECT" or "EXAMINE" or "CLOSE"
                or "UNSELECT" or "LOGOUT" or "ENABLE" => ExclusiveCommand,
            "ID" => new PipelineRules { Results = ResultKind.Id },
            "NAMESPACE" => new PipelineRules { Results = ResultKind.Namespace },
            "LIST" or "LSUB" => new PipelineRules { Results = ResultKind.List },
            // COPY reports COPYUID in its tagged completion, so only MOVE collects untagged data.
            "UID MOVE" => new PipelineRules { Results = ResultKind.CopyUid },
            "MOVE" => new PipelineRules { Results = ResultKind.CopyUid, UsesSequenceNumbers = true },
            "COPY" => new PipelineRules { UsesSequenceNumbers = true },
            _ => s_default,
        };
    }

    /// <summary>Returns the rules of a FETCH or STORE of <paramref name="set"/>.</summary>
    public static PipelineRules ForMessages(SequenceSet set, bool uid, bool streamsBody = false,
        bool collectsVanished = false)
    {
        return new PipelineRules
        {
            Results = ResultKind.Fetch,
            MessageSet = set,
            UsesSequenceNumbers = !uid,
            ExpungeFree = !uid,
            StreamsBody = streamsBody,
            CollectsVanished = collectsVanished,
        };
    }

    public static PipelineRules ForSearch(bool uid, bool tagCorrelated)
    {
        return new PipelineRules
        {
            Results = ResultKind.Search,
            UsesSequenceNumbers = !uid,
            ExpungeFree = !uid,
            TagCorrelated = tagCorrelated,
        };
    }

    public static PipelineRules ForStatus(string encodedMailbox)
    {
        return new PipelineRules { Results = ResultKind.Status, StatusMailbox = encodedMailbox };
    }

    /// <summary>
    /// Whether <paramref name="response"/> is the kind of data this command returns. Everything else has already
    /// updated the session state and raised its event, so keeping it would only let a server grow the command's
    /// memory without bound, for example with a flood of untagged OK lines.
    /// </summary>
    public bool Collects(ImapResponse response)
    {
        return Results switch
        {
            ResultKind.Fetch => response is FetchResponse,
            ResultKind.Search => response is SearchResponse or ESearchResponse,
            ResultKind.List => response is MailboxInfo || (ListsStatus && response is MailboxStatus),
            ResultKind.Status => response is MailboxStatus,
            ResultKind.Id => response is IdResponse,
            ResultKind.Namespace => response is NamespaceResponse,
            ResultKind.CopyUid => response is UntaggedStatusResponse { Code: CopyUidResponseCode },
            _ => false,
        };
    }

    /// <summary>Whether this command and <paramref name="other"/> must not be in flight at the same time.</summary>
    public bool ConflictsWith(PipelineRules other)
    {
        if (Exclusive || other.Exclusive)
        {
            return true;
        }

        // RFC 9051 section 5.5: a command by sequence number must not be pipelined with a command during which the
        // server may send EXPUNGE, because the numbers would mean different messages before and after it.
        if ((UsesSequenceNumbers && !other.ExpungeFree) || (other.UsesSequenceNumbers && !ExpungeFree))
        {
            return true;
        }

        if ((CollectsVanished && other.CollectsVanished)
            || (ListsStatus && other.Results == ResultKind.Status)
            || (other.ListsStatus && Results == ResultKind.Status))
        {
            return true;
        }

        return Results == other.Results && ResultsAreIndistinguishable(other);
    }

    private bool ResultsAreIndistinguishable(PipelineRules other)
    {
        switch (Results)
        {
            case ResultKind.None:
                return false;
            case ResultKind.Fetch:
                return StreamsBody || other.StreamsBody || UsesSequenceNumbers != other.UsesSequenceNumbers
                    || MayOverlap(MessageSet, other.MessageSet);
            case ResultKind.Search:
                return !(TagCorrelated && other.TagCorrelated);
            case ResultKind.Status:
                // The replies to two STATUS of one mailbox may come in either order, and their data looks the same.
                return StatusMailbox is null || other.StatusMailbox is null
                    || string.Equals(StatusMailbox, other.StatusMailbox, StringComparison.Ordinal);
            default:
                return true;
        }
    }

    /// <summary>Whether the message set contains <paramref name="number"/>; a set with <c>*</c> contains any.</summary>
    public bool Contains(uint number)
    {
        if (MessageSet is null)
        {
            return false;
        }

        foreach (SequenceRange range in MessageSet.Ranges)
        {
            (uint low, uint high) = Bounds(range);
            if (number >= low && number <= high)
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayOverlap(SequenceSet? first, SequenceSet? second)
    {
        if (first is null || second is null)
        {
            return true;
        }

        foreach (SequenceRange a in first.Ranges)
        {
            (uint aLow, uint aHigh) = Bounds(a);
            foreach (SequenceRange b in second.Ranges)
            {
                (uint bLow, uint bHigh) = Bounds(b);
                if (aLow <= bHigh && bLow <= aHigh)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The numbers a range may cover. <c>*</c> is the largest number in use, which may be below the other end, so a
    /// range with <c>*</c> may cover any number.
    /// </summary>
    private static (uint Low, uint High) Bounds(SequenceRange range)
    {
        if (range.Start == uint.MaxValue || range.End == uint.MaxValue)
        {
            return (0, uint.MaxValue);
        }

        return (Math.Min(range.Start, range.End), Math.Max(range.Start, range.End));
    }
}
