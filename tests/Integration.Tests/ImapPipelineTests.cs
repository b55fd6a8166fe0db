using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.TestSupport;

namespace RawMail.Integration.Tests;

/// <summary>Pipelined commands and QRESYNC of the IMAP client against the local Dovecot, in the robot's mailbox.</summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class ImapPipelineTests(LocalServersFixture fixture)
{
    private const int MessageCount = 6;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(120);

    [RequiresServersFact]
    public async Task Pipeline_FiftyConcurrentCommands()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        CancellationToken ct = timeout.Token;
        await using ImapClient client = await ImapTestSession.OpenRobotAsync(fixture.Servers, ct);
        string name = ImapTestSession.UniqueName("imap-pipeline");
        string other = name + "-other";
        await Task.WhenAll(client.CreateMailboxAsync(name, ct), client.CreateMailboxAsync(other, ct));
        try
        {
            // The appends are pipelined too: LITERAL+ lets each one go without waiting for "+".
            AppendResult[] appended = await Task.WhenAll(Enumerable.Range(0, MessageCount).Select(i =>
                client.AppendAsync(name, ImapTestSession.Message("pipe-" + i), cancellationToken: ct)));
            await client.AppendAsync(other, ImapTestSession.Message("elsewhere"), cancellationToken: ct);
            await client.SelectAsync(name, cancellationToken: ct);
            uint[] uids = [.. appended.Select(static a => a.Uid!.Value)];

            Task<bool>[] checks = [.. Enumerable.Range(0, 50).Select(i => RunCheckAsync(client, i, uids, other, ct))];
            bool[] results = await Task.WhenAll(checks);

            Assert.Equal(Enumerable.Repeat(true, 50), results);
            Assert.True(client.IsConnected);
        }
        finally
        {
            await client.UnselectAsync(CancellationToken.None);
            await Task.WhenAll(client.DeleteMailboxAsync(name, CancellationToken.None),
                client.DeleteMailboxAsync(other, CancellationToken.None));
        }
    }

    [RequiresServersFact]
    public async Task QResync_VanishedAfterExpunge()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        CancellationToken ct = timeout.Token;
        await using ImapClient client = await ImapTestSession.OpenRobotAsync(fixture.Servers, ct);
        string name = ImapTestSession.UniqueName("imap-pipeline-qresync");
        await client.CreateMailboxAsync(name, ct);
        try
        {
            IReadOnlySet<string> enabled = await client.EnableAsync(["QRESYNC"], ct);
            Assert.Contains("QRESYNC", enabled);
            AppendResult[] appended = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
                client.AppendAsync(name, ImapTestSession.Message("qresync-" + i), cancellationToken: ct)));
            SelectedMailbox mailbox = await client.SelectAsync(name, condStore: true, cancellationToken: ct);
            ulong before = mailbox.HighestModSeq!.Value;
            uint expunged = appended[1].Uid!.Value;
            var vanished = new List<string>();
            client.Vanished += (_, e) => vanished.Add((e.Vanished.IsEarlier ? "EARLIER " : "") + e.Vanished.Uids);

            await client.StoreAsync(SequenceSet.Of(expunged), StoreAction.Add, MessageFlags.Deleted, silent: true,
                cancellationToken: ct);
            await client.StoreAsync(SequenceSet.Of(appended[2].Uid!.Value), StoreAction.Add, MessageFlags.Flagged,
                silent: true, cancellationToken: ct);
            await client.ExpungeAsync(SequenceSet.Of(expunged), ct);
            FetchChanges changes = await client.FetchChangesAsync(SequenceSet.Range(1, uint.MaxValue),
                new FetchRequest(FetchItems.Flags), before, ct);

            Assert.Equal(2u, mailbox.Count);
            Assert.Equal(expunged.ToString(System.Globalization.CultureInfo.InvariantCulture), changes.Vanished.ToString());
            Assert.Equal([appended[2].Uid!.Value], changes.Messages.Select(static m => m.Uid!.Value));
            Assert.Equal(["" + expunged, "EARLIER " + expunged], vanished);
        }
        finally
        {
            await client.UnselectAsync(CancellationToken.None);
            await client.DeleteMailboxAsync(name, CancellationToken.None);
        }
    }

    /// <summary>Runs one of UID FETCH, STATUS, UID SEARCH and NOOP, chosen by <paramref name="index"/>.</summary>
    private static async Task<bool> RunCheckAsync(ImapClient client, int index, uint[] uids, string other,
        CancellationToken ct)
    {
        int message = index % MessageCount;
        switch (index % 4)
        {
            case 0:
                IReadOnlyList<FetchResponse> fetched = await client.FetchAsync(SequenceSet.Of(uids[message]),
                    new FetchRequest(FetchItems.Uid | FetchItems.Envelope), cancellationToken: ct);
                return fetched.Count == 1 && fetched[0].Uid == uids[message]
                    && fetched[0].Envelope!.Subject == "pipe-" + message;
            case 1:
                MailboxStatus status = await client.GetStatusAsync(other, StatusItems.Messages, ct);
                return status.Messages == 1;
            case 2:
                SearchResult found = await client.SearchAsync(SearchQuery.Subject("pipe-" + message),
                    cancellationToken: ct);
                return found.Numbers.SequenceEqual([uids[message]]);
            default:
                await client.NoopAsync(ct);
                return true;
        }
    }
}
