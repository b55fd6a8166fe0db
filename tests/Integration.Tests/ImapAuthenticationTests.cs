using System.Text;
using RawMail.Protocols.Imap;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Integration.Tests;

/// <summary>The IMAP client's TLS modes and SASL mechanisms against the local Dovecot.</summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class ImapAuthenticationTests(LocalServersFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [RequiresServersTheory]
    [InlineData(TlsMode.Implicit)]
    [InlineData(TlsMode.StartTls)]
    public async Task XOAuth2_LogsInInBothTlsModes(TlsMode mode)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        await using ImapClient client = await ImapTestSession.OpenRobotAsync(fixture.Servers, timeout.Token, mode);

        IReadOnlyList<Protocols.Imap.Model.MailboxInfo> mailboxes = await client.ListAsync("INBOX",
            cancellationToken: timeout.Token);
        await client.LogoutAsync(timeout.Token);

        Assert.True(client.IsEncrypted);
        Assert.Equal("INBOX", Assert.Single(mailboxes).Name);
    }

    [RequiresServersFact]
    public async Task OAuthBearer_LogsIn()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        string token = await servers.GetClientCredentialsTokenAsync("robot", timeout.Token);
        await using ImapClient client = await ImapClient.ConnectAsync(
            ImapTestSession.Options(servers, TlsMode.Implicit, mechanisms: ["OAUTHBEARER"]), timeout.Token);

        await client.AuthenticateAsync(ImapTestSession.Robot(servers, token), timeout.Token);

        Assert.Equal(ImapSessionState.Authenticated, client.State);
    }

    [RequiresServersFact]
    public async Task XOAuth2_WrongTokenCarriesServerError()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        await using ImapClient client = await ImapClient.ConnectAsync(
            ImapTestSession.Options(servers, TlsMode.Implicit, mechanisms: ["XOAUTH2"]), timeout.Token);

        var ex = await Assert.ThrowsAsync<MailAuthenticationException>(
            () => client.AuthenticateAsync(ImapTestSession.Robot(servers, "not-a-valid-token"), timeout.Token));

        Assert.Equal("401", ex.ServerErrorFields!["status"]);
        Assert.Equal("bearer", ex.ServerErrorFields["schemes"]);
        Assert.Equal("mail", ex.ServerErrorFields["scope"]);
        Assert.Equal(ImapSessionState.NotAuthenticated, client.State);
    }

    [RequiresServersTheory]
    [InlineData("PLAIN")]
    [InlineData("SCRAM-SHA-256")]
    public async Task Password_LogsIn(string mechanism)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        TestUser alice = servers.User("alice");
        await using ImapClient client = await ImapClient.ConnectAsync(
            ImapTestSession.Options(servers, TlsMode.Implicit, mechanisms: [mechanism]), timeout.Token);

        await client.AuthenticateAsync(SaslCredentials.FromPassword(alice.Email, alice.Password), timeout.Token);

        Assert.Equal(ImapSessionState.Authenticated, client.State);
    }

    [RequiresServersFact]
    public async Task Login_WithPassword()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        TestUser alice = servers.User("alice");
        await using ImapClient client = await ImapClient.ConnectAsync(
            ImapTestSession.Options(servers, TlsMode.StartTls), timeout.Token);

        await client.LoginAsync(alice.Email, alice.Password, timeout.Token);

        Assert.Equal(ImapSessionState.Authenticated, client.State);
    }

    [RequiresServersFact]
    public async Task ProtocolLog_HoldsNoSecret()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        string mailbox = servers.Client("robot").Mailbox!;
        string token = await servers.GetClientCredentialsTokenAsync("robot", timeout.Token);
        var writer = new StringWriter();
        var log = new ProtocolLog(writer);
        await using (ImapClient client = await ImapClient.ConnectAsync(
            ImapTestSession.Options(servers, TlsMode.StartTls, log, ["XOAUTH2"]), timeout.Token))
        {
            await client.AuthenticateAsync(ImapTestSession.Robot(servers, token), timeout.Token);
            await client.SelectAsync("INBOX", cancellationToken: timeout.Token);
            await client.LogoutAsync(timeout.Token);
        }

        TestUser alice = servers.User("alice");
        await using (ImapClient client = await ImapClient.ConnectAsync(
            ImapTestSession.Options(servers, TlsMode.Implicit, log), timeout.Token))
        {
            await client.LoginAsync(alice.Email, alice.Password, timeout.Token);
            await client.LogoutAsync(timeout.Token);
        }

        string text = writer.ToString();
        string xoauth2 = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"user={mailbox}\u0001auth=Bearer {token}\u0001\u0001"));
        Assert.Contains("AUTHENTICATE XOAUTH2", text, StringComparison.Ordinal);
        Assert.Contains("LOGIN", text, StringComparison.Ordinal);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(token)), text, StringComparison.Ordinal);
        Assert.DoesNotContain(xoauth2, text, StringComparison.Ordinal);
        Assert.DoesNotContain(xoauth2[..40], text, StringComparison.Ordinal);
        Assert.DoesNotContain(alice.Password, text, StringComparison.Ordinal);
    }
}
