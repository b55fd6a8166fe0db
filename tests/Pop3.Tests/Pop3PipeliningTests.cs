using System.Text;
using RawMail.TestSupport;
using static RawMail.Protocols.Pop3.Tests.ScriptedPop3;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class Pop3PipeliningTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Dele_BatchSentBeforeReplies()
    {
        // The script reads all three commands before it replies, so a client that waited for each reply would
        // time out here.
        await using ScriptedServer server = LoggedIn()
            .Expect("DELE 1\r\nDELE 2\r\nDELE 3\r\n")
            .Send("+OK\r\n-ERR [SYS/TEMP] busy\r\n+OK\r\n")
            .Expect("NOOP\r\n")
            .Send("+OK\r\n");
        await using Pop3Client client = await LoginAsync(server);

        var ex = await Assert.ThrowsAsync<Pop3CommandException>(() => client.DeleteAsync([1, 2, 3], None));
        await client.NoopAsync(None);

        Assert.Equal(Pop3ResponseCode.SystemTemporary, ex.ResponseCode);
        Assert.Equal("DELE", ex.Command);
    }

    [Fact]
    public async Task ListAndUidl_BatchesInOrder()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("LIST 2\r\nLIST 1\r\n")
            .Send("+OK 2 200\r\n+OK 1 120\r\n")
            .Expect("UIDL 1\r\nUIDL 2\r\n")
            .Send("+OK 1 uid-one\r\n+OK uid-two\r\n");
        await using Pop3Client client = await LoginAsync(server);

        IReadOnlyList<Pop3MessageInfo> sizes = await client.ListAsync([2, 1], None);
        IReadOnlyList<Pop3UniqueId> ids = await client.GetUniqueIdsAsync([1, 2], None);

        Assert.Equal([new Pop3MessageInfo(2, 200), new Pop3MessageInfo(1, 120)], sizes);
        Assert.Equal([new Pop3UniqueId(1, "uid-one"), new Pop3UniqueId(2, "uid-two")], ids);
    }

    [Fact]
    public async Task Retr_LargeMessagesToOneStream()
    {
        // Each message is larger than the client's first sink buffer, with a stuffed line near its end.
        string body = string.Concat(Enumerable.Repeat(new string('m', 78) + "\r\n", 2000)) + ".end\r\n";
        string stuffed = body.Replace("\r\n.end", "\r\n..end", StringComparison.Ordinal);
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\nRETR 2\r\n")
            .Send("+OK\r\n" + stuffed + ".\r\n+OK\r\n" + stuffed + ".\r\n");
        await using Pop3Client client = await LoginAsync(server);
        using var destination = new MemoryStream();

        await client.RetrieveAsync([1, 2], _ => destination, None);

        Assert.Equal(body + body, Encoding.ASCII.GetString(destination.ToArray()));
    }

    [Fact]
    public async Task Retr_BatchStreamsEachMessage()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\nRETR 2\r\nRETR 3\r\n")
            .Send("+OK\r\nSubject: one\r\n\r\n..\r\n.\r\n-ERR no such message\r\n+OK\r\nSubject: three\r\n\r\n.\r\n");
        await using Pop3Client client = await LoginAsync(server);
        var streams = new Dictionary<int, MemoryStream>();

        var ex = await Assert.ThrowsAsync<Pop3CommandException>(
            () => client.RetrieveAsync([1, 2, 3], number => streams[number] = new MemoryStream(), None));

        Assert.Equal("RETR", ex.Command);
        Assert.Equal([1, 3], streams.Keys.Order());
        Assert.Equal("Subject: one\r\n\r\n.\r\n", Encoding.ASCII.GetString(streams[1].ToArray()));
        Assert.Equal("Subject: three\r\n\r\n", Encoding.ASCII.GetString(streams[3].ToArray()));
    }

    [Fact]
    public async Task Retr_DestinationFactoryThrows_ClosesConnection()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\nRETR 2\r\n")
            .Send("+OK\r\nSubject: one\r\n\r\n.\r\n+OK\r\nSubject: two\r\n\r\n.\r\n");
        await using Pop3Client client = await LoginAsync(server);

        await Assert.ThrowsAsync<IOException>(
            () => client.RetrieveAsync([1, 2], _ => throw new IOException("disk full"), None));

        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Dele_WindowSlidesPerReply()
    {
        // 32 commands go first. The script then replies to one and waits for the 33rd, which a client that drained
        // the whole window before sending more would never send.
        string Commands(int first, int last) =>
            string.Concat(Enumerable.Range(first, last - first + 1).Select(n => $"DELE {n}\r\n"));
        string Replies(int count) => string.Concat(Enumerable.Repeat("+OK\r\n", count));
        await using ScriptedServer server = LoggedIn()
            .Expect(Commands(1, 32))
            .Send(Replies(1))
            .Expect(Commands(33, 33))
            .Send(Replies(31))
            .Expect(Commands(34, 40))
            .Send(Replies(8))
            .Expect("NOOP\r\n")
            .Send("+OK\r\n");
        await using Pop3Client client = await LoginAsync(server);

        await client.DeleteAsync([.. Enumerable.Range(1, 40)], None);
        await client.NoopAsync(None);

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task WithoutPipelining_OneAtATime()
    {
        await using ScriptedServer server = LoggedIn(NoPipeliningCapa)
            .Expect("DELE 1\r\n")
            .Send("+OK\r\n")
            .Expect("DELE 2\r\n")
            .Send("+OK\r\n");
        await using Pop3Client client = await LoginAsync(server);

        await client.DeleteAsync([1, 2], None);

        Assert.EndsWith("DELE 1\r\nDELE 2\r\n", Encoding.ASCII.GetString(server.Received));
    }

    [Fact]
    public async Task InvalidNumber_NothingSent()
    {
        await using ScriptedServer server = LoggedIn();
        await using Pop3Client client = await LoginAsync(server);
        int before = server.Received.Length;

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.DeleteAsync([1, 0], None));

        Assert.Equal(before, server.Received.Length);
    }
}
