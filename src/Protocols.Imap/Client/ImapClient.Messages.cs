using System.Globalization;
using System.Threading.Channels;
using RawMail.Protocols.Imap.Commands;
using RawMail.Protocols.Imap.Model;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

public sealed partial class ImapClient
{
    // How many FETCH responses FetchStreamAsync buffers ahead of its consumer before the reader waits.
    private const int FetchStreamCapacity = 256;

    /// <summary>
    /// Searches the selected mailbox (RFC 9051 section 6.4.4). With ESEARCH (RFC 4731) it requests
    /// <c>RETURN (MIN MAX COUNT ALL)</c>. Non-ASCII values add <c>CHARSET UTF-8</c> unless UTF8=ACCEPT is on.
    /// </summary>
    public async Task<SearchResult> SearchAsync(SearchQuery query, bool uid = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ImapCommand command = NewCommand(uid ? "UID SEARCH" : "SEARCH");
        bool extended = HasCapability("ESEARCH");
        if (extended)
        {
            command.AppendRaw(" RETURN (MIN MAX COUNT ALL)");
        }

        if (query.HasNonAscii && !IsUtf8Enabled)
        {
            command.AppendRaw(" CHARSET UTF-8");
        }

        command.Space();
        query.AppendTo(command);
        var context = new CommandContext(command) { Rules = PipelineRules.ForSearch(uid, tagCorrelated: extended) };
        await ExecuteAsync(command, cancellationToken, context).ConfigureAwait(false);
        if (context.OfType<ESearchResponse>().LastOrDefault() is { } esearch)
        {
            uint[] all = esearch.All is null ? [] : [.. esearch.All.Enumerate()];
            return new SearchResult(all, esearch.Min, esearch.Max, esearch.Count, esearch.ModSeq);
        }

        var numbers = new List<uint>();
        ulong? modSeq = null;
        foreach (SearchResponse search in context.OfType<SearchResponse>())
        {
            numbers.AddRange(search.Numbers);
            modSeq = search.ModSeq ?? modSeq;
        }

        numbers.Sort();
        return new SearchResult(numbers, numbers.Count > 0 ? numbers[0] : null,
            numbers.Count > 0 ? numbers[^1] : null, null, modSeq);
    }

    /// <summary>Fetches data of the messages in <paramref name="set"/> and returns it in server order.</summary>
    public async Task<IReadOnlyList<FetchResponse>> FetchAsync(SequenceSet set, FetchRequest request,
        bool uid = true, CancellationToken cancellationToken = default)
    {
        var results = new List<FetchResponse>();
        CommandContext context = new(BuildFetch(set, request, uid))
        {
            Rules = PipelineRules.ForMessages(set, uid),
            OnUntagged = response =>
            {
                if (response is FetchResponse fetch)
                {
                    results.Add(fetch);
                }
            },
        };
        await ExecuteAsync(context.Command, cancellationToken, context).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Fetches like <see cref="FetchAsync"/> but hands each message to the caller as it arrives. While the loop body
    /// runs, up to 256 messages wait in a buffer and then the reader waits too, which holds back the responses of
    /// every other command: do not wait for another command of this client inside the loop. Stopping early drops
    /// the rest of the messages, and the command completes in the background.
    /// </summary>
    public async IAsyncEnumerable<FetchResponse> FetchStreamAsync(SequenceSet set, FetchRequest request,
        bool uid = true,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<FetchResponse>(
            new BoundedChannelOptions(FetchStreamCapacity) { SingleReader = true, SingleWriter = true });
        using var stopped = new CancellationTokenSource();
        var context = new CommandContext(BuildFetch(set, request, uid))
        {
            Rules = PipelineRules.ForMessages(set, uid),
            FetchSink = channel.Writer,
            FetchSinkStopped = stopped.Token,
        };
        PendingCommand pending = Submit(context);
        Task run = RunThenCompleteAsync(pending, channel.Writer, cancellationToken);
        try
        {
            await foreach (FetchResponse fetch in channel.Reader.ReadAllAsync(cancellationToken)
                .ConfigureAwait(false))
            {
                yield return fetch;
            }

            await run.ConfigureAwait(false);
        }
        finally
        {
            if (!run.IsCompleted)
            {
                // The caller stopped early: the reader drops the rest of the responses so the session stays in step.
                pending.Abandon();
                await stopped.CancelAsync().ConfigureAwait(false);
            }
        }

        ThrowIfFailed(context);
    }

    private async Task RunThenCompleteAsync(PendingCommand pending, ChannelWriter<FetchResponse> writer,
        CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    /// <summary>
    /// Fetches the messages among <paramref name="uids"/> changed since <paramref name="changedSince"/> and the UIDs
    /// among them expunged since then, with <c>UID FETCH ... (CHANGEDSINCE m VANISHED)</c> (RFC 7162 section
    /// 3.2.6). Enable QRESYNC with <see cref="EnableAsync"/> first.
    /// </summary>
    /// <exception cref="InvalidOperationException">QRESYNC is not enabled.</exception>
    public async Task<FetchChanges> FetchChangesAsync(SequenceSet uids, FetchRequest request, ulong changedSince,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(request);
        if (!_enabled.Contains("QRESYNC"))
        {
            throw new InvalidOperationException("Enable QRESYNC with EnableAsync before fetching with VANISHED.");
        }

        var changed = new FetchRequest(request.Items, [.. request.Bodies])
        {
            ChangedSince = changedSince,
            Vanished = true,
        };
        var messages = new List<FetchResponse>();
        var vanished = new List<SequenceSet>();
        var context = new CommandContext(BuildFetch(uids, changed, uid: true))
        {
            Rules = PipelineRules.ForMessages(uids, uid: true, collectsVanished: true),
            OnUntagged = response =>
            {
                if (response is FetchResponse fetch)
                {
                    messages.Add(fetch);
                }
                else if (response is VanishedResponse { IsEarlier: true } earlier)
                {
                    vanished.Add(earlier.Uids);
                }
            },
        };
        await ExecuteAsync(context.Command, cancellationToken, context).ConfigureAwait(false);
        SequenceSet vanishedUids = new([.. vanished.SelectMany(static set => set.Ranges)]);
        return new FetchChanges(messages, vanishedUids);
    }

    private ImapCommand BuildFetch(SequenceSet set, FetchRequest request, bool uid)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(request);
        return NewCommand(uid ? "UID FETCH" : "FETCH").Space().AppendRaw(set.ToString()).Space()
            .AppendRaw(request.Format());
    }

    /// <summary>
    /// Changes flags (RFC 9051 section 6.4.6). <paramref name="silent"/> uses .SILENT; <paramref name="unchangedSince"/>
    /// makes the store conditional (RFC 7162 section 3.1.3).
    /// </summary>
    public async Task<StoreResult> StoreAsync(SequenceSet set, StoreAction action, MessageFlags flags,
        IEnumerable<string>? keywords = null, bool silent = false, ulong? unchangedSince = null, bool uid = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ImapCommand command = NewCommand(uid ? "UID STORE" : "STORE").Space().AppendRaw(set.ToString()).Space();
        if (unchangedSince is { } modSeq)
        {
            command.AppendRaw("(UNCHANGEDSINCE " + modSeq.ToString(CultureInfo.InvariantCulture) + ") ");
        }

        string verb = action switch
        {
            StoreAction.Add => "+FLAGS",
            StoreAction.Remove => "-FLAGS",
            _ => "FLAGS",
        };
        command.AppendRaw(verb + (silent ? ".SILENT " : " ") + FormatFlags(flags, keywords));
        var context = new CommandContext(command) { Rules = PipelineRules.ForMessages(set, uid) };
        await ExecuteAsync(command, cancellationToken, context).ConfigureAwait(false);
        SequenceSet? modified = (context.Completion!.Code as SequenceSetResponseCode) is
            { Kind: ResponseCodeKind.Modified } code ? code.Set : null;
        return new StoreResult([.. context.OfType<FetchResponse>()], modified);
    }

    /// <summary>Copies messages to <paramref name="mailbox"/>; returns COPYUID when the server sends it.</summary>
    public async Task<CopyUidResponseCode?> CopyAsync(SequenceSet set, string mailbox, bool uid = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(set);
        ImapCommand command = NewCommand(uid ? "UID COPY" : "COPY").Space().AppendRaw(set.ToString()).Space()
            .AppendMailbox(mailbox);
        CommandContext context = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
        return FindCopyUid(context);
    }

    /// <summary>
    /// Moves messages by UID with MOVE (RFC 6851). Without MOVE it copies, marks the originals \Deleted and
    /// expunges only them with UID EXPUNGE, which needs UIDPLUS (RFC 4315).
    /// </summary>
    /// <exception cref="MailCommandException">
    /// <see cref="CommandErrorReason.NotSupported"/>: the server has neither MOVE nor UIDPLUS, and a plain EXPUNGE
    /// would also remove other messages marked \Deleted.
    /// </exception>
    public async Task<CopyUidResponseCode?> MoveAsync(SequenceSet uids, string mailbox,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(mailbox);
        if (HasCapability("MOVE"))
        {
            ImapCommand command = NewCommand("UID MOVE").Space().AppendRaw(uids.ToString()).Space()
                .AppendMailbox(mailbox);
            CommandContext context = await ExecuteAsync(command, cancellationToken).ConfigureAwait(false);
            return FindCopyUid(context);
        }

        if (!HasCapability("UIDPLUS"))
        {
            throw new MailCommandException(CommandErrorReason.NotSupported,
                "The server offers neither MOVE nor UIDPLUS, so the messages cannot be moved without expunging "
                    + "other deleted messages", "MOVE"u8);
        }

        CopyUidResponseCode? copied = await CopyAsync(uids, mailbox, uid: true, cancellationToken)
            .ConfigureAwait(false);
        await StoreAsync(uids, StoreAction.Add, MessageFlags.Deleted, silent: true,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        await ExpungeAsync(uids, cancellationToken).ConfigureAwait(false);
        return copied;
    }

    /// <summary>Removes every message marked \Deleted from the selected mailbox (RFC 9051 section 6.4.3).</summary>
    public async Task ExpungeAsync(CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(new ImapCommand("EXPUNGE"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes only the given messages, if marked \Deleted, with UID EXPUNGE (RFC 4315 section 2.1).</summary>
    public async Task ExpungeAsync(SequenceSet uids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        if (!HasCapability("UIDPLUS"))
        {
            throw new MailCommandException(CommandErrorReason.NotSupported,
                "UID EXPUNGE needs the UIDPLUS capability", "UIDPLUS"u8);
        }

        await ExecuteAsync(NewCommand("UID EXPUNGE").Space().AppendRaw(uids.ToString()), cancellationToken)
            .ConfigureAwait(false);
    }

    private static CopyUidResponseCode? FindCopyUid(CommandContext context)
    {
        // MOVE sends COPYUID in an untagged OK before the expunges (RFC 6851 section 4.3); COPY in the tagged OK.
        if (context.Completion!.Code is CopyUidResponseCode tagged)
        {
            return tagged;
        }

        return context.OfType<UntaggedStatusResponse>().Select(static s => s.Code).OfType<CopyUidResponseCode>()
            .LastOrDefault();
    }

    internal static string FormatFlags(MessageFlags flags, IEnumerable<string>? keywords)
    {
        var names = new List<string>();
        AddFlag(names, flags, MessageFlags.Seen, "\\Seen");
        AddFlag(names, flags, MessageFlags.Answered, "\\Answered");
        AddFlag(names, flags, MessageFlags.Flagged, "\\Flagged");
        AddFlag(names, flags, MessageFlags.Deleted, "\\Deleted");
        AddFlag(names, flags, MessageFlags.Draft, "\\Draft");
        foreach (string keyword in keywords ?? [])
        {
            ThrowIfNotAtom(keyword, nameof(keywords));
            names.Add(keyword);
        }

        return "(" + string.Join(' ', names) + ")";
    }

    private static void AddFlag(List<string> names, MessageFlags flags, MessageFlags flag, string name)
    {
        if ((flags & flag) != 0)
        {
            names.Add(name);
        }
    }
}
