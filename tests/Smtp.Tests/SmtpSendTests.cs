using System.Text;
using RawMail.TestSupport;
using RawMail.Transport;
using static RawMail.Protocols.Smtp.Tests.SmtpTestHelpers;

namespace RawMail.Protocols.Smtp.Tests;

public sealed class SmtpSendTests
{
    private const string Body = "Subject: hi\r\n\r\nhello\r\n";

    private static ScriptedServer Session(string capabilities)
    {
        return new ScriptedServer()
            .Send("220 mx.example.com ESMTP\r\n")
            .Expect(Ehlo)
            .Send("250-mx.example.com\r\n" + capabilities);
    }

    [Fact]
    public async Task Pipelined_OneRecipientRefused()
    {
        await using ScriptedServer server = Session("250-SIZE 10240000\r\n250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n")
            .Expect("MAIL FROM:<alice@example.com> SIZE=22\r\n"
                + "RCPT TO:<bob@example.org>\r\n"
                + "RCPT TO:<nobody@example.org>\r\n"
                + "DATA\r\n")
            .Send("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n"
                + "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown\r\n"
                + "354 End data with <CR><LF>.<CR><LF>\r\n")
            .Expect(Body + ".\r\n")
            .Send("250 2.0.0 Ok: queued as 4F2A1\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        SendResult result = await client.SendAsync(
            new SmtpEnvelope("alice@example.com", "bob@example.org", "nobody@example.org"), Message(Body));

        Assert.Equal(["bob@example.org"], result.Accepted.Select(r => r.Address));
        Assert.Single(result.Refused);
        Assert.Equal("nobody@example.org", result.Refused[0].Recipient.Address);
        Assert.Equal(550, result.Refused[0].Reply.Code);
        Assert.Equal(new SmtpEnhancedStatusCode(5, 1, 1), result.Refused[0].Reply.EnhancedStatusCode);
        Assert.Equal("2.0.0 Ok: queued as 4F2A1", result.Reply.Text);
    }

    [Fact]
    public async Task Pipelined_AllRefusedThrows()
    {
        await using ScriptedServer server = Session("250 PIPELINING\r\n")
            .Expect("MAIL FROM:<alice@example.com>\r\nRCPT TO:<x@example.org>\r\nRCPT TO:<y@example.org>\r\nDATA\r\n")
            .Send("250 2.1.0 Ok\r\n550 5.1.1 unknown\r\n450 4.2.1 try later\r\n554 5.5.1 Error: no valid recipients\r\n")
            .Expect("RSET\r\n")
            .Send("250 2.0.0 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SendAsync(
            new SmtpEnvelope("alice@example.com", "x@example.org", "y@example.org"), Message(Body)).AsTask());

        Assert.Equal(2, exception.Refused.Count);
        Assert.Equal(550, exception.Refused[0].Reply.Code);
        Assert.Equal(450, exception.Refused[1].Reply.Code);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Pipelined_AllRefusedButDataAccepted()
    {
        // RFC 2920 section 3.1: when DATA is accepted without any recipient, the client ends it with an empty
        // message before giving up.
        await using ScriptedServer server = Session("250 PIPELINING\r\n")
            .Expect("MAIL FROM:<alice@example.com>\r\nRCPT TO:<x@example.org>\r\nDATA\r\n")
            .Send("250 Ok\r\n550 unknown\r\n354 go ahead\r\n")
            .Expect(".\r\n")
            .Send("554 no valid recipients\r\n")
            .Expect("RSET\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SendAsync(
            new SmtpEnvelope("alice@example.com", "x@example.org"), Message(Body)).AsTask());

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Pipelined_MailRefused()
    {
        await using ScriptedServer server = Session("250 PIPELINING\r\n")
            .Expect("MAIL FROM:<alice@example.com>\r\nRCPT TO:<x@example.org>\r\nDATA\r\n")
            .Send("553 5.7.1 Sender rejected\r\n503 5.5.1 need MAIL\r\n503 5.5.1 need RCPT\r\n")
            .Expect("NOOP\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(
            new SmtpEnvelope("alice@example.com", "x@example.org"), Message(Body)).AsTask());
        SmtpReply noop = await client.NoopAsync();

        Assert.Equal(553, exception.Reply.Code);
        Assert.Equal(250, noop.Code);
    }

    [Fact]
    public async Task Sequential_WithoutPipelining()
    {
        await using ScriptedServer server = Session("250 8BITMIME\r\n")
            .Expect("MAIL FROM:<> BODY=8BITMIME\r\n")
            .Send("250 Ok\r\n")
            .Expect("RCPT TO:<bob@example.org>\r\n")
            .Send("550 unknown\r\n")
            .Expect("RCPT TO:<carol@example.org>\r\n")
            .Send("251 will forward\r\n")
            .Expect("DATA\r\n")
            .Send("354 go ahead\r\n")
            .Expect(Body + ".\r\n")
            .Send("250 queued\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        SendResult result = await client.SendAsync(
            new SmtpEnvelope("", "bob@example.org", "carol@example.org"),
            Message(Body),
            new SmtpSendOptions { Body = SmtpBodyType.EightBitMime });

        Assert.Equal(["carol@example.org"], result.Accepted.Select(r => r.Address));
        Assert.Equal(550, result.Refused[0].Reply.Code);
    }

    [Fact]
    public async Task Sequential_AllRefusedSkipsData()
    {
        await using ScriptedServer server = Session("250 SIZE\r\n")
            .Expect("MAIL FROM:<alice@example.com>\r\n")
            .Send("250 Ok\r\n")
            .Expect("RCPT TO:<bob@example.org>\r\n")
            .Send("550 unknown\r\n")
            .Expect("RSET\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SendAsync(
            new SmtpEnvelope("alice@example.com", "bob@example.org"),
            new NonSeekableStream(Encoding.ASCII.GetBytes(Body))).AsTask());
    }

    [Fact]
    public async Task DataRejectedAfterBody_ThrowsAndStaysUsable()
    {
        await using ScriptedServer server = Session("250 PIPELINING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n")
            .Send("250 Ok\r\n250 Ok\r\n354 go\r\n")
            .Expect(Body + ".\r\n")
            .Send("554 5.7.1 Message rejected as spam\r\n")
            .Expect("NOOP\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), Message(Body)).AsTask());
        await client.NoopAsync();

        Assert.Equal(554, exception.Reply.Code);
        Assert.Equal(new SmtpEnhancedStatusCode(5, 7, 1), exception.Reply.EnhancedStatusCode);
    }

    [Fact]
    public async Task RecipientAnswered421_ServerShutdown()
    {
        await using ScriptedServer server = Session("250 PIPELINING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n")
            .Send("250 Ok\r\n421 4.7.0 mx.example.com Error: too many errors\r\n")
            .Close()
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), Message(Body)).AsTask());

        Assert.Equal(ProtocolErrorReason.ServerShutdown, exception.Reason);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task ClosedMidTransaction_ConnectionClosed()
    {
        await using ScriptedServer server = Session("250 8BITMIME\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\n")
            .Close()
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), Message(Body)).AsTask());

        Assert.Equal(ProtocolErrorReason.ConnectionClosed, exception.Reason);
    }

    [Fact]
    public async Task Bdat_SingleLastChunk()
    {
        await using ScriptedServer server = Session("250-CHUNKING\r\n250 PIPELINING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\n")
            .Send("250 Ok\r\n250 Ok\r\n")
            .Expect("BDAT 27 LAST\r\nSubject: dots\r\n\r\n.\r\n..two\r\n")
            .Send("250 2.0.0 Ok: queued\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        SendResult result = await client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), Message("Subject: dots\n\n.\n..two"));

        Assert.Equal("2.0.0 Ok: queued", result.Reply.Text);
    }

    [Fact]
    public async Task Bdat_EnvelopeAndChunkInOneWrite()
    {
        // The script reads the whole transaction before it replies, so a client that waited for the MAIL and RCPT
        // replies before sending BDAT would time out here.
        await using ScriptedServer server = Session("250-CHUNKING\r\n250 PIPELINING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nBDAT 7 LAST\r\nhello\r\n")
            .Send("250 Ok\r\n250 Ok\r\n250 2.0.0 Ok: queued\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        SendResult result = await client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), Message("hello"));

        Assert.Equal("2.0.0 Ok: queued", result.Reply.Text);
        Assert.Equal(["b@example.org"], result.Accepted.Select(r => r.Address));
    }

    [Fact]
    public async Task Bdat_PipelinedMailRefusedThrows()
    {
        await using ScriptedServer server = Session("250-CHUNKING\r\n250 PIPELINING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nBDAT 7 LAST\r\nhello\r\n")
            .Send("550 5.7.1 Sender refused\r\n503 5.5.1 Need MAIL\r\n503 5.5.1 Need RCPT\r\n")
            .Expect("NOOP\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), Message("hello")).AsTask());
        await client.NoopAsync();

        Assert.Equal(550, exception.Reply.Code);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Bdat_PipelinedRecipientsRefusedResets()
    {
        await using ScriptedServer server = Session("250-CHUNKING\r\n250 PIPELINING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nBDAT 7 LAST\r\nhello\r\n")
            .Send("250 Ok\r\n550 5.1.1 User unknown\r\n554 5.5.1 No valid recipients\r\n")
            .Expect("RSET\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), Message("hello")).AsTask());

        Assert.Single(exception.Refused);
        Assert.Equal(550, exception.Refused[0].Reply.Code);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Bdat_RefusedEnvelopeStopsChunks()
    {
        // After the first chunk the client reads the envelope replies, so no second chunk follows a refusal.
        await using ScriptedServer server = Session("250-CHUNKING\r\n250 PIPELINING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nBDAT 4\r\nabcd")
            .Send("250 Ok\r\n550 5.1.1 User unknown\r\n554 5.5.1 No valid recipients\r\n")
            .Expect("RSET\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"),
            Message("abcdefgh"),
            new SmtpSendOptions { ChunkSize = 4 }).AsTask());

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Bdat_ChunksEachAnswered()
    {
        await using ScriptedServer server = Session("250 CHUNKING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\n")
            .Send("250 Ok\r\n")
            .Expect("RCPT TO:<b@example.org>\r\n")
            .Send("250 Ok\r\n")
            .Expect("BDAT 4\r\nabcd")
            .Send("250 2.0.0 4 octets received\r\n")
            .Expect("BDAT 7 LAST\r\nef\r\ng\r\n")
            .Send("250 2.0.0 Ok: queued\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        SendResult result = await client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"),
            Message("abcdef\ng"),
            new SmtpSendOptions { ChunkSize = 4 });

        Assert.Equal(250, result.Reply.Code);
    }

    [Fact]
    public async Task Bdat_RefusedChunkResets()
    {
        await using ScriptedServer server = Session("250 CHUNKING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\n")
            .Send("250 Ok\r\n")
            .Expect("RCPT TO:<b@example.org>\r\n")
            .Send("250 Ok\r\n")
            .Expect("BDAT 4\r\nabcd")
            .Send("552 5.3.4 Message too big\r\n")
            .Expect("RSET\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"),
            Message("abcdefgh"),
            new SmtpSendOptions { ChunkSize = 4 }).AsTask());

        Assert.Equal(552, exception.Reply.Code);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ChunkingOff_UsesData()
    {
        await using ScriptedServer server = Session("250 CHUNKING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\n")
            .Send("250 Ok\r\n")
            .Expect("RCPT TO:<b@example.org>\r\n")
            .Send("250 Ok\r\n")
            .Expect("DATA\r\n")
            .Send("354 go\r\n")
            .Expect("..x\r\n.\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        SendResult result = await client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"),
            Message(".x"),
            new SmtpSendOptions { UseChunking = false });

        Assert.Equal(250, result.Reply.Code);
    }

    [Fact]
    public async Task ManyMessages_OneConnection()
    {
        ScriptedServer script = Session("250 PIPELINING\r\n");
        for (int i = 0; i < 3; i++)
        {
            script
                .Expect($"MAIL FROM:<a@example.com>\r\nRCPT TO:<b{i}@example.org>\r\nDATA\r\n")
                .Send("250 Ok\r\n250 Ok\r\n354 go\r\n")
                .Expect($"message {i}\r\n.\r\n")
                .Send($"250 Ok: queued as {i}\r\n");
        }

        await using ScriptedServer server = script.Start();
        await using SmtpClient client = await ConnectAsync(server);

        for (int i = 0; i < 3; i++)
        {
            SendResult result = await client.SendAsync(
                new SmtpEnvelope("a@example.com", $"b{i}@example.org"), Message($"message {i}"));

            Assert.Equal($"Ok: queued as {i}", result.Reply.Text);
        }
    }

    [Fact]
    public async Task DsnAndRequireTlsParameters()
    {
        await using ScriptedServer server = Session("250-DSN\r\n250-REQUIRETLS\r\n250 STARTTLS\r\n")
            .Expect("STARTTLS\r\n")
            .Send("220 go ahead\r\n")
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Expect(Ehlo)
            .Send("250-mx\r\n250-DSN\r\n250 REQUIRETLS\r\n")
            .Expect("MAIL FROM:<a@example.com> RET=HDRS ENVID=QQ+2B1+3D2 REQUIRETLS\r\n")
            .Send("250 Ok\r\n")
            .Expect("RCPT TO:<b@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+2Bx@example.org\r\n")
            .Send("250 Ok\r\n")
            .Expect("RCPT TO:<c@example.org> NOTIFY=NEVER\r\n")
            .Send("250 Ok\r\n")
            .Expect("DATA\r\n")
            .Send("354 go\r\n")
            .Expect("x\r\n.\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server, TlsMode.StartTls);
        var recipients = new[]
        {
            new SmtpRecipient("b@example.org")
            {
                Notify = DsnNotify.Success | DsnNotify.Failure,
                OriginalRecipient = "b+x@example.org",
            },
            new SmtpRecipient("c@example.org") { Notify = DsnNotify.Never },
        };

        SendResult result = await client.SendAsync(
            new SmtpEnvelope("a@example.com", recipients),
            Message("x"),
            new SmtpSendOptions { Return = DsnReturn.Headers, EnvelopeId = "QQ+1=2", RequireTls = true });

        Assert.Equal(2, result.Accepted.Count);
    }

    [Fact]
    public async Task DsnNotOffered_NotSupported()
    {
        await using ScriptedServer server = Session("250 PIPELINING\r\n").Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailCommandException>(() => client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"),
            Message("x"),
            new SmtpSendOptions { Return = DsnReturn.Full }).AsTask());

        Assert.Equal(CommandErrorReason.NotSupported, exception.Reason);
        Assert.Equal(Ehlo, Encoding.Latin1.GetString(server.Received));
    }

    [Theory]
    [InlineData("a@example.com\r\nRCPT TO:<evil@example.net>", "b@example.org")]
    [InlineData("a@example.com", "b@example.org\nDATA")]
    [InlineData("a@example.com\0", "b@example.org")]
    [InlineData("a@example.com", "b@example.org> NOTIFY=NEVER")]
    [InlineData("a@example.com", "b\t@example.org")]
    [InlineData("a@example.com", "")]
    [InlineData("jörg@example.com", "b@example.org")]
    [InlineData("a@example.com", "用户@例子.广告")]
    public async Task BadAddress_RejectedBeforeSending(string from, string recipient)
    {
        await using ScriptedServer server = Session("250 PIPELINING\r\n").Start();
        await using SmtpClient client = await ConnectAsync(server);

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(
            new SmtpEnvelope(from, recipient), Message("x")).AsTask());

        Assert.Equal(Ehlo, Encoding.Latin1.GetString(server.Received));
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task NonAsciiAddress_SmtpUtf8()
    {
        string utf8 = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("MAIL FROM:<jörg@example.com> SMTPUTF8\r\n"));
        await using ScriptedServer server = Session("250 SMTPUTF8\r\n")
            .Expect(utf8)
            .Send("250 Ok\r\n")
            .Expect("RCPT TO:<b@example.org>\r\n")
            .Send("250 Ok\r\n")
            .Expect("DATA\r\n")
            .Send("354 go\r\n")
            .Expect("x\r\n.\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        SendResult result = await client.SendAsync(new SmtpEnvelope("jörg@example.com", "b@example.org"), Message("x"));

        Assert.Single(result.Accepted);
    }

    [Fact]
    public async Task OverSizeLimit_NotSent()
    {
        await using ScriptedServer server = Session("250 SIZE 10\r\n").Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailCommandException>(() => client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), Message("eleven byte")).AsTask());

        Assert.Equal(CommandErrorReason.PermanentFailure, exception.Reason);
        Assert.Equal(Ehlo, Encoding.Latin1.GetString(server.Received));
    }

    [Fact]
    public async Task Buffers_ReturnedAfterSession()
    {
        var pool = new LeakDetectingMemoryPool();
        await using ScriptedServer server = Session("250-PIPELINING\r\n250 CHUNKING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\n")
            .Send("250 Ok\r\n250 Ok\r\n")
            .Expect("BDAT 3 LAST\r\nx\r\n")
            .Send("250 Ok\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\n")
            .Send("250 Ok\r\n250 Ok\r\n")
            .Expect("DATA\r\n")
            .Send("354 go\r\n")
            .Expect("y\r\n.\r\n")
            .Send("250 Ok\r\n")
            .Expect("QUIT\r\n")
            .Send("221 Bye\r\n")
            .Start();
        SmtpClientOptions options = Options(server);
        SmtpClient client = await SmtpClient.ConnectAsync(new SmtpClientOptions
        {
            Connection = new MailConnectionOptions
            {
                Host = options.Connection.Host,
                Port = options.Connection.Port,
                TlsMode = TlsMode.None,
                MemoryPool = pool,
            },
            EhloDomain = options.EhloDomain,
        });

        await client.SendAsync(new SmtpEnvelope("a@example.com", "b@example.org"), Message("x"));
        await client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), Message("y"), new SmtpSendOptions { UseChunking = false });
        await client.QuitAsync();

        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, pool.Errors);
    }

    [Fact]
    public async Task Log_ShowsMessageLengthOnly()
    {
        var writer = new StringWriter();
        await using ScriptedServer server = Session("250 PIPELINING\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n")
            .Send("250 Ok\r\n250 Ok\r\n354 go\r\n")
            .Expect("Subject: private\r\n\r\nconfidential text\r\n.\r\n")
            .Send("250 Ok\r\n")
            .Start();
        SmtpClientOptions options = Options(server, log: new RawMail.Transport.Diagnostics.ProtocolLog(writer));
        await using SmtpClient client = await SmtpClient.ConnectAsync(options);

        await client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), Message("Subject: private\n\nconfidential text\n"));

        string log = writer.ToString();
        Assert.Contains("C: MAIL FROM:<a@example.com>", log, StringComparison.Ordinal);
        Assert.DoesNotContain("confidential", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PipeReaderSource()
    {
        await using ScriptedServer server = Session("250 SIZE 100\r\n")
            .Expect("MAIL FROM:<a@example.com> SIZE=5\r\n")
            .Send("250 Ok\r\n")
            .Expect("RCPT TO:<b@example.org>\r\n")
            .Send("250 Ok\r\n")
            .Expect("DATA\r\n")
            .Send("354 go\r\n")
            .Expect("..a\r\nb\r\n.\r\n")
            .Send("250 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);
        var pipe = new System.IO.Pipelines.Pipe();
        await pipe.Writer.WriteAsync(".a\nb"u8.ToArray());
        await pipe.Writer.CompleteAsync();

        SendResult result = await client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), pipe.Reader, new SmtpSendOptions { Size = 5 });

        Assert.Equal(250, result.Reply.Code);
    }

    [Fact]
    public async Task SourceFails_ConnectionClosed()
    {
        await using ScriptedServer server = Session("250 8BITMIME\r\n")
            .Expect("MAIL FROM:<a@example.com>\r\n")
            .Send("250 Ok\r\n")
            .Expect("RCPT TO:<b@example.org>\r\n")
            .Send("250 Ok\r\n")
            .Expect("DATA\r\n")
            .Send("354 go\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        await Assert.ThrowsAsync<IOException>(() => client.SendAsync(
            new SmtpEnvelope("a@example.com", "b@example.org"), new FailingStream()).AsTask());

        Assert.False(client.IsConnected);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("The source stream failed to read.");

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
