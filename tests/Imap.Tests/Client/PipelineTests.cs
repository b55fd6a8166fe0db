using System.Text;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Imap.Tests.Client;

public sealed class PipelineTests
{
    private const string Greeting = "* PREAUTH [CAPABILITY IMAP4rev1 LITERAL+] ready\r\n";

    [Fact]
    public async Task Pipeline_CompletionsOutOfOrder()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 UID FETCH 1:2 (FLAGS)\r\nA0002 STATUS Drafts (MESSAGES)\r\nA0003 NOOP\r\n")
            .Send("* STATUS Drafts (MESSAGES 4)\r\nA0003 OK noop done\r\n* 7 FETCH (UID 1 FLAGS (\\Seen))\r\n"
                + "A0002 OK status done\r\n* 8 FETCH (UID 2 FLAGS ())\r\nA0001 OK fetch done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Task<IReadOnlyList<FetchResponse>> fetch = client.FetchAsync(SequenceSet.Range(1, 2),
            new FetchRequest(FetchItems.Flags));
        Task<MailboxStatus> status = client.GetStatusAsync("Drafts", StatusItems.Messages);
        Task noop = client.NoopAsync();
        await Task.WhenAll(fetch, status, noop);

        Assert.Equal([1u, 2u], (await fetch).Select(static f => f.Uid!.Value));
        Assert.Equal([MessageFlags.Seen, MessageFlags.None], (await fetch).Select(static f => f.Flags!.Value));
        Assert.Equal(4u, (await status).Messages);
        Assert.Equal("Drafts", (await status).Name);
    }

    [Fact]
    public async Task Pipeline_FetchesRoutedByUid()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 UID FETCH 1:3 (FLAGS)\r\nA0002 UID FETCH 9 (RFC822.SIZE)\r\n")
            .Send("* 9 FETCH (UID 9 RFC822.SIZE 120)\r\n* 1 FETCH (UID 1 FLAGS ())\r\nA0002 OK done\r\n"
                + "* 3 FETCH (UID 3 FLAGS ())\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Task<IReadOnlyList<FetchResponse>> flags = client.FetchAsync(SequenceSet.Range(1, 3),
            new FetchRequest(FetchItems.Flags));
        Task<IReadOnlyList<FetchResponse>> sizes = client.FetchAsync(SequenceSet.Of(9),
            new FetchRequest(FetchItems.Size));
        await Task.WhenAll(flags, sizes);

        Assert.Equal([1u, 3u], (await flags).Select(static f => f.Uid!.Value));
        Assert.Equal(120L, Assert.Single((await sizes)).Size);
    }

    [Fact]
    public async Task Pipeline_ESearchRoutedByTag()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 ESEARCH] ready\r\n")
            .Expect("A0001 UID SEARCH RETURN (MIN MAX COUNT ALL) SEEN\r\n"
                + "A0002 UID SEARCH RETURN (MIN MAX COUNT ALL) FLAGGED\r\n")
            .Send("* ESEARCH (TAG \"A0002\") UID MIN 7 MAX 7 COUNT 1 ALL 7\r\n"
                + "* ESEARCH (TAG \"A0001\") UID MIN 2 MAX 4 COUNT 2 ALL 2,4\r\nA0002 OK done\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Task<SearchResult> seen = client.SearchAsync(SearchQuery.Seen);
        Task<SearchResult> flagged = client.SearchAsync(SearchQuery.Flagged);
        await Task.WhenAll(seen, flagged);

        Assert.Equal([2u, 4u], (await seen).Numbers);
        Assert.Equal([7u], (await flagged).Numbers);
    }

    [Fact]
    public async Task Pipeline_StatusRoutedByMailbox()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 STATUS Sent (MESSAGES)\r\nA0002 STATUS Trash (MESSAGES)\r\n")
            .Send("* STATUS Trash (MESSAGES 2)\r\n* STATUS Sent (MESSAGES 11)\r\nA0001 OK done\r\nA0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Task<MailboxStatus> sent = client.GetStatusAsync("Sent", StatusItems.Messages);
        Task<MailboxStatus> trash = client.GetStatusAsync("Trash", StatusItems.Messages);
        await Task.WhenAll(sent, trash);

        Assert.Equal(11u, (await sent).Messages);
        Assert.Equal(2u, (await trash).Messages);
    }

    [Fact]
    public async Task Pipeline_SameMailboxStatusWaits()
    {
        // The replies to two STATUS of one mailbox could come in either order, with data that looks the same.
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 STATUS Sent (MESSAGES)\r\n")
            .Send("* STATUS Sent (MESSAGES 11)\r\nA0001 OK done\r\n")
            .Expect("A0002 STATUS Sent (UNSEEN)\r\n")
            .Send("* STATUS Sent (UNSEEN 3)\r\nA0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Task<MailboxStatus> messages = client.GetStatusAsync("Sent", StatusItems.Messages);
        Task<MailboxStatus> unseen = client.GetStatusAsync("Sent", StatusItems.Unseen);
        await Task.WhenAll(messages, unseen);

        Assert.Equal(11u, (await messages).Messages);
        Assert.Equal(3u, (await unseen).Unseen);
    }

    [Fact]
    public async Task Pipeline_UntaggedStateBetweenCompletions()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 SELECT INBOX\r\n")
            .Send("* 5 EXISTS\r\nA0001 OK [READ-WRITE] done\r\n")
            .Expect("A0002 UID FETCH 4 (FLAGS)\r\nA0003 NOOP\r\n")
            .Send("* 6 EXISTS\r\nA0003 OK done\r\n* 2 FETCH (UID 4 FLAGS (\\Flagged))\r\n* 7 EXISTS\r\n"
                + "A0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        var counts = new List<uint>();
        client.CountChanged += (_, e) => counts.Add(e.Count);
        SelectedMailbox mailbox = await client.SelectAsync("INBOX");

        Task<IReadOnlyList<FetchResponse>> fetch = client.FetchAsync(SequenceSet.Of(4),
            new FetchRequest(FetchItems.Flags));
        Task noop = client.NoopAsync();
        await Task.WhenAll(fetch, noop);

        Assert.Equal([5u, 6u, 7u], counts);
        Assert.Equal(7u, mailbox.Count);
        Assert.Equal(4u, Assert.Single((await fetch)).Uid);
    }

    [Fact]
    public async Task Pipeline_SelectWaitsForEarlierCommands()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 UID FETCH 1 (FLAGS)\r\n")
            .Send("* 1 FETCH (UID 1 FLAGS ())\r\nA0001 OK done\r\n")
            .Expect("A0002 SELECT Archive\r\n")
            .Send("* 3 EXISTS\r\nA0002 OK [READ-WRITE] done\r\n")
            .Expect("A0003 NOOP\r\n")
            .Send("A0003 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Task<IReadOnlyList<FetchResponse>> fetch = client.FetchAsync(SequenceSet.Of(1),
            new FetchRequest(FetchItems.Flags));
        Task<SelectedMailbox> select = client.SelectAsync("Archive");
        Task noop = client.NoopAsync();
        await Task.WhenAll(fetch, select, noop);

        Assert.Equal("Archive", client.Selected!.Name);
        Assert.Equal(3u, (await select).Count);
        Assert.Equal(ImapSessionState.Selected, client.State);
    }

    [Fact]
    public async Task Cancellation_KeepsOtherCommandsInStep()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 UID FETCH 5 (FLAGS)\r\nA0002 NOOP\r\nA0003 STATUS Sent (MESSAGES)\r\n")
            .Expect("A0004 NOOP\r\n")
            .Send("* 3 FETCH (UID 5 FLAGS (\\Seen))\r\n* STATUS Sent (MESSAGES 9)\r\nA0002 OK noop done\r\n"
                + "A0001 OK fetch done\r\nA0003 OK status done\r\nA0004 OK noop done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        using var cancelNoop = new CancellationTokenSource();

        Task<IReadOnlyList<FetchResponse>> fetch = client.FetchAsync(SequenceSet.Of(5),
            new FetchRequest(FetchItems.Flags));
        Task canceled = client.NoopAsync(cancelNoop.Token);
        Task<MailboxStatus> status = client.GetStatusAsync("Sent", StatusItems.Messages);
        await WaitUntilReceivedAsync(server, "A0003 STATUS");
        await cancelNoop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        await client.NoopAsync();

        Assert.Equal(5u, Assert.Single(await fetch).Uid);
        Assert.Equal(9u, (await status).Messages);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Cancellation_BeforeSendingSendsNothing()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 IDLE] ready\r\n")
            .Expect("A0001 IDLE\r\n")
            .Send("+ idling\r\n")
            .Expect("DONE\r\n")
            .Send("A0001 OK IDLE terminated\r\n")
            .Expect("A0002 NOOP\r\n")
            .Send("A0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        using var stopIdle = new CancellationTokenSource();
        using var cancelFetch = new CancellationTokenSource();

        // The FETCH waits behind the IDLE, so canceling it takes it back before it has a tag.
        Task idle = client.IdleAsync(stopIdle.Token);
        Task fetch = client.FetchAsync(SequenceSet.Of(1), new FetchRequest(FetchItems.Flags),
            cancellationToken: cancelFetch.Token);
        await cancelFetch.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fetch);
        await WaitUntilReceivedAsync(server, "A0001 IDLE");
        await stopIdle.CancelAsync();
        await idle;
        await client.NoopAsync();

        Assert.Equal("A0001 IDLE\r\nDONE\r\nA0002 NOOP\r\n", Encoding.ASCII.GetString(server.Received));
    }

    [Fact]
    public async Task Bye_FailsEveryPendingCommand()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 UID FETCH 1 (FLAGS)\r\nA0002 STATUS Sent (MESSAGES)\r\nA0003 NOOP\r\n")
            .Send("* BYE server shutting down\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Task[] commands =
        [
            client.FetchAsync(SequenceSet.Of(1), new FetchRequest(FetchItems.Flags)),
            client.GetStatusAsync("Sent", StatusItems.Messages),
            client.NoopAsync(),
        ];

        foreach (Task command in commands)
        {
            var ex = await Assert.ThrowsAsync<MailProtocolException>(() => command);
            Assert.Equal(ProtocolErrorReason.ServerShutdown, ex.Reason);
            Assert.Equal("Connection closed by server: server shutting down", ex.Message);
        }

        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ConnectionDrop_FailsEveryPendingCommand()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 NOOP\r\nA0002 STATUS Sent (MESSAGES)\r\n")
            .Close()
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        Task noop = client.NoopAsync();
        Task status = client.GetStatusAsync("Sent", StatusItems.Messages);

        Assert.Equal(ProtocolErrorReason.ConnectionClosed,
            (await Assert.ThrowsAsync<MailProtocolException>(() => noop)).Reason);
        Assert.Equal(ProtocolErrorReason.ConnectionClosed,
            (await Assert.ThrowsAsync<MailProtocolException>(() => status)).Reason);
    }

    [Fact]
    public async Task MalformedCompletion_FailsCommandAtOnce()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 NOOP\r\n")
            .Send("A0001 MAYBE (((\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<MailProtocolException>(() => client.NoopAsync());

        Assert.Equal(ProtocolErrorReason.MalformedResponse, ex.Reason);
        Assert.StartsWith("The server's completion of A0001 cannot be parsed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedUntagged_IsSkipped()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 NOOP\r\n")
            .Send("* 3 FETCH (((\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await client.NoopAsync();

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task PipeliningOff_SendsOneAtATime()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 NOOP\r\n")
            .Send("A0001 OK done\r\n")
            .Expect("A0002 STATUS Sent (MESSAGES)\r\n")
            .Send("* STATUS Sent (MESSAGES 1)\r\nA0002 OK done\r\n")
            .Start();
        ImapClientOptions options = ClientHarness.Options(server);
        await using ImapClient client = await ImapClient.ConnectAsync(new ImapClientOptions
        {
            Connection = options.Connection,
            Pipelining = false,
        });

        Task noop = client.NoopAsync();
        Task<MailboxStatus> status = client.GetStatusAsync("Sent", StatusItems.Messages);
        await Task.WhenAll(noop, status);

        Assert.Equal(1u, (await status).Messages);
    }

    [Fact]
    public async Task UnknownTag_ClosesConnection()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("A0001 NOOP\r\n")
            .Send("A0009 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<MailProtocolException>(() => client.NoopAsync());

        Assert.Equal(ProtocolErrorReason.UnexpectedResponse, ex.Reason);
    }

    private static async Task WaitUntilReceivedAsync(ScriptedServer server, string text)
    {
        while (!Encoding.ASCII.GetString(server.Received).Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(10);
        }
    }
}
