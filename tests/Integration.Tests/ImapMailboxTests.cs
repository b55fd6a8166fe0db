using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Integration.Tests;

/// <summary>Mailbox and message commands of the IMAP client against the local Dovecot, in the robot's mailbox.</summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class ImapMailboxTests(LocalServersFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [RequiresServersFact]
    public async Task Mailboxes_CreateListRenameDelete()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        CancellationToken ct = timeout.Token;
        await using ImapClient client = await ImapTestSession.OpenRobotAsync(fixture.Servers, ct);
        string name = ImapTestSession.UniqueName("Entwürfe");
        string renamed = name + "-renamed";

        await client.CreateMailboxAsync(name, ct);
        IReadOnlyList<MailboxInfo> created = await client.ListAsync(name, cancellationToken: ct);
        await client.RenameMailboxAsync(name, renamed, ct);
        IReadOnlyList<MailboxInfo> afterRename = await client.ListAsync(name + "*", cancellationToken: ct);
        MailboxStatus status = await client.GetStatusAsync(renamed, StatusItems.Messages | StatusItems.UidNext, ct);
        await client.DeleteMailboxAsync(renamed, ct);
        IReadOnlyList<MailboxInfo> afterDelete = await client.ListAsync(name + "*", cancellationToken: ct);

        Assert.Equal(name, Assert.Single(created).Name);
        Assert.Equal(renamed, Assert.Single(afterRename).Name);
        Assert.Equal(0u, status.Messages);
        Assert.Empty(afterDelete);
    }

    [RequiresServersFact]
    public async Task Select_MissingMailboxFails()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using ImapClient client = await ImapTestSession.OpenRobotAsync(fixture.Servers, timeout.Token);

        var ex = await Assert.ThrowsAsync<ImapCommandException>(
            () => client.SelectAsync(ImapTestSession.UniqueName("missing"), cancellationToken: timeout.Token));

        Assert.Equal(CommandErrorReason.No, ex.Reason);
    }

    [RequiresServersFact]
    public async Task Messages_AppendSearchFetchFlagCopyMoveExpunge()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        CancellationToken ct = timeout.Token;
        await using ImapClient client = await ImapTestSession.OpenRobotAsync(fixture.Servers, ct);
        string source = ImapTestSession.UniqueName("msgs");
        string target = source + "-target";
        await client.CreateMailboxAsync(source, ct);
        await client.CreateMailboxAsync(target, ct);
        try
        {
            AppendResult first = await client.AppendAsync(source, ImapTestSession.Message("Quarterly report"),
                MessageFlags.Seen, cancellationToken: ct);
            AppendResult second = await client.AppendAsync(source, ImapTestSession.Message("Grüße aus Berlin"),
                cancellationToken: ct);
            await client.AppendAsync(source, ImapTestSession.Message("Third"), cancellationToken: ct);

            SelectedMailbox mailbox = await client.SelectAsync(source, cancellationToken: ct);
            SearchResult unseen = await client.SearchAsync(SearchQuery.Unseen, cancellationToken: ct);
            SearchResult bySubject = await client.SearchAsync(SearchQuery.Subject("Quarterly"), cancellationToken: ct);
            SearchResult nonAscii = await client.SearchAsync(SearchQuery.Subject("Grüße"), cancellationToken: ct);

            Assert.Equal(3u, mailbox.Count);
            Assert.Equal(2, unseen.Numbers.Count);
            Assert.Equal([first.Uid!.Value], bySubject.Numbers);
            Assert.Equal([second.Uid!.Value], nonAscii.Numbers);

            IReadOnlyList<FetchResponse> fetched = await client.FetchAsync(SequenceSet.Of(first.Uid.Value),
                new FetchRequest(FetchItems.Summary | FetchItems.Envelope | FetchItems.BodyStructure,
                    new FetchBodyRequest("TEXT")), cancellationToken: ct);
            FetchResponse message = Assert.Single(fetched);
            Assert.Equal("Quarterly report", message.Envelope!.Subject);
            Assert.Equal("alice@rawmail.test", ((MailboxAddress)message.Envelope.From[0]).Address);
            Assert.Equal("plain", message.BodyStructure!.MediaSubtype.ToLowerInvariant());
            Assert.Equal("Hello from the integration tests.\r\n",
                System.Text.Encoding.ASCII.GetString(message.Sections[0].Data!));
            Assert.Equal(MessageFlags.Seen | MessageFlags.Recent, message.Flags);

            await client.StoreAsync(SequenceSet.Of(second.Uid.Value), StoreAction.Add, MessageFlags.Flagged,
                cancellationToken: ct);
            SearchResult flagged = await client.SearchAsync(SearchQuery.Flagged, cancellationToken: ct);
            Assert.Equal([second.Uid.Value], flagged.Numbers);

            CopyUidResponseCode? copied = await client.CopyAsync(SequenceSet.Of(first.Uid.Value), target,
                cancellationToken: ct);
            CopyUidResponseCode? moved = await client.MoveAsync(SequenceSet.Of(second.Uid.Value), target, ct);
            Assert.NotNull(copied);
            Assert.NotNull(moved);
            Assert.Equal(2u, mailbox.Count);

            await client.StoreAsync(SequenceSet.Of(first.Uid.Value), StoreAction.Add, MessageFlags.Deleted,
                silent: true, cancellationToken: ct);
            await client.ExpungeAsync(ct);
            Assert.Equal(1u, mailbox.Count);

            MailboxStatus targetStatus = await client.GetStatusAsync(target, StatusItems.Messages, ct);
            Assert.Equal(2u, targetStatus.Messages);
        }
        finally
        {
            await client.UnselectAsync(CancellationToken.None);
            await client.DeleteMailboxAsync(source, CancellationToken.None);
            await client.DeleteMailboxAsync(target, CancellationToken.None);
        }
    }

    [RequiresServersFact]
    public async Task Append_LargeMessageStreamsBothWays()
    {
        const long size = 20L * 1024 * 1024;
        using var timeout = new CancellationTokenSource(s_timeout);
        CancellationToken ct = timeout.Token;
        await using ImapClient client = await ImapTestSession.OpenRobotAsync(fixture.Servers, ct);
        string name = ImapTestSession.UniqueName("big");
        await client.CreateMailboxAsync(name, ct);
        try
        {
            using var upload = new GeneratedMessageStream("Twenty megabytes", size);
            AppendResult appended = await client.AppendAsync(name, upload, size, cancellationToken: ct);
            byte[] sent = upload.Hash();

            await client.ExamineAsync(name, cancellationToken: ct);
            using var download = new HashingStream();
            long length = await client.DownloadBodyAsync(appended.Uid!.Value, download, cancellationToken: ct);

            Assert.Equal(size, length);
            Assert.Equal(size, download.Written);
            Assert.Equal(sent, download.Hash());
        }
        finally
        {
            await client.UnselectAsync(CancellationToken.None);
            await client.DeleteMailboxAsync(name, CancellationToken.None);
        }
    }

    [RequiresServersFact]
    public async Task Idle_SeesMessageAppendedElsewhere()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        CancellationToken ct = timeout.Token;
        await using ImapClient watcher = await ImapTestSession.OpenRobotAsync(fixture.Servers, ct);
        await using ImapClient writer = await ImapTestSession.OpenRobotAsync(fixture.Servers, ct,
            TlsMode.StartTls);
        string name = ImapTestSession.UniqueName("idle");
        await watcher.CreateMailboxAsync(name, ct);
        try
        {
            SelectedMailbox mailbox = await watcher.SelectAsync(name, cancellationToken: ct);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var counts = new List<uint>();
            watcher.CountChanged += (_, e) =>
            {
                counts.Add(e.Count);
                stop.Cancel();
            };

            Task idle = watcher.IdleAsync(stop.Token);
            await writer.AppendAsync(name, ImapTestSession.Message("While idling"), cancellationToken: ct);
            await idle;

            Assert.Equal([1u], counts);
            Assert.Equal(1u, mailbox.Count);
        }
        finally
        {
            await watcher.UnselectAsync(CancellationToken.None);
            await watcher.DeleteMailboxAsync(name, CancellationToken.None);
        }
    }

    [RequiresServersFact]
    public async Task Subscriptions_AndCondStoreSelect()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        CancellationToken ct = timeout.Token;
        await using ImapClient client = await ImapTestSession.OpenRobotAsync(fixture.Servers, ct);
        string name = ImapTestSession.UniqueName("sub");
        await client.CreateMailboxAsync(name, ct);
        try
        {
            await client.SubscribeAsync(name, ct);
            IReadOnlyList<MailboxInfo> subscribed = await client.ListSubscribedAsync(name, cancellationToken: ct);
            await client.UnsubscribeAsync(name, ct);
            IReadOnlyList<MailboxInfo> afterUnsubscribe = await client.ListSubscribedAsync(name,
                cancellationToken: ct);
            await client.AppendAsync(name, ImapTestSession.Message("Mod-sequence"), cancellationToken: ct);
            SelectedMailbox mailbox = await client.SelectAsync(name, condStore: true, cancellationToken: ct);
            StoreResult stored = await client.StoreAsync(SequenceSet.Range(1, uint.MaxValue), StoreAction.Add,
                MessageFlags.Flagged, unchangedSince: mailbox.HighestModSeq, cancellationToken: ct);

            Assert.Equal(name, Assert.Single(subscribed).Name);
            Assert.Empty(afterUnsubscribe);
            Assert.NotNull(mailbox.HighestModSeq);
            Assert.Null(stored.Modified);
            Assert.Equal(MessageFlags.Flagged, Assert.Single(stored.Updated).Flags & MessageFlags.Flagged);
        }
        finally
        {
            await client.CloseAsync(CancellationToken.None);
            await client.DeleteMailboxAsync(name, CancellationToken.None);
        }
    }
}
