using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using RawMail.TestSupport;
using RawMail.Transport;
using static RawMail.Protocols.Pop3.Tests.ScriptedPop3;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class Pop3RetrieveTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private const string StuffedReply =
        "+OK message follows\r\nSubject: dots\r\n\r\nnormal line\r\n..hidden\r\n..\r\n"
        + "tail with bare LF\n.\nstill body\r\n.\r\n";

    private const string Body =
        "Subject: dots\r\n\r\nnormal line\r\n.hidden\r\n.\r\ntail with bare LF\n.\nstill body\r\n";

    [Fact]
    public async Task Retr_UnstuffedToStream()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\n")
            .Send(StuffedReply)
            .Expect("NOOP\r\n")
            .Send("+OK\r\n");
        await using Pop3Client client = await LoginAsync(server);
        var destination = new MemoryStream();

        long written = await client.RetrieveAsync(1, destination, None);
        await client.NoopAsync(None);

        Assert.Equal(Body, Encoding.ASCII.GetString(destination.ToArray()));
        Assert.Equal(Body.Length, written);
    }

    [Fact]
    public async Task Retr_TerminatorSplitAcrossReads()
    {
        byte[] reply = Encoding.ASCII.GetBytes(StuffedReply + "+OK\r\n");
        int terminator = StuffedReply.Length - 3;
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\n")
            .SendRaw(reply, terminator - 1, terminator + 1, terminator + 2, terminator + 4)
            .Expect("NOOP\r\n");
        await using Pop3Client client = await LoginAsync(server);
        var destination = new ArrayBufferWriter<byte>();

        await client.RetrieveAsync(1, destination, None);
        await client.NoopAsync(None);

        Assert.Equal(Body, Encoding.ASCII.GetString(destination.WrittenSpan));
    }

    [Fact]
    public async Task Retr_ToPipeWriter()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\n")
            .Send(StuffedReply);
        await using Pop3Client client = await LoginAsync(server);
        var pipe = new Pipe();

        await client.RetrieveAsync(1, pipe.Writer, None);
        await pipe.Writer.CompleteAsync();
        ReadResult result = await pipe.Reader.ReadAtLeastAsync(int.MaxValue);

        Assert.Equal(Body, Encoding.ASCII.GetString(result.Buffer.ToArray()));
    }

    [Fact]
    public async Task Retr_PoolBuffersReturned()
    {
        var pool = new LeakDetectingMemoryPool();
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\n")
            .Send(StuffedReply);
        Pop3Client client = await LoginAsync(server, Options(server, pool: pool));

        await client.RetrieveAsync(1, new MemoryStream(), None);
        await client.DisposeAsync();

        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, pool.Errors);
    }

    [Fact]
    public async Task RetrieveMessage_ParsedIntoMime()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\n")
            .Send("+OK\r\nFrom: Alice <alice@example.com>\r\nSubject: dots\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\n..leading dot\r\nend\r\n.\r\n")
            .Expect("NOOP\r\n")
            .Send("+OK\r\n");
        await using Pop3Client client = await LoginAsync(server);

        using RawMail.Mime.MimeMessage message = await client.RetrieveMessageAsync(1, null, None);
        await client.NoopAsync(None);

        Assert.Equal("dots", message.Subject);
        Assert.Equal(".leading dot\r\nend\r\n", message.TextBody);
    }

    [Fact]
    public async Task RetrieveMessage_HeaderOverLimit_StaysInStep()
    {
        string longHeader = "X-Long: " + new string('a', 2000) + "\r\n";
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\n")
            .Send("+OK\r\n" + longHeader + longHeader + "Subject: big\r\n\r\nbody\r\n.\r\n")
            .Expect("NOOP\r\n")
            .Send("+OK\r\n");
        await using Pop3Client client = await LoginAsync(server);
        var options = new RawMail.Mime.MimeParserOptions { MaxHeaderBytes = 1024 };

        await Assert.ThrowsAsync<RawMail.Mime.MimeParseException>(() => client.RetrieveMessageAsync(1, options, None));
        await client.NoopAsync(None);

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Top_HeaderAndLines()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("TOP 1 0\r\n")
            .Send("+OK\r\nSubject: dots\r\n\r\n.\r\n");
        await using Pop3Client client = await LoginAsync(server);
        var destination = new MemoryStream();

        await client.RetrieveTopAsync(1, 0, destination, None);

        Assert.Equal("Subject: dots\r\n\r\n", Encoding.ASCII.GetString(destination.ToArray()));
    }

    [Fact]
    public async Task Retr_ClosedMidMessage_ConnectionClosed()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\n")
            .Send("+OK\r\nSubject: cut\r\n\r\npartial")
            .Close();
        await using Pop3Client client = await LoginAsync(server);

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => client.RetrieveAsync(1, new MemoryStream(), None));

        Assert.Equal(ProtocolErrorReason.ConnectionClosed, ex.Reason);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Retr_FailingDestination_ClosesConnection()
    {
        await using ScriptedServer server = LoggedIn()
            .Expect("RETR 1\r\n")
            .Send(StuffedReply);
        await using Pop3Client client = await LoginAsync(server);

        await Assert.ThrowsAsync<NotSupportedException>(
            () => client.RetrieveAsync(1, new MemoryStream([], writable: false), None));

        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Retr_LenientLineEnding_BareLfServer()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("+OK ready\n")
            .Expect("CAPA\r\n")
            .Send("+OK\nUSER\n.\n")
            .Expect("USER alice\r\n")
            .Send("+OK\n")
            .Expect("PASS secret\r\n")
            .Send("+OK\n")
            .Expect("RETR 1\r\n")
            .Send("+OK\nSubject: lf\n\n..dot\n.\n");
        await using Pop3Client client = await LoginAsync(server, Options(server, lineEnding: LineEnding.CrLfOrLf));
        var destination = new MemoryStream();

        await client.RetrieveAsync(1, destination, None);

        Assert.Equal("Subject: lf\n\n.dot\n", Encoding.ASCII.GetString(destination.ToArray()));
    }

    [Fact]
    public async Task Retr_ZeroNumber_ArgumentError()
    {
        await using ScriptedServer server = LoggedIn();
        await using Pop3Client client = await LoginAsync(server);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.RetrieveAsync(0, new MemoryStream(), None));
    }
}
