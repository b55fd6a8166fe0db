using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Imap.Tests.Client;

public sealed class MailboxTests
{
    private const string SelectResponse =
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n"
        + "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Flags permitted.\r\n"
        + "* 5 EXISTS\r\n"
        + "* 1 RECENT\r\n"
        + "* OK [UNSEEN 3] First unseen.\r\n"
        + "* OK [UIDVALIDITY 1700000000] UIDs valid\r\n"
        + "* OK [UIDNEXT 42] Predicted next UID\r\n"
        + "* OK [HIGHESTMODSEQ 9000] Highest\r\n";

    private static ScriptedServer Selected(string capabilities = "IMAP4rev1")
    {
        return new ScriptedServer()
            .Send($"* PREAUTH [CAPABILITY {capabilities}] ready\r\n")
            .Expect("A0001 SELECT INBOX\r\n")
            .Send(SelectResponse + "A0001 OK [READ-WRITE] Select completed.\r\n");
    }

    [Fact]
    public async Task Select_FillsMailboxState()
    {
        await using ScriptedServer server = Selected().Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        SelectedMailbox mailbox = await client.SelectAsync("INBOX");

        Assert.Equal(5u, mailbox.Count);
        Assert.Equal(1u, mailbox.Recent);
        Assert.Equal(3u, mailbox.FirstUnseen);
        Assert.Equal(1700000000u, mailbox.UidValidity);
        Assert.Equal(42u, mailbox.UidNext);
        Assert.Equal(9000ul, mailbox.HighestModSeq);
        Assert.Equal(MessageFlags.Answered | MessageFlags.Flagged | MessageFlags.Deleted | MessageFlags.Seen
            | MessageFlags.Draft, mailbox.Flags);
        Assert.Equal(["$Forwarded"], mailbox.Keywords);
        Assert.Equal(MessageFlags.Deleted | MessageFlags.Seen | MessageFlags.Wildcard, mailbox.PermanentFlags);
        Assert.False(mailbox.IsReadOnly);
        Assert.Equal(ImapSessionState.Selected, client.State);
    }

    [Fact]
    public async Task Select_NonAsciiNameIsModifiedUtf7()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 EXAMINE Entw&APw-rfe\r\n")
            .Send("* 0 EXISTS\r\nA0001 OK [READ-ONLY] done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        SelectedMailbox mailbox = await client.ExamineAsync("Entwürfe");

        Assert.True(mailbox.IsReadOnly);
        Assert.Equal("Entw&APw-rfe", mailbox.EncodedName);
    }

    [Fact]
    public async Task Expunge_RenumbersAsEachArrives()
    {
        await using ScriptedServer server = Selected()
            .Expect("A0002 NOOP\r\n")
            .Send("* 2 EXPUNGE\r\n* 2 EXPUNGE\r\n* 3 EXISTS\r\n* 3 EXPUNGE\r\nA0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        SelectedMailbox mailbox = await client.SelectAsync("INBOX");
        var expunged = new List<uint>();
        client.MessagesExpunged += (_, e) => expunged.Add(e.SequenceNumber);

        await client.NoopAsync();

        Assert.Equal([2u, 2u, 3u], expunged);
        Assert.Equal(2u, mailbox.Count);
    }

    [Fact]
    public async Task Fetch_FlagsRaiseEvent()
    {
        await using ScriptedServer server = Selected()
            .Expect("A0002 UID FETCH 7:9 (UID FLAGS)\r\n")
            .Send("* 1 FETCH (UID 7 FLAGS (\\Seen))\r\n* 2 FETCH (UID 9 FLAGS ())\r\nA0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        await client.SelectAsync("INBOX");
        var changed = new List<uint>();
        client.FlagsChanged += (_, e) => changed.Add(e.Fetch.SequenceNumber);

        IReadOnlyList<FetchResponse> fetches = await client.FetchAsync(SequenceSet.Range(7, 9),
            new FetchRequest(FetchItems.Uid | FetchItems.Flags));

        Assert.Equal([7u, 9u], fetches.Select(f => f.Uid!.Value));
        Assert.Equal([1u, 2u], changed);
    }

    [Fact]
    public async Task Append_LiteralPlusSendsWithoutWaiting()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] ready\r\n")
            .Expect("A0001 APPEND INBOX (\\Seen) {5+}\r\nhello\r\n")
            .Send("A0001 OK [APPENDUID 77 42] done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        AppendResult result = await client.AppendAsync("INBOX", "hello"u8.ToArray(), MessageFlags.Seen);

        Assert.Equal(new AppendResult(77, 42), result);
    }

    [Fact]
    public async Task Append_WaitsForContinuation()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 APPEND Sent \"17-Jul-1996 02:44:25 -0700\" {5}\r\n")
            .Send("+ Ready for literal data\r\n")
            .Expect("hello\r\n")
            .Send("A0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        var date = new DateTimeOffset(1996, 7, 17, 2, 44, 25, TimeSpan.FromHours(-7));

        AppendResult result = await client.AppendAsync("Sent", "hello"u8.ToArray(), internalDate: date);

        Assert.Null(result.Uid);
    }

    [Fact]
    public async Task Append_LiteralMinusWaitsAbove4096()
    {
        string body = new('x', 5000);
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 LITERAL-] ready\r\n")
            .Expect("A0001 APPEND INBOX {5000}\r\n")
            .Send("+ go\r\n")
            .Expect(body + "\r\n")
            .Send("A0001 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await client.AppendAsync("INBOX", Encoding.ASCII.GetBytes(body));

        Assert.Equal("A0001 APPEND INBOX {5000}\r\n".Length + 5000 + 2, server.Received.Length);
    }

    [Fact]
    public async Task Append_RefusedLiteralCarriesTryCreate()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 APPEND Missing {5}\r\n")
            .Send("A0001 NO [TRYCREATE] Mailbox doesn't exist\r\n")
            .Expect("A0002 NOOP\r\n")
            .Send("A0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<ImapCommandException>(
            () => client.AppendAsync("Missing", "hello"u8.ToArray()));
        await client.NoopAsync();

        Assert.Equal(ResponseCodeKind.TryCreate, ex.CodeKind);
    }

    [Fact]
    public async Task Move_WithoutMoveCopiesStoresAndExpunges()
    {
        await using ScriptedServer server = Selected("IMAP4rev1 UIDPLUS")
            .Expect("A0002 UID COPY 4:5 Archive\r\n")
            .Send("A0002 OK [COPYUID 38 4:5 100:101] done\r\n")
            .Expect("A0003 UID STORE 4:5 +FLAGS.SILENT (\\Deleted)\r\n")
            .Send("A0003 OK done\r\n")
            .Expect("A0004 UID EXPUNGE 4:5\r\n")
            .Send("* 4 EXPUNGE\r\n* 4 EXPUNGE\r\nA0004 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        SelectedMailbox mailbox = await client.SelectAsync("INBOX");

        CopyUidResponseCode? copy = await client.MoveAsync(SequenceSet.Range(4, 5), "Archive");

        Assert.Equal("100:101", copy!.TargetUids!.ToString());
        Assert.Equal(3u, mailbox.Count);
    }

    [Fact]
    public async Task Move_UsesMoveWhenOffered()
    {
        await using ScriptedServer server = Selected("IMAP4rev1 MOVE UIDPLUS")
            .Expect("A0002 UID MOVE 4 Archive\r\n")
            .Send("* OK [COPYUID 38 4 100] moved\r\n* 4 EXPUNGE\r\nA0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        await client.SelectAsync("INBOX");

        CopyUidResponseCode? copy = await client.MoveAsync(SequenceSet.Of(4), "Archive");

        Assert.Equal("100", copy!.TargetUids!.ToString());
    }

    [Fact]
    public async Task Move_WithoutUidPlusNotSupported()
    {
        await using ScriptedServer server = Selected().Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        await client.SelectAsync("INBOX");

        var ex = await Assert.ThrowsAsync<MailCommandException>(() => client.MoveAsync(SequenceSet.Of(4), "Archive"));

        Assert.Equal(CommandErrorReason.NotSupported, ex.Reason);
    }

    [Fact]
    public async Task Search_ESearchWithUtf8Charset()
    {
        await using ScriptedServer server = Selected("IMAP4rev1 ESEARCH LITERAL+")
            .Expect("A0002 UID SEARCH RETURN (MIN MAX COUNT ALL) CHARSET UTF-8 UNSEEN SUBJECT {7+}\r\n"
                + ClientHarness.Utf8("Grüße") + "\r\n")
            .Send("* ESEARCH (TAG \"A0002\") UID MIN 4 MAX 9 COUNT 3 ALL 4,8:9\r\nA0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        await client.SelectAsync("INBOX");

        SearchResult result = await client.SearchAsync(SearchQuery.Unseen.And(SearchQuery.Subject("Grüße")));

        Assert.Equal([4u, 8u, 9u], result.Numbers);
        Assert.Equal(3u, result.Count);
    }

    [Fact]
    public async Task Search_OrAndNotAreGrouped()
    {
        await using ScriptedServer server = Selected()
            .Expect("A0002 UID SEARCH OR (FROM \"alice\" SINCE 1-Feb-2024) NOT FLAGGED\r\n")
            .Send("* SEARCH 2 7\r\nA0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        await client.SelectAsync("INBOX");

        SearchQuery query = SearchQuery.Or(
            SearchQuery.From("alice").And(SearchQuery.Since(new DateOnly(2024, 2, 1))),
            SearchQuery.Not(SearchQuery.Flagged));
        SearchResult result = await client.SearchAsync(query);

        Assert.Equal([2u, 7u], result.Numbers);
    }

    [Fact]
    public async Task Store_UnchangedSinceReportsModified()
    {
        await using ScriptedServer server = Selected()
            .Expect("A0002 UID STORE 1:3 (UNCHANGEDSINCE 12) +FLAGS.SILENT (\\Flagged $Work)\r\n")
            .Send("* 1 FETCH (UID 1 MODSEQ (9100))\r\nA0002 OK [MODIFIED 2] Conditional STORE failed\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        SelectedMailbox mailbox = await client.SelectAsync("INBOX");

        StoreResult result = await client.StoreAsync(SequenceSet.Range(1, 3), StoreAction.Add, MessageFlags.Flagged,
            ["$Work"], silent: true, unchangedSince: 12);

        Assert.Equal("2", result.Modified!.ToString());
        Assert.Equal(9100ul, mailbox.HighestModSeq);
    }

    [Fact]
    public async Task Download_StreamsLargeLiteralWithBoundedMemory()
    {
        const int size = 8 * 1024 * 1024;
        byte[] body = RandomNumberGenerator.GetBytes(size);
        byte[] head = Encoding.ASCII.GetBytes($"* 1 FETCH (UID 7 BODY[] {{{size}}}\r\n");
        byte[] tail = Encoding.ASCII.GetBytes(")\r\nA0002 OK done\r\n");
        var pool = new PeakTrackingPool();
        await using ScriptedServer server = Selected()
            .Expect("A0002 UID FETCH 7 (UID BODY.PEEK[])\r\n")
            .SendRaw([.. head, .. body, .. tail])
            .Start();
        await using ImapClient client = await ImapClient.ConnectAsync(ClientHarness.Options(server, pool: pool));
        await client.SelectAsync("INBOX");
        using var destination = new HashingStream();

        long length = await client.DownloadBodyAsync(7, destination);

        Assert.Equal(size, length);
        Assert.Equal(SHA256.HashData(body), destination.Hash());
        Assert.True(pool.PeakBytes < 1024 * 1024, $"peak {pool.PeakBytes}");
    }

    [Fact]
    public async Task Fetch_LargeLiteralKeptInMemory()
    {
        const int size = 2 * 1024 * 1024;
        byte[] body = RandomNumberGenerator.GetBytes(size);
        byte[] head = Encoding.ASCII.GetBytes($"* 1 FETCH (UID 7 BODY[] {{{size}}}\r\n");
        byte[] tail = Encoding.ASCII.GetBytes(" FLAGS (\\Seen))\r\nA0002 OK done\r\n");
        await using ScriptedServer server = Selected()
            .Expect("A0002 UID FETCH 7 (UID FLAGS BODY.PEEK[])\r\n")
            .SendRaw([.. head, .. body, .. tail])
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);
        await client.SelectAsync("INBOX");

        IReadOnlyList<FetchResponse> fetches = await client.FetchAsync(SequenceSet.Of(7),
            new FetchRequest(FetchItems.Uid | FetchItems.Flags, new FetchBodyRequest()));

        Assert.Equal(body, fetches[0].Sections[0].Data);
        Assert.Equal(MessageFlags.Seen, fetches[0].Flags);
    }

    /// <summary>A memory pool that records the largest number of bytes rented at once.</summary>
    private sealed class PeakTrackingPool : MemoryPool<byte>
    {
        private long _outstanding;
        private long _peak;

        public long PeakBytes => Interlocked.Read(ref _peak);

        public override int MaxBufferSize => 1024 * 1024;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
        {
            int size = minBufferSize <= 0 ? 4096 : minBufferSize;
            long now = Interlocked.Add(ref _outstanding, size);
            long peak;
            while (now > (peak = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
            {
            }

            return new Owner(this, new byte[size]);
        }

        protected override void Dispose(bool disposing)
        {
        }

        private sealed class Owner(PeakTrackingPool pool, byte[] array) : IMemoryOwner<byte>
        {
            private int _disposed;

            public Memory<byte> Memory => array;

            public void Dispose()
            {
                if (Interlocked.Exchange(ref _disposed, 1) == 0)
                {
                    Interlocked.Add(ref pool._outstanding, -array.Length);
                }
            }
        }
    }
}
