using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.TestSupport;

namespace RawMail.Imap.Tests.Client;

public sealed class ExtensionTests
{
    [Fact]
    public async Task List_NonCanonicalNameSentAsListed()
    {
        // The server encodes '&' inside the base64 run, which RFC 3501 section 5.1.3 forbids.
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 LIST \"\" \"*\"\r\n")
            .Send("* LIST (\\HasNoChildren) \"|\" \"&BBQEPgQ8ACYEIQQwBDQ-\"\r\nA0001 OK done\r\n")
            .Expect("A0002 SELECT &BBQEPgQ8ACYEIQQwBDQ-\r\n")
            .Send("* 0 EXISTS\r\nA0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        IReadOnlyList<MailboxInfo> mailboxes = await client.ListAsync();
        SelectedMailbox selected = await client.SelectAsync("Дом&Сад");

        Assert.Equal("Дом&Сад", Assert.Single(mailboxes).Name);
        Assert.Equal("&BBQEPgQ8ACYEIQQwBDQ-", selected.EncodedName);
    }

    [Fact]
    public async Task List_AsksForSpecialUseWhenOffered()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 LIST-EXTENDED SPECIAL-USE] ready\r\n")
            .Expect("A0001 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n")
            .Send("* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        IReadOnlyList<MailboxInfo> mailboxes = await client.ListAsync();

        Assert.Equal(MailboxAttributes.HasNoChildren | MailboxAttributes.Sent, Assert.Single(mailboxes).Attributes);
    }

    [Fact]
    public async Task ListStatus_UsesOneCommandWhenOffered()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 LIST-STATUS] ready\r\n")
            .Expect("A0001 LIST \"\" \"*\" RETURN (STATUS (MESSAGES UNSEEN))\r\n")
            .Send("* LIST () \"/\" INBOX\r\n* STATUS INBOX (MESSAGES 4 UNSEEN 1)\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        IReadOnlyList<MailboxStatus> statuses = await client.ListStatusAsync("*",
            StatusItems.Messages | StatusItems.Unseen);

        Assert.Equal(4u, Assert.Single(statuses).Messages);
        Assert.Equal(1u, statuses[0].Unseen);
    }

    [Fact]
    public async Task Enable_Utf8AcceptSendsUtf8Names()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT CONDSTORE] ready\r\n")
            .Expect("A0001 ENABLE UTF8=ACCEPT CONDSTORE\r\n")
            .Send("* ENABLED UTF8=ACCEPT CONDSTORE\r\nA0001 OK done\r\n")
            .Expect(ClientHarness.Utf8("A0002 CREATE \"Entwürfe 2\"\r\n"))
            .Send("A0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        IReadOnlySet<string> enabled = await client.EnableAsync(["UTF8=ACCEPT", "CONDSTORE", "QRESYNC"]);
        await client.CreateMailboxAsync("Entwürfe 2");

        Assert.True(enabled.SetEquals(["UTF8=ACCEPT", "CONDSTORE"]));
        Assert.True(client.IsUtf8Enabled);
    }

    [Fact]
    public async Task Id_SendsFieldsAndReadsServerFields()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 ID] ready\r\n")
            .Expect("A0001 ID (\"name\" \"RawMail\" \"version\" NIL)\r\n")
            .Send("* ID (\"name\" \"Dovecot\")\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        IReadOnlyList<KeyValuePair<string, string?>> fields = await client.IdAsync(
            new Dictionary<string, string?> { ["name"] = "RawMail", ["version"] = null });

        Assert.Equal(new KeyValuePair<string, string?>("name", "Dovecot"), Assert.Single(fields));
    }

    [Fact]
    public async Task Namespace_ReturnsPersonalPrefix()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 NAMESPACE] ready\r\n")
            .Expect("A0001 NAMESPACE\r\n")
            .Send("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        NamespaceResponse? namespaces = await client.GetNamespacesAsync();

        Assert.Equal(new NamespaceEntry("", '/'), Assert.Single(namespaces!.Personal));
    }

    [Fact]
    public async Task FetchStream_StopEarlyKeepsSessionInStep()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 FETCH 1:3 (FLAGS)\r\n")
            .Send("* 1 FETCH (FLAGS ())\r\n* 2 FETCH (FLAGS (\\Seen))\r\n* 3 FETCH (FLAGS ())\r\nA0001 OK done\r\n")
            .Expect("A0002 NOOP\r\n")
            .Send("A0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        var seen = new List<uint>();

        await foreach (FetchResponse fetch in client.FetchStreamAsync(SequenceSet.Range(1, 3),
            new FetchRequest(FetchItems.Flags), uid: false))
        {
            seen.Add(fetch.SequenceNumber);
            break;
        }

        await client.NoopAsync();

        Assert.Equal([1u], seen);
    }

    [Fact]
    public async Task Fetch_LiteralThatLooksLikeResponsesIsData()
    {
        const string body = "X-Spam-Flag: NO\r\n* 2 EXISTS\r\n+ more\r\nA0001 OK not really\r\n";
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 UID FETCH 5 (BODY.PEEK[])\r\n")
            .Send($"* 1 FETCH (UID 5 BODY[] {{{body.Length}}}\r\n{body})\r\nA0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        var counts = new List<uint>();
        client.CountChanged += (_, e) => counts.Add(e.Count);

        IReadOnlyList<FetchResponse> fetches = await client.FetchAsync(SequenceSet.Of(5),
            new FetchRequest(FetchItems.None, new FetchBodyRequest()));

        Assert.Equal(body, System.Text.Encoding.ASCII.GetString(Assert.Single(fetches).Sections[0].Data!));
        Assert.Empty(counts);
    }

    [Fact]
    public async Task Select_QResyncReportsVanishedEarlier()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 ENABLE QRESYNC CONDSTORE] ready\r\n")
            .Expect("A0001 ENABLE QRESYNC\r\n")
            .Send("* ENABLED QRESYNC\r\nA0001 OK done\r\n")
            .Expect("A0002 SELECT INBOX (QRESYNC (67890007 20050715194045000 41:211))\r\n")
            .Send("* 10 EXISTS\r\n* OK [UIDVALIDITY 67890007] ok\r\n* OK [HIGHESTMODSEQ 20050715194045000] ok\r\n"
                + "* VANISHED (EARLIER) 41,43:116\r\n* 1 FETCH (UID 49 MODSEQ (20050715194045001) FLAGS (\\Seen))\r\n"
                + "A0002 OK [READ-WRITE] done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        var vanished = new List<string>();
        var flagged = new List<uint>();
        client.Vanished += (_, e) => vanished.Add(e.Vanished.Uids.ToString());
        client.FlagsChanged += (_, e) => flagged.Add(e.Fetch.Uid!.Value);
        await client.EnableAsync(["QRESYNC"]);

        SelectedMailbox mailbox = await client.SelectAsync("INBOX",
            new QResyncParameters(67890007, 20050715194045000, SequenceSet.Range(41, 211)));

        Assert.Equal(["41,43:116"], vanished);
        Assert.Equal([49u], flagged);
        Assert.Equal(10u, mailbox.Count);
        Assert.Equal(20050715194045001ul, mailbox.HighestModSeq);
    }

    [Fact]
    public async Task Fetch_FormatsEveryItemKind()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 CONDSTORE BINARY] ready\r\n")
            .Expect("A0001 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE MODSEQ "
                + "BINARY.PEEK[1] BODY[HEADER.FIELDS (SUBJECT)]<0.100>) (CHANGEDSINCE 12345)\r\n")
            .Send("A0001 OK done\r\n")
            .Expect("A0002 CLOSE\r\n")
            .Send("A0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        var request = new FetchRequest(
            FetchItems.Summary | FetchItems.Envelope | FetchItems.BodyStructure | FetchItems.ModSeq,
            new FetchBodyRequest("1", Binary: true),
            new FetchBodyRequest("HEADER.FIELDS (SUBJECT)", Peek: false, Start: 0, Length: 100))
        {
            ChangedSince = 12345,
        };

        IReadOnlyList<FetchResponse> fetches = await client.FetchAsync(SequenceSet.Range(1, uint.MaxValue), request);
        await client.CloseAsync();

        Assert.Empty(fetches);
        Assert.Equal(ImapSessionState.Authenticated, client.State);
    }

    [Fact]
    public async Task FetchBody_SectionWithBracketIsRejected()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        var request = new FetchRequest(FetchItems.None, new FetchBodyRequest("1] BODY[2"));

        await Assert.ThrowsAsync<ArgumentException>(() => client.FetchAsync(SequenceSet.Of(1), request));

        Assert.Empty(server.Received);
    }
}
