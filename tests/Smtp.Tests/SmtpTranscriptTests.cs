using System.Text;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;
using static RawMail.Protocols.Smtp.Tests.SmtpTestHelpers;

namespace RawMail.Protocols.Smtp.Tests;

// Replayed server transcripts with the client's exact bytes; host names, ids and tokens are invented.
public sealed class SmtpTranscriptTests
{
    private const string AliceToken = "ya29.EXAMPLE-ACCESS-TOKEN";

    [Fact]
    public async Task GmailXOAuth2ErrorChallenge()
    {
        // Gmail reports a bad token as a 334 challenge with base64 JSON; the client must send an empty line to
        // get the final 535, or it waits until its timeout.
        const string transcript =
            "S: 220 smtp.gmail.com ESMTP x1y2z3 - gsmtp\r\n"
            + "C: EHLO client.example.com\r\n"
            + "S: 250-smtp.gmail.com at your service, [192.0.2.10]\r\n"
            + "S: 250-SIZE 35882577\r\n"
            + "S: 250-8BITMIME\r\n"
            + "S: 250-AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH\r\n"
            + "S: 250-ENHANCEDSTATUSCODES\r\n"
            + "S: 250-PIPELINING\r\n"
            + "S: 250-CHUNKING\r\n"
            + "S: 250 SMTPUTF8\r\n"
            + "C: AUTH XOAUTH2 dXNlcj1hbGljZUBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LkVYQU1QTEUtQUNDRVNTLVRPS0VOAQE=\r\n"
            + "S: 334 eyJzdGF0dXMiOiI0MDAiLCJzY2hlbWVzIjoiQmVhcmVyIiwic2NvcGUiOiJodHRwczovL21haWwuZ29vZ2xlLmNvbS8ifQ==\r\n"
            + "C: \r\n"
            + "S: 535-5.7.8 Username and Password not accepted. Learn more at\r\n"
            + "S: 535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1y2z3 - gsmtp\r\n";
        await using ScriptedServer server = FromTranscript(transcript).Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailAuthenticationException>(() => client.AuthenticateAsync(
            SaslCredentials.FromTokenProvider("alice@example.com", Token(AliceToken))).AsTask());

        Assert.Equal(ClientSide(transcript), Encoding.Latin1.GetString(server.Received));
        Assert.Equal("400", exception.ServerErrorFields!["status"]);
        Assert.Equal("Bearer", exception.ServerErrorFields["schemes"]);
        Assert.Equal("https://mail.google.com/", exception.ServerErrorFields["scope"]);
        Assert.Contains("(status 400, scope https://mail.google.com/)", exception.Message, StringComparison.Ordinal);
        Assert.Contains("535 5.7.8 Username and Password not accepted.", exception.ResponseText, StringComparison.Ordinal);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task CodeOnlyContinuation()
    {
        // "334" with no space and no text is an empty challenge (RFC 5321 section 4.2 lets the space go).
        const string transcript =
            "S: 220 smtp-node-01.example.net Ok\r\n"
            + "C: EHLO client.example.com\r\n"
            + "S: 250-smtp-node-01.example.net\r\n"
            + "S: 250-8BITMIME\r\n"
            + "S: 250-AUTH LOGIN PLAIN XOAUTH2\r\n"
            + "S: 250-DSN\r\n"
            + "S: 250 ENHANCEDSTATUSCODES\r\n"
            + "C: AUTH XOAUTH2\r\n"
            + "S: 334\r\n"
            + "C: dXNlcj1hbGljZUBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LkVYQU1QTEUtQUNDRVNTLVRPS0VOAQE=\r\n"
            + "S: 235 2.7.0 Authentication successful.\r\n";
        await using ScriptedServer server = FromTranscript(transcript).Start();
        await using SmtpClient client = await SmtpClient.ConnectAsync(Options(server, useInitialResponse: false));

        await client.AuthenticateAsync(SaslCredentials.FromTokenProvider("alice@example.com", Token(AliceToken)));

        Assert.True(client.IsAuthenticated);
        Assert.Equal(ClientSide(transcript), Encoding.Latin1.GetString(server.Received));
    }

    [Fact]
    public async Task OAuthBearerFailureDummyResponse()
    {
        // A challenge after the OAUTHBEARER message is a failure report. The client replies with the single byte
        // 0x01 (RFC 7628 section 3.2.3) and then reads the final 535.
        const string transcript =
            "S: 220 mx.example.com ESMTP\r\n"
            + "C: EHLO client.example.com\r\n"
            + "S: 250-mx.example.com\r\n"
            + "S: 250 AUTH OAUTHBEARER XOAUTH2\r\n"
            + "C: AUTH OAUTHBEARER bixhPWFsaWNlQGV4YW1wbGUuY29tLAFob3N0PXNtdHAuZXhhbXBsZS5jb20BcG9ydD01ODcBYXV0aD1CZWFyZXIgRVhBTVBMRS1BQ0NFU1MtVE9LRU4BAQ==\r\n"
            + "S: 334 eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIiwic2NvcGUiOiJodHRwczovL21haWwuZXhhbXBsZS5jb20vIiwib3BlbmlkLWNvbmZpZ3VyYXRpb24iOiJodHRwczovL2lkcC5leGFtcGxlLmNvbS8ud2VsbC1rbm93bi9vcGVuaWQtY29uZmlndXJhdGlvbiJ9\r\n"
            + "C: AQ==\r\n"
            + "S: 535 5.7.8 Authentication credentials invalid\r\n";
        await using ScriptedServer server = FromTranscript(transcript).Start();
        await using SmtpClient client = await SmtpClient.ConnectAsync(Options(
            server,
            mechanismOrder: ["OAUTHBEARER"],
            saslContext: new SaslContext("smtp.example.com", 587, "smtp")));

        var exception = await Assert.ThrowsAsync<MailAuthenticationException>(() => client.AuthenticateAsync(
            SaslCredentials.FromTokenProvider("alice@example.com", Token("EXAMPLE-ACCESS-TOKEN"))).AsTask());

        Assert.Equal(ClientSide(transcript), Encoding.Latin1.GetString(server.Received));
        Assert.Equal("invalid_token", exception.ServerErrorFields!["status"]);
        Assert.Equal("https://mail.example.com/", exception.ServerErrorFields["scope"]);
        Assert.Equal(
            "https://idp.example.com/.well-known/openid-configuration",
            exception.ServerErrorFields["openid-configuration"]);
    }

    [Fact]
    public async Task AuthEqualsAndMissingEsmtp()
    {
        // The greeting lacks "ESMTP", and AUTH appears twice, once in the pre-standard AUTH= form.
        const string transcript =
            "S: 220 mail.example.org\r\n"
            + "C: EHLO client.example.com\r\n"
            + "S: 250-mail.example.org Hello client.example.com [192.0.2.10]\r\n"
            + "S: 250-SIZE 104850000\r\n"
            + "S: 250-AUTH PLAIN LOGIN OAUTHBEARER XOAUTH2\r\n"
            + "S: 250-AUTH=PLAIN LOGIN OAUTHBEARER XOAUTH2\r\n"
            + "S: 250-ENHANCEDSTATUSCODES\r\n"
            + "S: 250 8BITMIME\r\n";
        await using ScriptedServer server = FromTranscript(transcript).Start();
        await using SmtpClient client = await ConnectAsync(server);

        SmtpCapabilities capabilities = client.Capabilities;

        Assert.Equal(ClientSide(transcript), Encoding.Latin1.GetString(server.Received));
        Assert.Equal(104850000, capabilities.MaxMessageSize);
        Assert.Equal(["PLAIN", "LOGIN", "OAUTHBEARER", "XOAUTH2"], capabilities.AuthenticationMechanisms);
        Assert.Equal(
            SmtpExtensions.Size | SmtpExtensions.Authentication | SmtpExtensions.EnhancedStatusCodes
                | SmtpExtensions.EightBitMime,
            capabilities.Extensions);
    }

    [Fact]
    public async Task NoAuthKeyword_NoAuthSent()
    {
        const string transcript =
            "S: 220 mail.example.org\r\n"
            + "C: EHLO client.example.com\r\n"
            + "S: 250-mail.example.org\r\n"
            + "S: 250 8BITMIME\r\n";
        await using ScriptedServer server = FromTranscript(transcript).Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailCommandException>(
            () => client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret")).AsTask());

        Assert.Equal(CommandErrorReason.NotSupported, exception.Reason);
        Assert.Equal(ClientSide(transcript), Encoding.Latin1.GetString(server.Received));
    }

    [Fact]
    public async Task Stale421AnswersNextCommand()
    {
        // The server sent 421 and closed while the connection sat idle. The 421 arrives as the reply to RSET, and
        // it must end the session rather than count as a rejection.
        const string transcript =
            "S: 220 mx.example.net ESMTP\r\n"
            + "C: EHLO client.example.com\r\n"
            + "S: 250-mx.example.net\r\n"
            + "S: 250 PIPELINING\r\n"
            + "C: MAIL FROM:<alice@example.com>\r\n"
            + "S: 250 2.1.0 Ok\r\n"
            + "C: RCPT TO:<bob@example.org>\r\n"
            + "S: 250 2.1.5 Ok\r\n"
            + "C: DATA\r\n"
            + "S: 354 End data with <CR><LF>.<CR><LF>\r\n"
            + "C: Subject: one\r\n"
            + "C: \r\n"
            + "C: first message\r\n"
            + "C: .\r\n"
            + "S: 250 2.0.0 Ok: queued as 4F2A1\r\n"
            + "S: 421 4.4.2 mx.example.net Service closing transmission channel - command timeout\r\n"
            + "C: RSET\r\n";
        await using ScriptedServer server = FromTranscript(transcript).Start();
        await using SmtpClient client = await ConnectAsync(server);

        SendResult result = await client.SendAsync(
            new SmtpEnvelope("alice@example.com", "bob@example.org"), Message("Subject: one\r\n\r\nfirst message\r\n"));
        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => client.ResetAsync().AsTask());

        string received = await ReceivedAsync(server, ClientSide(transcript).Length);

        Assert.Equal("2.0.0 Ok: queued as 4F2A1", result.Reply.Text);
        Assert.Equal(ProtocolErrorReason.ServerShutdown, exception.Reason);
        Assert.False(client.IsConnected);
        Assert.Equal(ClientSide(transcript), received);
    }

    [Fact]
    public async Task Stale421BeforeNextMessage()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 mx.example.net ESMTP\r\n")
            .Expect(Ehlo)
            .Send("250-mx.example.net\r\n250 PIPELINING\r\n")
            .Send("421 4.4.2 mx.example.net Service closing transmission channel - command timeout\r\n")
            .Close()
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailProtocolException>(() => client.SendAsync(
            new SmtpEnvelope("alice@example.com", "bob@example.org"), Message("x")).AsTask());

        Assert.Equal(ProtocolErrorReason.ServerShutdown, exception.Reason);
    }

    [Fact]
    public async Task BlockedGreetingWithMixedCodes()
    {
        // The last line's code counts; no HELO is tried on a server that refuses service and closes.
        await using ScriptedServer server = new ScriptedServer()
            .Send("220-blocked.example.net ESMTP\r\n521 5.7.1 Service unavailable; client [192.0.2.10] blocked\r\n")
            .Close()
            .Start();

        var exception = await Assert.ThrowsAsync<SmtpCommandException>(() => ConnectAsync(server).AsTask());

        Assert.Equal(521, exception.Reply.Code);
        Assert.Equal(CommandErrorReason.PermanentFailure, exception.Reason);
        Assert.Empty(server.Received);
    }

    [Theory]
    [InlineData("Subject: dots\r\n\r\nhello\r\n.\r\n..leading dots\r\n.well-known/path?key=a..b\r\nworld\r\n")]
    [InlineData("Subject: dots\n\nhello\n.\n..leading dots\n.well-known/path?key=a..b\nworld")]
    [InlineData("Subject: dots\r\rhello\r.\r..leading dots\r.well-known/path?key=a..b\rworld\r")]
    public async Task DotStuffingOnSend(string body)
    {
        const string transcript =
            "S: 220 mx.example.com ESMTP\r\n"
            + "C: EHLO client.example.com\r\n"
            + "S: 250 mx.example.com\r\n"
            + "C: MAIL FROM:<alice@example.com>\r\n"
            + "S: 250 2.1.0 Ok\r\n"
            + "C: RCPT TO:<bob@example.org>\r\n"
            + "S: 250 2.1.5 Ok\r\n"
            + "C: DATA\r\n"
            + "S: 354 End data with <CR><LF>.<CR><LF>\r\n"
            + "C: Subject: dots\r\n"
            + "C: \r\n"
            + "C: hello\r\n"
            + "C: ..\r\n"
            + "C: ...leading dots\r\n"
            + "C: ..well-known/path?key=a..b\r\n"
            + "C: world\r\n"
            + "C: .\r\n"
            + "S: 250 2.0.0 Ok: queued as 7C0DE\r\n";
        await using ScriptedServer server = FromTranscript(transcript).Start();
        await using SmtpClient client = await ConnectAsync(server);

        SendResult result = await client.SendAsync(
            new SmtpEnvelope("alice@example.com", "bob@example.org"), Message(body));

        Assert.Equal("2.0.0 Ok: queued as 7C0DE", result.Reply.Text);
        Assert.Equal(ClientSide(transcript), Encoding.Latin1.GetString(server.Received));
    }
}
