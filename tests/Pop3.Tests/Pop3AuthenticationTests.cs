using System.Text;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;
using static RawMail.Protocols.Pop3.Tests.ScriptedPop3;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class Pop3AuthenticationTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    // "user=alice@example.com^Aauth=Bearer ya29.EXAMPLE-ACCESS-TOKEN^A^A" in base64: 88 characters, so the
    // AUTH line is 104 octets and fits in 255.
    private const string ShortXOAuth2 =
        "dXNlcj1hbGljZUBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LkVYQU1QTEUtQUNDRVNTLVRPS0VOAQE=";

    // {"status":"401","schemes":"bearer","scope":"mail"}, as Dovecot 2.3 sends it.
    private const string DovecotErrorChallenge = "eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIiwic2NvcGUiOiJtYWlsIn0=";

    private static SaslCredentials Alice(string token = "ya29.EXAMPLE-ACCESS-TOKEN") =>
        SaslCredentials.FromTokenProvider("alice@example.com", AccessTokenProvider.FromToken(token));

    private static string XOAuth2Base64(string token) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"user=alice@example.com\u0001auth=Bearer {token}\u0001\u0001"));

    [Fact]
    public async Task XOAuth2ShortToken_InlineWhenSaslAdvertised()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa)
            .Expect("AUTH XOAUTH2 " + ShortXOAuth2 + "\r\n")
            .Send("+OK Logged in.\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        await client.AuthenticateAsync(Alice(), None);

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task XOAuth2LongToken_TwoStepWithBarePlus()
    {
        // Microsoft 365 replies to "AUTH XOAUTH2 <4000 octets>" with "-ERR Protocol error. Connection is closed." and
        // closes the connection. The two-step form with its bare "+" continuation works.
        string token = "eyJ0eXAiOiJKV1QiLCJub25jZSI6" + new string('A', 2900);
        string response = XOAuth2Base64(token);
        await using ScriptedServer server = new ScriptedServer()
            .Send("+OK Microsoft Exchange POP3 server ready (tcpproxy/15.20.0000.000). [QQBCAEMAMQAyADMA]\r\n")
            .Expect("CAPA\r\n")
            .Send("+OK\r\nTOP\r\nUIDL\r\nSASL PLAIN XOAUTH2\r\nUSER\r\n.\r\n")
            .Expect("AUTH XOAUTH2\r\n")
            .Send("+\r\n")
            .Expect(response + "\r\n")
            .Send("+OK User successfully authenticated.\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        await client.AuthenticateAsync(Alice(token), None);

        Assert.True(response.Length > 3900);
        Assert.Equal("CAPA\r\nAUTH XOAUTH2\r\n" + response + "\r\n", Encoding.ASCII.GetString(server.Received));
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task NoSaslCapability_TwoStep()
    {
        // Without the SASL capability RFC 5034 does not promise that the server accepts an initial response.
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send("-ERR\r\n")
            .Expect("AUTH XOAUTH2\r\n")
            .Send("+ \r\n")
            .Expect(ShortXOAuth2 + "\r\n")
            .Send("+OK\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        await client.AuthenticateAsync(new XOAuth2Mechanism("alice@example.com",
            AccessTokenProvider.FromToken("ya29.EXAMPLE-ACCESS-TOKEN")), None);

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task InitialResponseDisabled_TwoStep()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa)
            .Expect("AUTH XOAUTH2\r\n")
            .Send("+ \r\n")
            .Expect(ShortXOAuth2 + "\r\n")
            .Send("+OK\r\n");
        Pop3ClientOptions defaults = Options(server);
        var options = new Pop3ClientOptions
        {
            Host = defaults.Host,
            Port = defaults.Port,
            TlsMode = defaults.TlsMode,
            AllowSaslInitialResponse = false,
        };
        await using Pop3Client client = await ConnectAsync(server, options);

        await client.AuthenticateAsync(Alice(), None);

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task OAuthBearerErrorChallenge_DummyResponse()
    {
        // {"status":"invalid_token"}
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send("+OK\r\nSASL OAUTHBEARER\r\n.\r\n")
            .ExpectLine()
            .Send("+ eyJzdGF0dXMiOiJpbnZhbGlkX3Rva2VuIn0=\r\n")
            .Expect("AQ==\r\n")
            .Send("-ERR [AUTH] Authentication failed.\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<MailAuthenticationException>(() => client.AuthenticateAsync(Alice(), None));

        Assert.Equal("invalid_token", ex.ServerErrorFields!["status"]);
        string received = Encoding.ASCII.GetString(server.Received);
        Assert.StartsWith("CAPA\r\nAUTH OAUTHBEARER ", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentCommand_Rejected()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa)
            .Expect("USER alice\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        Task pending = client.LoginAsync("alice", "secret", None);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.LoginAsync("bob", "secret", None));

        bool pendingCompleted = pending.IsCompleted;
        await client.DisposeAsync();
        await Assert.ThrowsAsync<MailProtocolException>(() => pending);

        Assert.Contains("Another command", ex.Message, StringComparison.Ordinal);
        Assert.False(pendingCompleted);
    }

    [Fact]
    public async Task XOAuth2ErrorChallenge_EmptyLineThenAuthException()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa)
            .Expect("AUTH XOAUTH2 " + ShortXOAuth2 + "\r\n")
            .Send("+ " + DovecotErrorChallenge + "\r\n")
            .Expect("\r\n")
            .Send("-ERR [AUTH] Authentication failed.\r\n")
            .Expect("QUIT\r\n")
            .Send("+OK Logging out\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<MailAuthenticationException>(() => client.AuthenticateAsync(Alice(), None));
        await client.QuitAsync(None);

        Assert.Equal("[AUTH] Authentication failed.", ex.ResponseText);
        Assert.Equal("{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"mail\"}", ex.ServerErrorDetail);
        Assert.Equal("401", ex.ServerErrorFields!["status"]);
        Assert.Equal("mail", ex.ServerErrorFields["scope"]);
        Assert.False(client.IsAuthenticated);
    }

    [Fact]
    public async Task AuthSysTemp_CommandExceptionWithCode()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa)
            .Expect("AUTH XOAUTH2 " + ShortXOAuth2 + "\r\n")
            .Send("-ERR [SYS/TEMP] Temporary authentication failure.\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<Pop3CommandException>(() => client.AuthenticateAsync(Alice(), None));

        Assert.Equal(Pop3ResponseCode.SystemTemporary, ex.ResponseCode);
        Assert.Equal(CommandErrorReason.TransientFailure, ex.Reason);
    }

    [Fact]
    public async Task Plain_WithPassword()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa)
            .Expect("AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n")
            .Send("+OK Logged in.\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        await client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret"), None);

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task Login_PromptsAnswered()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send("+OK\r\nSASL LOGIN\r\n.\r\n")
            .Expect("AUTH LOGIN\r\n")
            .Send("+ VXNlcm5hbWU6\r\n")
            .Expect("YWxpY2U=\r\n")
            .Send("+ UGFzc3dvcmQ6\r\n")
            .Expect("c2VjcmV0\r\n")
            .Send("+OK Logged in.\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        await client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret"), None);

        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task NoFittingMechanism_SaslException()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send("+OK\r\nSASL GSSAPI\r\n.\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<SaslException>(() => client.AuthenticateAsync(Alice(), None));

        Assert.Equal(SaslErrorReason.NoSupportedMechanism, ex.Reason);
        Assert.Equal("CAPA\r\n", Encoding.ASCII.GetString(server.Received));
    }

    [Fact]
    public async Task InvalidBase64Challenge_MalformedResponse()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send("+OK\r\nSASL LOGIN\r\n.\r\n")
            .Expect("AUTH LOGIN\r\n")
            .Send("+ not*base64\r\n");
        await using Pop3Client client = await ConnectAsync(server);

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => client.AuthenticateAsync(SaslCredentials.FromPassword("alice", "secret"), None));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, ex.Reason);
    }

    [Fact]
    public async Task ProtocolLog_MasksSecrets()
    {
        var transcript = new StringWriter();
        await using ScriptedServer server = new ScriptedServer()
            .Send(Greeting)
            .Expect("CAPA\r\n")
            .Send(DovecotCapa)
            .Expect("AUTH XOAUTH2\r\n")
            .Send("+\r\n")
            .ExpectLine()
            .Send("+OK\r\n");
        string token = "SECRET-" + new string('T', 300);
        await using Pop3Client client = await ConnectAsync(server, Options(server, log: new ProtocolLog(transcript)));

        await client.AuthenticateAsync(Alice(token), None);

        string log = transcript.ToString();
        Assert.DoesNotContain("SECRET", log, StringComparison.Ordinal);
        Assert.DoesNotContain(XOAuth2Base64(token)[..40], log, StringComparison.Ordinal);
        Assert.Contains("C: AUTH XOAUTH2", log, StringComparison.Ordinal);
    }
}
