using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Text;
using RawMail.TestSupport;
using RawMail.Transport;
using static RawMail.Transport.Tests.ConnectionTestHelpers;

namespace RawMail.Transport.Tests;

public sealed class MailConnectionTests
{
    [Fact]
    public async Task ReadLine_ReturnsGreeting()
    {
        await using ScriptedServer server = new ScriptedServer().Send("* OK ready\r\n").Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));

        string line = await connection.ReadLineAsync();

        Assert.Equal("* OK ready", line);
        Assert.False(connection.IsEncrypted);
    }

    [Fact]
    public async Task ReadLine_LineSplitOverReads()
    {
        byte[] greeting = "+OK POP3 server ready\r\n"u8.ToArray();
        await using ScriptedServer server = new ScriptedServer().SendRaw(greeting, 1, 5, 21, 22).Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));

        string line = await connection.ReadLineAsync();

        Assert.Equal("+OK POP3 server ready", line);
    }

    [Fact]
    public async Task WriteLine_SendsBytesExactly()
    {
        await using ScriptedServer server = new ScriptedServer().Expect("a1 NOOP\r\n").Send("a1 OK\r\n").Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));

        connection.WriteLine("a1 NOOP");
        await connection.FlushAsync();
        string reply = await connection.ReadLineAsync();

        Assert.Equal("a1 OK", reply);
        Assert.Equal("a1 NOOP\r\n", Encoding.Latin1.GetString(server.Received));
    }

    [Theory]
    [InlineData("a1 SELECT INBOX\r\na2 DELETE INBOX")]
    [InlineData("a1 SELECT INBOX\na2 DELETE INBOX")]
    [InlineData("a1 SELECT INBOX\0")]
    public async Task WriteLine_RejectsLineBreakAndNul(string line)
    {
        await using ScriptedServer server = new ScriptedServer().Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));

        Assert.Throws<ArgumentException>(() => connection.WriteLine(line));
        Assert.Equal(0, connection.Output.UnflushedBytes);
    }

    [Fact]
    public async Task Read_ServerClosesMidLine()
    {
        await using ScriptedServer server = new ScriptedServer().Send("* OK half a li").Close().Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => connection.ReadLineAsync().AsTask());

        Assert.Equal(ProtocolErrorReason.ConnectionClosed, exception.Reason);
        Assert.True(connection.IsClosed);
    }

    [Fact]
    public async Task Read_LineOverLimitFailsBeforeTerminator()
    {
        // The server sends 200 bytes and then stalls without a line end; the limit must fire on what is buffered.
        await using ScriptedServer server = new ScriptedServer().Send(new string('x', 200)).Stall().Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(
            PlainOptions(server, maxLineLength: 64));

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => connection.ReadLineAsync().AsTask());

        Assert.Equal(ProtocolErrorReason.LineTooLong, exception.Reason);
        Assert.True(connection.IsClosed);
    }

    [Fact]
    public async Task Read_TimeoutClosesConnection()
    {
        await using ScriptedServer server = new ScriptedServer().Stall().Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(
            PlainOptions(server, commandTimeout: TimeSpan.FromMilliseconds(200)));

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => connection.ReadLineAsync().AsTask());

        Assert.Equal(ProtocolErrorReason.Timeout, exception.Reason);
        Assert.True(connection.IsClosed);
    }

    [Fact]
    public async Task Read_SlowLineTimesOut()
    {
        // 64 bytes with a 20 ms pause after each, so the line needs over a second while every single read gets a
        // byte well within the 200 ms command timeout. The timeout bounds the whole line, not each read.
        byte[] line = Encoding.ASCII.GetBytes(new string('x', 62) + "\r\n");
        await using ScriptedServer server = new ScriptedServer()
            .SendRaw(line, [.. Enumerable.Range(1, line.Length - 1)])
            .Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(
            PlainOptions(server, commandTimeout: TimeSpan.FromMilliseconds(200)));

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => connection.ReadLineAsync().AsTask());

        Assert.Equal(ProtocolErrorReason.Timeout, exception.Reason);
    }

    [Fact]
    public async Task Read_TimeoutReleasesBuffers()
    {
        var pool = new LeakDetectingMemoryPool();
        await using ScriptedServer server = new ScriptedServer().Send("* OK partial").Stall().Start();
        MailConnectionOptions options = PlainOptions(server, commandTimeout: TimeSpan.FromMilliseconds(200));
        MailConnection connection = await MailConnection.ConnectAsync(new MailConnectionOptions
        {
            Host = options.Host,
            Port = options.Port,
            TlsMode = TlsMode.None,
            CommandTimeout = options.CommandTimeout,
            MemoryPool = pool,
        });

        await Assert.ThrowsAsync<MailProtocolException>(() => connection.ReadLineAsync().AsTask());
        await connection.DisposeAsync();

        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, pool.Errors);
    }

    [Fact]
    public async Task DisposeDuringParse_KeepsBufferUntilAdvance()
    {
        var pool = new LeakDetectingMemoryPool();
        await using ScriptedServer server = new ScriptedServer().Send("* OK ready\r\n").Stall().Start();
        MailConnectionOptions options = PlainOptions(server);
        MailConnection connection = await MailConnection.ConnectAsync(new MailConnectionOptions
        {
            Host = options.Host,
            Port = options.Port,
            TlsMode = TlsMode.None,
            MemoryPool = pool,
        });
        ReadResult result = await connection.ReadAsync();
        while (result.Buffer.Length < 12)
        {
            connection.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await connection.ReadAsync();
        }

        // Another thread disposes the connection while the reader still parses its buffer.
        await connection.DisposeAsync();
        string text = Encoding.ASCII.GetString(result.Buffer);
        int heldAfterDispose = pool.Outstanding;
        connection.AdvanceTo(result.Buffer.End, result.Buffer.End);

        Assert.Equal("* OK ready\r\n", text);
        Assert.Equal(1, heldAfterDispose);
        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, pool.Errors);
    }

    [Theory]
    [InlineData(false, false, "192.0.2.10", true)]
    [InlineData(false, false, "127.0.0.1", false)]
    [InlineData(false, false, "127.0.0.2", false)]
    [InlineData(false, false, "::1", false)]
    [InlineData(true, false, "192.0.2.10", false)]
    [InlineData(false, true, "192.0.2.10", false)]
    public void Credentials_RejectedInClearOffLoopback(bool encrypted, bool allow, string address, bool expected)
    {
        var peer = new IPEndPoint(IPAddress.Parse(address), 143);

        Assert.Equal(expected, MailConnection.RejectsCredentials(encrypted, allow, peer));
    }

    [Fact]
    public async Task WriteSecret_AllowedInClearOnLoopback()
    {
        await using ScriptedServer server = new ScriptedServer().Expect("secret\r\n").Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));

        connection.WriteSecret("secret\r\n"u8);
        await connection.FlushAsync();

        Assert.False(connection.IsClosed);
    }

    [Fact]
    public async Task ReadLine_LenientAcceptsBareLf()
    {
        await using ScriptedServer server = new ScriptedServer().Send("+OK one\n+OK two\r\n").Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));

        string first = await connection.ReadLineAsync(LineEnding.CrLfOrLf);
        string second = await connection.ReadLineAsync(LineEnding.CrLfOrLf);

        Assert.Equal("+OK one", first);
        Assert.Equal("+OK two", second);
    }

    [Fact]
    public async Task Read_CancellationClosesConnection()
    {
        await using ScriptedServer server = new ScriptedServer().Stall().Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));
        using var cancellation = new CancellationTokenSource();

        ValueTask<string> read = connection.ReadLineAsync(cancellationToken: cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.AsTask());
        Assert.True(connection.IsClosed);
    }

    [Fact]
    public async Task Read_DisposeEndsPendingRead()
    {
        await using ScriptedServer server = new ScriptedServer().Stall().Start();
        MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));

        ValueTask<string> read = connection.ReadLineAsync();
        await connection.DisposeAsync();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => read.AsTask());
        Assert.Equal(ProtocolErrorReason.ConnectionBroken, exception.Reason);
    }

    [Fact]
    public async Task Read_AfterFailureReportsBrokenConnection()
    {
        await using ScriptedServer server = new ScriptedServer().Send("* OK").Close().Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));
        await Assert.ThrowsAsync<MailProtocolException>(() => connection.ReadLineAsync().AsTask());

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => connection.ReadLineAsync().AsTask());

        Assert.Equal(ProtocolErrorReason.ConnectionBroken, exception.Reason);
    }

    [Fact]
    public async Task Read_ParserErrorClosesConnection()
    {
        await using ScriptedServer server = new ScriptedServer().Send("garbage\r\n").Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server));

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => connection.ReadAsync(
            (ref SequenceReader<byte> reader, out int result) =>
            {
                TransportThrow.MalformedResponse("The greeting is not valid.");
                result = 0;
                return false;
            }).AsTask());

        Assert.Equal(ProtocolErrorReason.MalformedResponse, exception.Reason);
        Assert.True(connection.IsClosed);
    }

    [Fact]
    public async Task Connect_ClosedPortFails()
    {
        var options = new MailConnectionOptions
        {
            Host = "127.0.0.1",
            Port = ClosedPort(),
            TlsMode = TlsMode.None,
        };

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => MailConnection.ConnectAsync(options).AsTask());

        Assert.Equal(ProtocolErrorReason.ConnectFailed, exception.Reason);
    }

    [Fact]
    public async Task Connect_LocalEndPointFamilyMismatch()
    {
        var options = new MailConnectionOptions
        {
            Host = "127.0.0.1",
            Port = ClosedPort(),
            TlsMode = TlsMode.None,
            LocalEndPoint = new IPEndPoint(IPAddress.IPv6Loopback, 0),
        };

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => MailConnection.ConnectAsync(options).AsTask());

        Assert.Equal(ProtocolErrorReason.ConnectFailed, exception.Reason);
        Assert.Null(exception.InnerException);
    }

    [Fact]
    public async Task Connect_FallsBackToNextAddress()
    {
        // The server listens on 127.0.0.1 only, so 127.0.0.2 on the same port rejects the connection.
        await using ScriptedServer server = new ScriptedServer().Send("220 ready\r\n").Start();
        IPAddress[] addresses = [IPAddress.Parse("127.0.0.2"), IPAddress.Loopback];

        await using MailConnection connection = await MailConnection.ConnectAsync(PlainOptions(server), addresses);
        string line = await connection.ReadLineAsync();

        Assert.Equal("220 ready", line);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, server.Port), connection.RemoteEndPoint);
    }

    [Fact]
    public async Task Connect_ResolvesLocalhost()
    {
        await using ScriptedServer server = new ScriptedServer().Send("220 ready\r\n").Start();
        var options = new MailConnectionOptions { Host = "localhost", Port = server.Port, TlsMode = TlsMode.None };

        await using MailConnection connection = await MailConnection.ConnectAsync(options);
        string line = await connection.ReadLineAsync();

        Assert.Equal("220 ready", line);
    }

    [Fact]
    public async Task Connect_BindsLocalEndPoint()
    {
        await using ScriptedServer server = new ScriptedServer().Send("220 ready\r\n").Start();
        var options = new MailConnectionOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            TlsMode = TlsMode.None,
            LocalEndPoint = new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0),
        };

        await using MailConnection connection = await MailConnection.ConnectAsync(options);
        string line = await connection.ReadLineAsync();

        Assert.Equal("220 ready", line);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), server.ClientEndPoint?.Address);
    }

    [Theory]
    [InlineData((System.Security.Authentication.SslProtocols)0x300)]
    [InlineData(System.Security.Authentication.SslProtocols.None)]
    // 0x300 is TLS 1.1, whose enum member is obsolete.
    public async Task Connect_RejectsOldTlsVersions(System.Security.Authentication.SslProtocols protocols)
    {
        var options = new MailConnectionOptions { Host = "127.0.0.1", Port = 993, SslProtocols = protocols };

        await Assert.ThrowsAsync<ArgumentException>(() => MailConnection.ConnectAsync(options).AsTask());
    }
}
