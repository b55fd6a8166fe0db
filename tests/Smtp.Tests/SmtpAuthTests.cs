using System.Text;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;
using static RawMail.Protocols.Smtp.Tests.SmtpTestHelpers;

namespace RawMail.Protocols.Smtp.Tests;

public sealed class SmtpAuthTests
{
    private const string Greeting = "220 mx.example.com ESMTP\r\n";

    private static string XOAuth2(string user, string token) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"user={user}\u0001auth=Bearer {token}\u0001\u0001"));

    [Fact]
    public async Task Plain_Inline()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH PLAIN LOGIN\r\n")
            .Expect("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n")
            .Send("235 2.7.0 Authentication successful\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        await client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret"));

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task Login_AnswersPrompts()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH LOGIN\r\n")
            .Expect("AUTH LOGIN\r\n")
            .Send("334 VXNlcm5hbWU6\r\n")
            .Expect("YWxpY2U=\r\n")
            .Send("334 UGFzc3dvcmQ6\r\n")
            .Expect("c2VjcmV0\r\n")
            .Send("235 2.7.0 Authentication successful\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        await client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret"));

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task XOAuth2_LongestInlineLine()
    {
        // "AUTH XOAUTH2 " (13) + 496 base64 characters + CRLF = 512 octets, the longest line RFC 4954 allows.
        string token = new('t', 347);
        string encoded = XOAuth2("a@b.c", token);
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH XOAUTH2\r\n")
            .Expect($"AUTH XOAUTH2 {encoded}\r\n")
            .Send("235 2.7.0 Accepted\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        await client.AuthenticateAsync(SaslCredentials.FromTokenProvider("a@b.c", Token(token)));

        Assert.Equal(496, encoded.Length);
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task XOAuth2_LongResponseAfterEmptyChallenge()
    {
        // One more byte takes the base64 text to 500 characters and the line past 512 octets (RFC 4954 section 4).
        string token = new('t', 348);
        string encoded = XOAuth2("a@b.c", token);
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH XOAUTH2\r\n")
            .Expect("AUTH XOAUTH2\r\n")
            .Send("334 \r\n")
            .Expect(encoded + "\r\n")
            .Send("235 2.7.0 Accepted\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        await client.AuthenticateAsync(SaslCredentials.FromTokenProvider("a@b.c", Token(token)));

        Assert.Equal(500, encoded.Length);
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task XOAuth2_TokenOver2KiBGoesAfterChallenge()
    {
        // Postfix rejects an AUTH line over 2048 characters; Microsoft 365 tokens are often longer than that.
        string token = new('t', 3000);
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH XOAUTH2\r\n")
            .Expect("AUTH XOAUTH2\r\n")
            .Send("334\r\n")
            .Expect(XOAuth2("alice@example.com", token) + "\r\n")
            .Send("235 2.7.0 Accepted\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        await client.AuthenticateAsync(SaslCredentials.FromTokenProvider("alice@example.com", Token(token)));

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task TwoStep_TextInFirstChallengeIgnored()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH PLAIN\r\n")
            .Expect("AUTH PLAIN\r\n")
            .Send("334 go ahead\r\n")
            .Expect("AGFsaWNlAHNlY3JldA==\r\n")
            .Send("235 2.7.0 Authentication successful\r\n")
            .Start();
        await using SmtpClient client = await SmtpClient.ConnectAsync(Options(server, useInitialResponse: false));

        await client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret"));

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task NotOffered_NotSupported()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 PIPELINING\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailCommandException>(
            () => client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret")).AsTask());

        Assert.Equal(CommandErrorReason.NotSupported, exception.Reason);
        Assert.Equal(Ehlo, Encoding.Latin1.GetString(server.Received));
    }

    [Fact]
    public async Task NoFittingMechanism_SaslException()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH PLAIN\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<SaslException>(
            () => client.AuthenticateAsync(SaslCredentials.FromTokenProvider("alice", Token("t"))).AsTask());

        Assert.Equal(SaslErrorReason.NoSupportedMechanism, exception.Reason);
    }

    [Fact]
    public async Task Rejected_SessionStaysUsable()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH PLAIN\r\n")
            .Expect("AUTH PLAIN AGFsaWNlAHdyb25n\r\n")
            .Send("535 5.7.8 Error: authentication failed\r\n")
            .Expect("NOOP\r\n")
            .Send("250 2.0.0 Ok\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailAuthenticationException>(
            () => client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "wrong")).AsTask());
        SmtpReply noop = await client.NoopAsync();

        Assert.Equal(CommandErrorReason.AuthenticationFailed, exception.Reason);
        Assert.Null(exception.ServerErrorFields);
        Assert.False(client.IsAuthenticated);
        Assert.Equal(250, noop.Code);
    }

    [Fact]
    public async Task InvalidChallenge_CanceledWithStar()
    {
        // LOGIN expects "Username:"; a SCRAM-like challenge for PLAIN is invalid, so the client sends "*".
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH PLAIN\r\n")
            .Expect("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n")
            .Send("334 cj1ub25jZQ==\r\n")
            .Expect("*\r\n")
            .Send("501 5.7.0 Authentication aborted\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        await Assert.ThrowsAsync<SaslException>(
            () => client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret")).AsTask());

        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task ChallengeNotBase64_MalformedResponse()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH LOGIN\r\n")
            .Expect("AUTH LOGIN\r\n")
            .Send("334 Username:\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret")).AsTask());

        Assert.Equal(ProtocolErrorReason.MalformedResponse, exception.Reason);
    }

    [Fact]
    public async Task Log_MasksSecrets()
    {
        var writer = new StringWriter();
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH XOAUTH2\r\n")
            .Expect("AUTH XOAUTH2\r\n")
            .Send("334 \r\n")
            .ExpectLine()
            .Send("334 eyJzdGF0dXMiOiI0MDEifQ==\r\n")
            .Expect("\r\n")
            .Send("535 5.7.8 Error: authentication failed\r\n")
            .Start();
        await using SmtpClient client = await SmtpClient.ConnectAsync(
            Options(server, useInitialResponse: false, log: new ProtocolLog(writer)));

        await Assert.ThrowsAsync<MailAuthenticationException>(() => client.AuthenticateAsync(
            SaslCredentials.FromTokenProvider("alice@example.com", Token("SECRET-TOKEN-VALUE"))).AsTask());

        string log = writer.ToString();
        Assert.DoesNotContain(XOAuth2("alice@example.com", "SECRET-TOKEN-VALUE"), log, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJzdGF0dXMiOiI0MDEifQ", log, StringComparison.Ordinal);
        Assert.Contains("C: AUTH XOAUTH2", log, StringComparison.Ordinal);
        Assert.Contains("S: 535 5.7.8", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScramNonceMismatch_Canceled()
    {
        // The server nonce must extend the client's random nonce (RFC 5802 section 5.1); this one cannot.
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect(Ehlo)
            .Send("250-mx\r\n250 AUTH SCRAM-SHA-256 PLAIN\r\n")
            .ExpectLine()
            .Send("334 " + Convert.ToBase64String(Encoding.ASCII.GetBytes(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")) + "\r\n")
            .Expect("*\r\n")
            .Send("501 5.7.0 Authentication aborted\r\n")
            .Start();
        await using SmtpClient client = await ConnectAsync(server);

        var exception = await Assert.ThrowsAsync<SaslException>(
            () => client.AuthenticateAsync(SaslCredentials.FromPassword("user", "pencil")).AsTask());

        Assert.Equal(SaslErrorReason.NonceMismatch, exception.Reason);
        Assert.False(client.IsAuthenticated);
        Assert.True(client.IsConnected);
    }
}
