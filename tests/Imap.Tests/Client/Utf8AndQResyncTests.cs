using System.Text;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.TestSupport;

namespace RawMail.Imap.Tests.Client;

public sealed class Utf8AndQResyncTests
{
    private const string Message = "Subject: Grüße\r\n\r\nhi\r\n";

    [Fact]
    public async Task Append_Utf8AcceptSendsLiteral8()
    {
        int length = Encoding.UTF8.GetByteCount(Message);
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT LITERAL+ UIDPLUS] ready\r\n")
            .Expect("A0001 ENABLE UTF8=ACCEPT\r\n")
            .Send("* ENABLED UTF8=ACCEPT\r\nA0001 OK done\r\n")
            .Expect(ClientHarness.Utf8($"A0002 APPEND INBOX UTF8 (~{{{length}+}}\r\n{Message})\r\n"))
            .Send("A0002 OK [APPENDUID 3 12] done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        await client.EnableAsync(["UTF8=ACCEPT"]);

        AppendResult result = await client.AppendAsync("INBOX", Encoding.UTF8.GetBytes(Message));

        Assert.Equal(new AppendResult(3, 12), result);
    }

    [Fact]
    public async Task Append_Utf8AcceptWaitsForContinuation()
    {
        int length = Encoding.UTF8.GetByteCount(Message);
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT] ready\r\n")
            .Expect("A0001 ENABLE UTF8=ACCEPT\r\n")
            .Send("* ENABLED UTF8=ACCEPT\r\nA0001 OK done\r\n")
            .Expect($"A0002 APPEND INBOX UTF8 (~{{{length}}}\r\n")
            .Send("+ go ahead\r\n")
            .Expect(ClientHarness.Utf8(Message + ")\r\n"))
            .Send("A0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        await client.EnableAsync(["UTF8=ACCEPT"]);

        AppendResult result = await client.AppendAsync("INBOX", Encoding.UTF8.GetBytes(Message));

        Assert.Null(result.Uid);
    }

    [Fact]
    public async Task FetchChanges_ReturnsVanishedAndMessages()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 ENABLE QRESYNC CONDSTORE] ready\r\n")
            .Expect("A0001 ENABLE QRESYNC\r\n")
            .Send("* ENABLED QRESYNC\r\nA0001 OK done\r\n")
            .Expect("A0002 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)\r\n")
            .Send("* VANISHED (EARLIER) 1:3,5\r\n* 2 FETCH (UID 8 FLAGS (\\Seen) MODSEQ (12350))\r\n"
                + "A0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        var events = new List<string>();
        client.Vanished += (_, e) => events.Add(e.Vanished.Uids.ToString());
        await client.EnableAsync(["QRESYNC"]);

        FetchChanges changes = await client.FetchChangesAsync(SequenceSet.Range(1, uint.MaxValue),
            new FetchRequest(FetchItems.Flags), 12345);

        Assert.Equal("1:3,5", changes.Vanished.ToString());
        Assert.Equal(8u, Assert.Single(changes.Messages).Uid);
        Assert.Equal(12350ul, changes.Messages[0].ModSeq);
        Assert.Equal(["1:3,5"], events);
    }

    [Fact]
    public async Task FetchChanges_WithoutQResyncThrows()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 QRESYNC] ready\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.FetchChangesAsync(SequenceSet.Of(1),
            new FetchRequest(FetchItems.Flags), 1));

        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Vanished_UpdatesCountAndRaisesEvent()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 ENABLE QRESYNC CONDSTORE] ready\r\n")
            .Expect("A0001 ENABLE QRESYNC\r\n")
            .Send("* ENABLED QRESYNC\r\nA0001 OK done\r\n")
            .Expect("A0002 SELECT INBOX\r\n")
            .Send("* 6 EXISTS\r\nA0002 OK [READ-WRITE] done\r\n")
            .Expect("A0003 NOOP\r\n")
            .Send("* VANISHED 3:4,9\r\nA0003 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        var vanished = new List<VanishedResponse>();
        client.Vanished += (_, e) => vanished.Add(e.Vanished);
        await client.EnableAsync(["QRESYNC"]);
        SelectedMailbox mailbox = await client.SelectAsync("INBOX");

        await client.NoopAsync();

        Assert.Equal(3u, mailbox.Count);
        Assert.False(Assert.Single(vanished).IsEarlier);
        Assert.Equal("3:4,9", vanished[0].Uids.ToString());
    }

    [Fact]
    public void FetchRequest_VanishedNeedsChangedSince()
    {
        var request = new FetchRequest(FetchItems.Flags) { Vanished = true };

        Assert.Throws<InvalidOperationException>(() => request.Format());
    }
}
