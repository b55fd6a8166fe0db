using RawMail.TestSupport;
using RawMail.Transport;
using static RawMail.Protocols.Smtp.Tests.SmtpTestHelpers;

namespace RawMail.Protocols.Smtp.Tests;

public sealed class SmtpSessionTests
{
    [Fact]
    public async Task Greeting_MultiLine()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220-mx.example.com ESMTP\r\n220-no UCE\r\n220 ready\r\n")
            .Expect(Ehlo)
            .Send("250 mx.example.com\r\n")
            .Start();

        await using SmtpClient client = await ConnectAsync(server);

        Assert.Equal(220, client.Greeting.Code);
        Assert.Equal(["mx.example.com ESMTP", "no UCE", "ready"], client.Greeting.Lines);
        Assert.True(client.Capabilities.IsExtended);
    }

    [Fact]
    public async Task Greeting_554IsCommandError()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("554 5.7.1 No SMTP service here\r\n")
            .Start();

        var exception = await Assert.ThrowsAsync<SmtpCommandException>(() => ConnectAsync(server).AsTask());

        Assert.Equal(CommandErrorReason.PermanentFailure, exception.Reason);
        Assert.Equal(554, exception.Reply.Code);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Greeting_450IsTransient()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("450 try later\r\n")
            .Start();

        var exception = await Assert.ThrowsAsync<SmtpCommandException>(() => ConnectAsync(server).AsTask());

        Assert.Equal(CommandErrorReason.TransientFailure, exception.Reason);
    }

    [Fact]
    public async Task Greeting_421IsServerShutdown()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("421 4.3.2 mx.example.com shutting down\r\n")
            .Close()
            .Start();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => ConnectAsync(server).AsTask());

        Assert.Equal(ProtocolErrorReason.ServerShutdown, exception.Reason);
    }

    [Fact]
    public async Task Greeting_NotSmtpIsMalformed()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK IMAP4rev1 ready\r\n")
            .Start();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => ConnectAsync(server).AsTask());

        Assert.Equal(ProtocolErrorReason.MalformedResponse, exception.Reason);
    }

    [Fact]
    public async Task Greeting_ClosedIsConnectionClosed()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220-mx.example.com\r\n")
            .Close()
            .Start();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => ConnectAsync(server).AsTask());

        Assert.Equal(ProtocolErrorReason.ConnectionClosed, exception.Reason);
    }

    [Fact]
    public async Task Ehlo_RejectedFallsBackToHelo()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 old.example.com\r\n")
            .Expect(Ehlo)
            .Send("502 5.5.2 Command not recognized\r\n")
            .Expect("HELO client.example.com\r\n")
            .Send("250 old.example.com\r\n")
            .Start();

        await using SmtpClient client = await ConnectAsync(server);

        Assert.False(client.Capabilities.IsExtended);
        Assert.Equal(SmtpExtensions.None, client.Capabilities.Extensions);
    }

    [Fact]
    public async Task Ehlo_DefaultDomainIsAddressLiteral()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx.example.com\r\n")
            .Expect("EHLO [127.0.0.1]\r\n")
            .Send("250 mx.example.com\r\n")
            .Start();

        var options = new SmtpClientOptions { Connection = Options(server).Connection };
        await using SmtpClient client = await SmtpClient.ConnectAsync(options);

        Assert.True(client.Capabilities.IsExtended);
    }

    [Theory]
    [InlineData("192.0.2.10", "[192.0.2.10]")]
    [InlineData("::ffff:192.0.2.10", "[192.0.2.10]")]
    [InlineData("2001:db8::1", "[IPv6:2001:db8::1]")]
    public void AddressLiteral_Formats(string address, string expected)
    {
        var endPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Parse(address), 25);

        Assert.Equal(expected, SmtpClient.FormatAddressLiteral(endPoint));
    }

    [Fact]
    public async Task Ehlo_TransientFailureThrows()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("451 4.3.0 busy\r\n")
            .Start();

        var exception = await Assert.ThrowsAsync<SmtpCommandException>(() => ConnectAsync(server).AsTask());

        Assert.Equal(451, exception.Reply.Code);
        Assert.Equal(Ehlo, System.Text.Encoding.Latin1.GetString(server.Received));
    }

    [Fact]
    public async Task StartTls_FreshEhloOverTls()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx.example.com ESMTP\r\n")
            .Expect(Ehlo)
            .Send("250-mx.example.com\r\n250-AUTH=PLAIN\r\n250 STARTTLS\r\n")
            .Expect("STARTTLS\r\n")
            .Send("220 2.0.0 Ready to start TLS\r\n")
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Expect(Ehlo)
            .Send("250-mx.example.com\r\n250-SIZE 1000\r\n250 AUTH XOAUTH2\r\n")
            .Start();

        await using SmtpClient client = await ConnectAsync(server, TlsMode.StartTls);

        Assert.True(client.IsEncrypted);
        Assert.Equal(["XOAUTH2"], client.Capabilities.AuthenticationMechanisms);
        Assert.False(client.Capabilities.Supports(SmtpExtensions.StartTls));
        Assert.Equal(1000, client.Capabilities.MaxMessageSize);
    }

    [Fact]
    public async Task StartTls_NotOfferedIsRefused()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH PLAIN\r\n")
            .Start();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => ConnectAsync(server, TlsMode.StartTls).AsTask());

        Assert.Equal(ProtocolErrorReason.StartTlsRefused, exception.Reason);
        Assert.Equal(Ehlo, System.Text.Encoding.Latin1.GetString(server.Received));
    }

    [Fact]
    public async Task StartTls_RejectedIsRefused()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250-mx\r\n250 STARTTLS\r\n")
            .Expect("STARTTLS\r\n")
            .Send("454 4.7.0 TLS not available due to local problem\r\n")
            .Start();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => ConnectAsync(server, TlsMode.StartTls).AsTask());

        Assert.Equal(ProtocolErrorReason.StartTlsRefused, exception.Reason);
    }

    [Fact]
    public async Task StartTls_PlaintextAfterGoAhead()
    {
        // The injected reply arrives in the same write as the go-ahead, before any TLS byte.
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250-mx\r\n250 STARTTLS\r\n")
            .Expect("STARTTLS\r\n")
            .Send("220 go ahead\r\n250-mx\r\n250 AUTH PLAIN\r\n")
            .Start();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => ConnectAsync(server, TlsMode.StartTls).AsTask());

        Assert.Equal(ProtocolErrorReason.PlaintextAfterStartTls, exception.Reason);
    }

    [Fact]
    public async Task TlsModeNone_IgnoresStartTls()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250-mx\r\n250 STARTTLS\r\n")
            .Expect("NOOP\r\n")
            .Send("250 2.0.0 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        SmtpReply reply = await client.NoopAsync();

        Assert.False(client.IsEncrypted);
        Assert.Equal(250, reply.Code);
    }

    [Fact]
    public async Task NoopResetQuit()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250 mx\r\n")
            .Expect("NOOP\r\n")
            .Send("250 2.0.0 Ok\r\n")
            .Expect("RSET\r\n")
            .Send("250 2.0.0 Ok\r\n")
            .Expect("QUIT\r\n")
            .Send("221 2.0.0 Bye\r\n")
            .Start();
        SmtpClient client = await ConnectAsync(server);

        await client.NoopAsync();
        await client.ResetAsync();
        await client.QuitAsync();

        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Quit_ServerClosesWithoutReply()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250 mx\r\n")
            .Expect("QUIT\r\n")
            .Close()
            .Start();
        SmtpClient client = await ConnectAsync(server);

        await client.QuitAsync();

        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Noop_421IsServerShutdown()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250 mx\r\n")
            .Expect("NOOP\r\n")
            .Send("421 4.4.2 mx Error: timeout exceeded\r\n")
            .Close()
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => client.NoopAsync().AsTask());

        Assert.Equal(ProtocolErrorReason.ServerShutdown, exception.Reason);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Canceled_ConnectionClosed()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250 mx\r\n")
            .Expect("NOOP\r\n")
            .Stall()
            .Start();
        await using SmtpClient client = await ConnectAsync(server);
        using var cancellation = new CancellationTokenSource();
        ValueTask<SmtpReply> noop = client.NoopAsync(cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => noop.AsTask());
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Stalled_Timeout()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Stall()
            .Start();
        SmtpClientOptions options = Options(server);

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => SmtpClient.ConnectAsync(
            new SmtpClientOptions
            {
                Connection = new MailConnectionOptions
                {
                    Host = options.Connection.Host,
                    Port = options.Connection.Port,
                    TlsMode = TlsMode.None,
                    CommandTimeout = TimeSpan.FromMilliseconds(200),
                },
            }).AsTask());

        Assert.Equal(ProtocolErrorReason.Timeout, exception.Reason);
    }

    [Fact]
    public async Task EhloDomainWithLineBreak_Rejected()
    {
        await using ScriptedServer server = new ScriptedServer().Start();
        SmtpClientOptions options = Options(server);

        await Assert.ThrowsAsync<ArgumentException>(
            () => SmtpClient.ConnectAsync(new SmtpClientOptions
            {
                Connection = options.Connection,
                EhloDomain = "client\r\nRCPT TO:<x@example.com>",
            }).AsTask());
    }

    [Fact]
    public async Task ConcurrentCommand_Rejected()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250 mx\r\n")
            .Expect("NOOP\r\n")
            .Stall()
            .Start();
        await using SmtpClient client = await ConnectAsync(server);
        ValueTask<SmtpReply> first = client.NoopAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.ResetAsync().AsTask());

        Assert.False(first.IsCompleted);
    }

    [Fact]
    public async Task ConcurrentSend_Rejected()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250 mx\r\n")
            .Expect("NOOP\r\n")
            .Stall()
            .Start();
        await using SmtpClient client = await ConnectAsync(server);
        ValueTask<SmtpReply> first = client.NoopAsync();
        var envelope = new SmtpEnvelope("a@example.com", [new SmtpRecipient("b@example.com")]);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => client.SendAsync(envelope, new MemoryStream("Subject: x\r\n\r\nx\r\n"u8.ToArray())).AsTask());

        Assert.False(first.IsCompleted);
    }

    [Fact]
    public async Task DisposeDuringCommand_ConnectionBroken()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx\r\n")
            .Expect(Ehlo)
            .Send("250 mx\r\n")
            .Expect("NOOP\r\n")
            .Stall()
            .Start();
        SmtpClient client = await ConnectAsync(server);
        ValueTask<SmtpReply> noop = client.NoopAsync();

        await client.DisposeAsync();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => noop.AsTask());
        Assert.Equal(ProtocolErrorReason.ConnectionBroken, exception.Reason);
    }

    [Fact]
    public async Task MaxReplyLineLengthZero_Rejected()
    {
        await using ScriptedServer server = new ScriptedServer().Start();
        SmtpClientOptions options = Options(server);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => SmtpClient.ConnectAsync(new SmtpClientOptions
            {
                Connection = options.Connection,
                MaxReplyLineLength = 0,
            }).AsTask());
    }
}
