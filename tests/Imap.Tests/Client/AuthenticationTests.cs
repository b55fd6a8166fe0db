using RawMail.Protocols.Imap;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Imap.Tests.Client;

public sealed class AuthenticationTests
{
    private const string OAuthError = "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}";

    private static SaslCredentials Token(string token = "tok123") =>
        SaslCredentials.FromTokenProvider("alice@rawmail.test", AccessTokenProvider.FromToken(token));

    private static string XOAuth2(string token = "tok123") =>
        ClientHarness.Base64($"user=alice@rawmail.test\u0001auth=Bearer {token}\u0001\u0001");

    [Fact]
    public async Task XOAuth2_SendsInitialResponseWithCommand()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR] ready\r\n")
            .Expect($"A0001 AUTHENTICATE XOAUTH2 {XOAuth2()}\r\n")
            .Send("A0001 OK [CAPABILITY IMAP4rev1 IDLE] logged in\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await client.AuthenticateAsync(Token());

        Assert.Equal(ImapSessionState.Authenticated, client.State);
        Assert.True(client.HasCapability("IDLE"));
    }

    [Fact]
    public async Task XOAuth2_BareContinuationWithoutSaslIr()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2] ready\r\n")
            .Expect("A0001 AUTHENTICATE XOAUTH2\r\n")
            .Send("+\r\n")
            .Expect($"{XOAuth2()}\r\n")
            .Send("A0001 OK logged in\r\n")
            .Expect("A0002 CAPABILITY\r\n")
            .Send("* CAPABILITY IMAP4rev1\r\nA0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await client.AuthenticateAsync(Token());

        Assert.Equal(ImapSessionState.Authenticated, client.State);
    }

    [Fact]
    public async Task XOAuth2_ErrorChallengeIsAnsweredAndDecoded()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR] ready\r\n")
            .Expect($"A0001 AUTHENTICATE XOAUTH2 {XOAuth2("bad")}\r\n")
            .Send($"+ {ClientHarness.Base64(OAuthError)}\r\n")
            .Expect("\r\n")
            .Send("A0001 NO [AUTHENTICATIONFAILED] Authentication failed\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<MailAuthenticationException>(() => client.AuthenticateAsync(Token("bad")));

        Assert.Equal(CommandErrorReason.AuthenticationFailed, ex.Reason);
        Assert.Equal("401", ex.ServerErrorFields!["status"]);
        Assert.Equal("bearer", ex.ServerErrorFields["schemes"]);
        Assert.Equal("mail", ex.ServerErrorFields["scope"]);
        Assert.Equal(OAuthError, ex.ServerErrorDetail);
        Assert.Equal(ImapSessionState.NotAuthenticated, client.State);
    }

    [Fact]
    public async Task Plain_EmptyChallengeGetsInitialResponse()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
            .Expect("A0001 AUTHENTICATE PLAIN\r\n")
            .Send("+ \r\n")
            .Expect(ClientHarness.Base64("\0alice\0secret") + "\r\n")
            .Send("A0001 OK [CAPABILITY IMAP4rev1] done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret"));

        Assert.Equal(ImapSessionState.Authenticated, client.State);
    }

    [Fact]
    public async Task Login_QuotesPasswordWithSpecials()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 LOGIN alice \"p\\\"a s\\\\s\"\r\n")
            .Send("A0001 OK [CAPABILITY IMAP4rev1] done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await client.LoginAsync("alice", "p\"a s\\s");

        Assert.Equal(ImapSessionState.Authenticated, client.State);
    }

    [Fact]
    public async Task Login_NonAsciiPasswordIsLiteral()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 LOGIN alice {9}\r\n")
            .Send("+ go ahead\r\n")
            .Expect(ClientHarness.Utf8("pässword") + "\r\n")
            .Send("A0001 OK [CAPABILITY IMAP4rev1] done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        await client.LoginAsync("alice", "pässword");

        Assert.Equal(ImapSessionState.Authenticated, client.State);
    }

    [Fact]
    public async Task Login_RejectedIsAuthenticationError()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Expect("A0001 LOGIN alice \"wrong\"\r\n")
            .Send("A0001 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<MailAuthenticationException>(() => client.LoginAsync("alice", "wrong"));

        Assert.Equal("Authentication failed.", ex.ResponseText);

    }

    [Fact]
    public async Task StartTls_InjectedResponseIsRejected()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
            .Expect("A0001 STARTTLS\r\n")
            .Send("A0001 OK begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n")
            .Start();

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => ClientHarness.ConnectAsync(server, TlsMode.StartTls));

        Assert.Equal(ProtocolErrorReason.PlaintextAfterStartTls, ex.Reason);
    }

    [Fact]
    public async Task StartTls_ReadsCapabilitiesAgain()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready\r\n")
            .Expect("A0001 STARTTLS\r\n")
            .Send("A0001 OK begin TLS\r\n")
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Expect("A0002 CAPABILITY\r\n")
            .Send("* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA0002 OK done\r\n")
            .Start();
        await using ImapClient client = await ClientHarness.ConnectAsync(server, TlsMode.StartTls);

        Assert.True(client.IsEncrypted);
        Assert.False(client.HasCapability("LOGINDISABLED"));
        Assert.True(client.HasCapability("AUTH=PLAIN"));
    }

    [Fact]
    public async Task StartTls_MissingCapabilityFails()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1] ready\r\n")
            .Start();

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => ClientHarness.ConnectAsync(server, TlsMode.StartTls));

        Assert.Equal(ProtocolErrorReason.StartTlsRefused, ex.Reason);
    }

    [Fact]
    public async Task StartTls_RefusedFails()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
            .Expect("A0001 STARTTLS\r\n")
            .Send("A0001 NO not now\r\n")
            .Start();

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => ClientHarness.ConnectAsync(server, TlsMode.StartTls));

        Assert.Equal(ProtocolErrorReason.StartTlsRefused, ex.Reason);
    }

    [Fact]
    public async Task StartTls_PreAuthGreetingFails()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\r\n")
            .Start();

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => ClientHarness.ConnectAsync(server, TlsMode.StartTls));

        Assert.Equal(ProtocolErrorReason.StartTlsRefused, ex.Reason);
        Assert.Empty(server.Received);
    }
}
