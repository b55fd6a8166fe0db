using System.Text;
using Microsoft.Extensions.Logging;
using RawMail.TestSupport;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Transport.Tests;

public sealed class ProtocolLogTests
{
    private const string Token = "ya29.SecretAccessToken-0123456789";
    private const string Password = "hunter2-Pa55word";

    private static readonly string s_xoauth2 =
        Base64("user=alice@example.com\u0001auth=Bearer " + Token + "\u0001\u0001");
    private static readonly string s_plain = Base64("\0alice@example.com\0" + Password);

    private static string Base64(string text)
    {
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }

    private static byte[] Bytes(string text)
    {
        return Encoding.Latin1.GetBytes(text);
    }

    /// <summary>Logs <paramref name="text"/> as client data in two writes split at <paramref name="split"/>.</summary>
    private static void ClientInTwoWrites(ProtocolLog log, string text, int split)
    {
        log.LogClient(Bytes(text[..split]));
        log.LogClient(Bytes(text[split..]));
    }

    private static void AssertNoSecrets(string transcript)
    {
        Assert.DoesNotContain(Token, transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64(Token), transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(Base64(Password), transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(s_xoauth2, transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(s_xoauth2[..16], transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(s_plain, transcript, StringComparison.Ordinal);
        Assert.DoesNotContain(s_plain[..12], transcript, StringComparison.Ordinal);
    }

    [Fact]
    public void ImapXoauth2InitialResponse()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        ClientInTwoWrites(log, "a1 AUTHENTICATE XOAUTH2 " + s_xoauth2 + "\r\n", 40);
        log.LogServer(Bytes("+ eyJzdGF0dXMiOiI0MDEifQ==\r\n"));
        log.LogClient(Bytes("\r\n"));
        log.LogServer(Bytes("a1 NO AUTHENTICATE failed\r\n"));
        log.LogClient(Bytes("a2 NOOP\r\n"));

        string transcript = writer.ToString();
        AssertNoSecrets(transcript);
        Assert.Equal(
            "C: a1 AUTHENTICATE XOAUTH2 ********\n"
                + "S: + ********\n"
                + "C: ********\n"
                + "S: a1 NO AUTHENTICATE failed\n"
                + "C: a2 NOOP\n",
            transcript);
    }

    [Fact]
    public void ImapXoauth2Continuation()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogClient(Bytes("a1 AUTHENTICATE XOAUTH2\r\n"));
        log.LogServer(Bytes("+ \r\n"));
        ClientInTwoWrites(log, s_xoauth2 + "\r\n", 30);
        log.LogServer(Bytes("a1 OK done\r\n"));

        string transcript = writer.ToString();
        AssertNoSecrets(transcript);
        Assert.Equal("C: a1 AUTHENTICATE XOAUTH2\nS: + \nC: ********\nS: a1 OK done\n", transcript);
    }

    [Fact]
    public void ContinuationMaskedInsideExplicitScope()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        using (log.BeginAuthentication())
        {
            // The command line is not a known shape here, so only the scope protects what follows.
            log.LogClient(Bytes("a1 X-CUSTOM-AUTH\r\n"));
            log.LogServer(Bytes("+ Y2hhbGxlbmdl\r\n"));
            ClientInTwoWrites(log, s_plain + "\r\n", 10);
        }

        log.LogClient(Bytes("a2 NOOP\r\n"));

        string transcript = writer.ToString();
        AssertNoSecrets(transcript);
        Assert.Equal("C: ********\nS: + ********\nC: ********\nC: a2 NOOP\n", transcript);
    }

    [Fact]
    public void SmtpAuthPlainInitialResponse()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        ClientInTwoWrites(log, "AUTH PLAIN " + s_plain + "\r\n", 15);
        log.LogServer(Bytes("235 2.7.0 Authentication successful\r\n"));
        log.LogClient(Bytes("MAIL FROM:<alice@example.com>\r\n"));

        string transcript = writer.ToString();
        AssertNoSecrets(transcript);
        Assert.Equal(
            "C: AUTH PLAIN ********\nS: 235 2.7.0 Authentication successful\nC: MAIL FROM:<alice@example.com>\n",
            transcript);
    }

    [Fact]
    public void SmtpAuthLoginChallenges()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogClient(Bytes("AUTH LOGIN\r\n"));
        log.LogServer(Bytes("334 VXNlcm5hbWU6\r\n"));
        log.LogClient(Bytes(Base64("alice") + "\r\n"));
        log.LogServer(Bytes("334 UGFzc3dvcmQ6\r\n"));
        ClientInTwoWrites(log, Base64(Password) + "\r\n", 5);
        log.LogServer(Bytes("535 5.7.8 rejected\r\n"));

        string transcript = writer.ToString();
        AssertNoSecrets(transcript);
        Assert.Equal(
            "C: AUTH LOGIN\nS: 334 ********\nC: ********\nS: 334 ********\nC: ********\nS: 535 5.7.8 rejected\n",
            transcript);
    }

    [Fact]
    public void BareContinuationsKeptDuringAuthentication()
    {
        // "+" and "334" without text are empty challenges (Yandex, Office 365); they carry nothing to mask.
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogClient(Bytes("AUTH XOAUTH2 " + s_xoauth2 + "\r\n"));
        log.LogServer(Bytes("334\r\n"));
        log.LogClient(Bytes("\r\n"));
        log.LogServer(Bytes("535 5.7.8 rejected\r\n"));
        log.LogClient(Bytes("a1 AUTHENTICATE XOAUTH2\r\n"));
        log.LogServer(Bytes("+\r\n"));
        log.LogClient(Bytes(s_xoauth2 + "\r\n"));
        log.LogServer(Bytes("a1 OK\r\n"));

        string transcript = writer.ToString();
        AssertNoSecrets(transcript);
        Assert.Equal(
            "C: AUTH XOAUTH2 ********\nS: 334\nC: ********\nS: 535 5.7.8 rejected\n"
                + "C: a1 AUTHENTICATE XOAUTH2\nS: +\nC: ********\nS: a1 OK\n",
            transcript);
    }

    [Fact]
    public void UntaggedLineKeepsExchangeOpen()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogClient(Bytes("a1 AUTHENTICATE PLAIN\r\n"));
        log.LogServer(Bytes("* CAPABILITY IMAP4rev1\r\n"));
        log.LogServer(Bytes("+ \r\n"));
        log.LogClient(Bytes(s_plain + "\r\n"));

        AssertNoSecrets(writer.ToString());
        Assert.EndsWith("C: ********\n", writer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a1 LOGIN alice " + Password + "\r\n", "C: a1 LOGIN alice ********\n")]
    [InlineData("a1 login \"alice\" \"" + Password + "\"\r\n", "C: a1 login \"alice\" ********\n")]
    [InlineData("a1 LOGIN \"al\\\"ice\" \"" + Password + "\"\r\n", "C: a1 LOGIN \"al\\\\\"ice\" ********\n")]
    public void ImapLoginPasswordMasked(string command, string expected)
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        ClientInTwoWrites(log, command, command.Length - 6);

        AssertNoSecrets(writer.ToString());
        Assert.Equal(expected, writer.ToString());
    }

    [Fact]
    public void ImapLoginLiteralPasswordMasked()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogClient(Bytes("a1 LOGIN alice {16}\r\n"));
        log.LogServer(Bytes("+ Ready for literal data\r\n"));
        ClientInTwoWrites(log, Password + "\r\n", 4);
        log.LogServer(Bytes("a1 OK LOGIN completed\r\n"));
        log.LogClient(Bytes("a2 SELECT INBOX\r\n"));

        string transcript = writer.ToString();
        AssertNoSecrets(transcript);
        Assert.Equal(
            "C: a1 LOGIN alice ********\nS: + Ready for literal data\nC: ********\n"
                + "S: a1 OK LOGIN completed\nC: a2 SELECT INBOX\n",
            transcript);
    }

    [Fact]
    public void Pop3PassAndApopMasked()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogClient(Bytes("USER alice\r\n"));
        ClientInTwoWrites(log, "PASS " + Password + "\r\n", 8);
        log.LogClient(Bytes("APOP alice c4c9334bac560ecc979e58001b3e22fb\r\n"));

        string transcript = writer.ToString();
        AssertNoSecrets(transcript);
        Assert.DoesNotContain("c4c9334bac560ecc979e58001b3e22fb", transcript, StringComparison.Ordinal);
        Assert.Equal("C: USER alice\nC: PASS ********\nC: APOP alice ********\n", transcript);
    }

    [Fact]
    public void MarkedSecretMaskedAcrossWrites()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);
        byte[] first = Bytes("a1 X-TOKEN " + Token[..10]);
        byte[] second = Bytes(Token[10..] + " trailer\r\n");

        log.LogClient(first, 11..);
        log.LogClient(second, ..(Token.Length - 10));

        AssertNoSecrets(writer.ToString());
        Assert.Equal("C: a1 X-TOKEN ******** trailer\n", writer.ToString());
    }

    [Fact]
    public void MaskDoesNotRevealLength()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogClient(Bytes("PASS a\r\n"));
        log.LogClient(Bytes("PASS " + new string('b', 300) + "\r\n"));

        Assert.Equal("C: PASS ********\nC: PASS ********\n", writer.ToString());
    }

    [Fact]
    public void ServerLiteralSummarized()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);
        byte[] response = Bytes("* 1 FETCH (BODY[] {11}\r\nhello world)\r\n");

        log.LogServer(Segmenter.OneBytePerSegment(response));

        Assert.Equal("S: * 1 FETCH (BODY[] {11}\nS: <literal 11 bytes>\nS: )\n", writer.ToString());
    }

    [Fact]
    public void ServerPayloadSummarized()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogServer(Bytes("+OK 120 octets\r\n"));
        using (log.BeginServerPayload())
        {
            log.LogServer(Bytes("Subject: private\r\n\r\nbody\r\n"));
            log.LogServer(Bytes(".\r\n"));
        }

        log.LogServer(Bytes("+OK bye\r\n"));

        Assert.Equal("S: +OK 120 octets\nS: <payload 29 bytes>\nS: +OK bye\n", writer.ToString());
    }

    [Fact]
    public void ClientPayloadSummarized()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogClient(Bytes("a1 APPEND INBOX {52428800}\r\n"));
        log.LogClientPayload(52428800);
        log.LogClient(Bytes("\r\n"));

        Assert.Equal("C: a1 APPEND INBOX {52428800}\nC: <literal 52428800 bytes>\n", writer.ToString());
    }

    [Fact]
    public void BinaryBytesEscaped()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogServer([(byte)'*', 0x00, 0x1B, 0xFF, (byte)'\\', (byte)'\r', (byte)'x', (byte)'\r', (byte)'\n']);

        Assert.Equal("S: *\\x00\\x1B\\xFF\\\\\\rx\n", writer.ToString());
    }

    [Fact]
    public void CrLfSplitAcrossWrites()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);

        log.LogClient(Bytes("a1 NOOP\r"));
        log.LogClient(Bytes("\n"));

        Assert.Equal("C: a1 NOOP\n", writer.ToString());
    }

    [Fact]
    public void LongLineCut()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer) { MaxLoggedLineLength = 10 };

        log.LogServer(Bytes("* OK " + new string('x', 20) + "\r\n"));

        Assert.Equal("S: * OK xxxxx...<15 more bytes>\n", writer.ToString());
    }

    [Fact]
    public void TimestampsPrefixLines()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var time = new FixedTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero));
        var log = new ProtocolLog(writer) { IncludeTimestamps = true, TimeProvider = time };

        log.LogServer(Bytes("* OK\r\n"));

        Assert.Equal("2026-01-02T03:04:05.006Z S: * OK\n", writer.ToString());
    }

    [Fact]
    public void LoggerSinkUsesFixedEventIds()
    {
        var logger = new ListLogger();
        var log = new ProtocolLog(logger);

        log.LogClient(Bytes("PASS " + Password + "\r\n"));
        log.LogServer(Bytes("+OK\r\n"));

        Assert.Equal(2, logger.Entries.Count);
        Assert.Equal((1, "C: PASS ********"), logger.Entries[0]);
        Assert.Equal((2, "S: +OK"), logger.Entries[1]);
    }

    [Fact]
    public async Task ConnectionLogsBothDirections()
    {
        var writer = new StringWriter { NewLine = "\n" };
        var log = new ProtocolLog(writer);
        await using ScriptedServer server = new ScriptedServer()
            .Send("+OK ready\r\n")
            .Expect("USER alice\r\n")
            .Send("+OK\r\n")
            .Expect("PASS " + Password + "\r\n")
            .Send("+OK logged in\r\n")
            .Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(
            ConnectionTestHelpers.PlainOptions(server, log: log));

        await connection.ReadLineAsync();
        connection.WriteLine("USER alice");
        await connection.FlushAsync();
        await connection.ReadLineAsync();
        connection.Write("PASS "u8);
        connection.WriteSecret(Encoding.ASCII.GetBytes(Password));
        connection.Write("\r\n"u8);
        await connection.FlushAsync();
        await connection.ReadLineAsync();

        Assert.Equal(
            "S: +OK ready\nC: USER alice\nS: +OK\nC: PASS ********\nS: +OK logged in\n",
            writer.ToString());
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow()
        {
            return now;
        }
    }

    private sealed class ListLogger : ILogger
    {
        public List<(int EventId, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            return null;
        }

        public bool IsEnabled(LogLevel logLevel)
        {
            return true;
        }

        public void Log<TState>(
            LogLevel logLevel,
            EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            Entries.Add((eventId.Id, formatter(state, exception)));
        }
    }
}
