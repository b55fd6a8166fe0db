using System.Security.Cryptography.X509Certificates;
using RawMail.Protocols.Imap;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Integration.Tests;

/// <summary>Certificate checks and token expiry against the real Dovecot, not a scripted server.</summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class TransportTrustTests(LocalServersFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [RequiresServersTheory]
    [InlineData(TlsMode.Implicit)]
    [InlineData(TlsMode.StartTls)]
    public async Task UntrustedCertificate_Rejected(TlsMode mode)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        var options = new MailConnectionOptions
        {
            Host = servers.Host,
            Port = mode == TlsMode.Implicit ? servers.Ports.Imaps : servers.Ports.Imap,
            TlsMode = mode,
            TargetHostOverride = "localhost",
        };

        // The servers' certificate comes from a CA made by the start script, which the system store does not hold.
        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => ImapClient.ConnectAsync(new ImapClientOptions { Connection = options }, timeout.Token));

        Assert.Equal(ProtocolErrorReason.CertificateInvalid, ex.Reason);
    }

    [RequiresServersFact]
    public async Task TrustedCaWrongHostName_Rejected()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        var options = new MailConnectionOptions
        {
            Host = servers.Host,
            Port = servers.Ports.Imaps,
            TlsMode = TlsMode.Implicit,
            TargetHostOverride = "mail.example.com",
            TrustedCertificateAuthorities = new X509Certificate2Collection(servers.CaCertificate),
        };

        var ex = await Assert.ThrowsAsync<MailProtocolException>(
            () => MailConnection.ConnectAsync(options, timeout.Token).AsTask());

        Assert.Equal(ProtocolErrorReason.CertificateInvalid, ex.Reason);
    }

    [RequiresServersFact]
    public async Task ExpiredToken_CarriesServerError()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;

        // Tokens of the "short" client live 2 seconds and act for the same mailbox as the robot's, so expiry is
        // the only reason for the rejection.
        Assert.Equal(servers.Client("robot").Mailbox, servers.Client("short").Mailbox);
        string token = await servers.GetClientCredentialsTokenAsync("short", timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(3), timeout.Token);
        await using ImapClient client = await ImapClient.ConnectAsync(
            ImapTestSession.Options(servers, TlsMode.Implicit, mechanisms: ["XOAUTH2"]), timeout.Token);

        var ex = await Assert.ThrowsAsync<MailAuthenticationException>(
            () => client.AuthenticateAsync(ImapTestSession.Robot(servers, token), timeout.Token));

        Assert.Equal("401", ex.ServerErrorFields!["status"]);
        Assert.Equal("bearer", ex.ServerErrorFields["schemes"]);
        Assert.Equal(ImapSessionState.NotAuthenticated, client.State);
    }
}
