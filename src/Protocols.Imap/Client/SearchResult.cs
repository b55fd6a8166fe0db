using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap;

/// <summary>What a SEARCH found: the numbers, and MIN, MAX and COUNT when the server replied with ESEARCH.</summary>
public sealed class SearchResult
{
    internal SearchResult(IReadOnlyList<uint> numbers, uint? min, uint? max, uint? count, ulong? modSeq)
    {
        Numbers = numbers;
        Min = min;
        Max = max;
        Count = count ?? (uint)numbers.Count;
        ModSeq = modSeq;
    }

    /// <summary>UIDs for a UID SEARCH, else sequence numbers, in ascending order.</summary>
    public IReadOnlyList<uint> Numbers { get; }

    public uint? Min { get; }

    public uint? Max { get; }

    public uint Count { get; }

    /// <summary>The highest mod-sequence of the found messages when the search used MODSEQ (RFC 7162).</summary>
    public ulong? ModSeq { get; }
}

/// <summary>How STORE changes flags (RFC 9051 section 6.4.6).</summary>
public enum StoreAction
{
    /// <summary>+FLAGS: adds the flags.</summary>
    Add,

    /// <summary>-FLAGS: removes the flags.</summary>
    Remove,

    /// <summary>FLAGS: replaces all flags.</summary>
    Replace,
}

/// <summary>The outcome of a STORE: the FETCH data the server sent and the messages a conditional STORE skipped.</summary>
public sealed class StoreResult
{
    internal StoreResult(IReadOnlyList<FetchResponse> updated, SequenceSet? modified)
    {
        Updated = updated;
        Modified = modified;
    }

    public IReadOnlyList<FetchResponse> Updated { get; }

    /// <summary>MODIFIED (RFC 7162 section 3.1.3): messages changed since UNCHANGEDSINCE and left alone.</summary>
    public SequenceSet? Modified { get; }
}

/// <summary>What APPEND returned: with UIDPLUS (RFC 4315) the UIDVALIDITY and UID of the new message.</summary>
public sealed record AppendResult(uint? UidValidity, uint? Uid);

/// <summary>
/// What the client remembers of a mailbox for a QRESYNC select (RFC 7162 section 3.2.5): the UIDVALIDITY and
/// HIGHESTMODSEQ of the last session and, optionally, the UIDs it has seen.
/// </summary>
public sealed record QResyncParameters(uint UidValidity, ulong ModSeq, SequenceSet? KnownUids = null)
{
    internal string Format()
    {
        string text = "(QRESYNC (" + UidValidity.ToString(System.Globalization.CultureInfo.InvariantCulture) + " "
            + ModSeq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (KnownUids is not null)
        {
            text += " " + KnownUids;
        }

        return text + "))";
    }
}

/// <summary>
/// What a UID FETCH with CHANGEDSINCE and VANISHED returned (RFC 7162 section 3.2.6): the changed messages and the
/// UIDs expunged since the given mod-sequence.
/// </summary>
public sealed class FetchChanges
{
    internal FetchChanges(IReadOnlyList<FetchResponse> messages, SequenceSet vanished)
    {
        Messages = messages;
        Vanished = vanished;
    }

    public IReadOnlyList<FetchResponse> Messages { get; }

    /// <summary>The UIDs the server reported in VANISHED (EARLIER); empty when none.</summary>
    public SequenceSet Vanished { get; }
}
