using System.Text;
using RawMail.Mime;
using RawMail.Protocols.Pop3;
using RawMail.Sasl;
using RawMail.TestSupport;
using RawMail.Transport;
using static RawMail.Integration.Tests.Pop3TestMail;

namespace RawMail.Integration.Tests;

/// <summary>
/// The POP3 client against the local Dovecot. The tests share one collection because Dovecot locks a POP3
/// mailbox for one session at a time.
/// </summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class Pop3DovecotTests(LocalServersFixture fixture)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(90);

    private const string DottedBody = "first line\r\n.leading dot\r\n..two dots\r\n.\r\nlast line\r\n";

    [RequiresServersTheory]
    [InlineData(TlsMode.Implicit)]
    [InlineData(TlsMode.StartTls)]
    public async Task XOAuth2_ConnectsOverTls(TlsMode tlsMode)
    {
        using var timeout = new CancellationTokenSource(s_timeout);

        await using Pop3Client client = await ConnectRobotAsync(fixture.Servers, tlsMode, timeout.Token);
        bool encrypted = client.IsEncrypted;
        StatResult status = await client.GetStatusAsync(timeout.Token);
        await client.QuitAsync(timeout.Token);

        Assert.True(encrypted);
        Assert.True(status.MessageCount >= 0);
        Assert.Contains("XOAUTH2", client.Capabilities.SaslMechanisms);
    }

    [RequiresServersFact]
    public async Task XOAuth2TwoStep_LogsIn()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        string mailbox = servers.Client("robot").Mailbox!;
        string token = await servers.GetClientCredentialsTokenAsync("robot", timeout.Token);
        Pop3ClientOptions defaults = Options(servers, TlsMode.Implicit);
        var log = new StringWriter();
        var options = new Pop3ClientOptions
        {
            Host = defaults.Host,
            Port = defaults.Port,
            TrustedCertificateAuthorities = defaults.TrustedCertificateAuthorities,
            AllowSaslInitialResponse = false,
            ProtocolLog = new Transport.Diagnostics.ProtocolLog(log),
        };

        await using Pop3Client client = await Pop3Client.ConnectAsync(options, timeout.Token);
        await client.AuthenticateAsync(
            SaslCredentials.FromTokenProvider(mailbox, AccessTokenProvider.FromToken(token)),
            timeout.Token);
        await client.QuitAsync(timeout.Token);

        Assert.Contains("C: AUTH XOAUTH2\n", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, log.ToString(), StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task ListRetrTopAndParse_ThenDeleteAndQuit()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        string marker = NewMarker();
        await SubmitAsync(servers, marker + " one", DottedBody, timeout.Token);
        await SubmitAsync(servers, marker + " two", "second message\r\n", timeout.Token);
        await WaitForDeliveryAsync(servers, marker, 2, timeout.Token);

        await using (Pop3Client client = await ConnectRobotAsync(servers, TlsMode.Implicit, timeout.Token))
        {
            List<Pop3UniqueId> found = await FindAsync(client, marker, timeout.Token);
            Assert.Equal(2, found.Count);

            // Postfix may deliver the two messages in either order.
            int first = found.Single(item => SubjectOf(item).EndsWith(" one", StringComparison.Ordinal)).Number;

            Pop3MessageInfo size = await client.ListAsync(first, timeout.Token);
            var raw = new MemoryStream();
            long written = await client.RetrieveAsync(first, raw, timeout.Token);
            var top = new MemoryStream();
            await client.RetrieveTopAsync(first, 1, top, timeout.Token);
            using MimeMessage message = await client.RetrieveMessageAsync(first, null, timeout.Token);

            string text = Encoding.UTF8.GetString(raw.ToArray());
            Assert.Equal(size.Size, written);
            Assert.EndsWith("\r\n\r\n" + DottedBody, text, StringComparison.Ordinal);
            Assert.EndsWith("\r\n\r\nfirst line\r\n", Encoding.UTF8.GetString(top.ToArray()), StringComparison.Ordinal);
            Assert.Equal(marker + " one", message.Subject);
            Assert.Equal(DottedBody, message.TextBody);

            await client.DeleteAsync(found.Select(item => item.Number).ToArray(), timeout.Token);
            await client.QuitAsync(timeout.Token);
        }

        await using Pop3Client after = await ConnectRobotAsync(servers, TlsMode.Implicit, timeout.Token);
        List<Pop3UniqueId> remaining = await FindAsync(after, marker, timeout.Token);
        await after.QuitAsync(timeout.Token);

        Assert.Empty(remaining);
    }

    [RequiresServersFact]
    public async Task DeleteThenReset_KeepsMessages()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        string marker = NewMarker();
        await SubmitAsync(servers, marker, "kept by RSET\r\n", timeout.Token);
        await WaitForDeliveryAsync(servers, marker, 1, timeout.Token);

        await using (Pop3Client client = await ConnectRobotAsync(servers, TlsMode.Implicit, timeout.Token))
        {
            List<Pop3UniqueId> found = await FindAsync(client, marker, timeout.Token);
            await client.DeleteAsync(found[0].Number, timeout.Token);
            await client.ResetAsync(timeout.Token);
            await client.QuitAsync(timeout.Token);
        }

        List<Pop3UniqueId> remaining = await FindInNewSessionAsync(servers, marker, timeout.Token);
        await DeleteAllAsync(servers, marker, timeout.Token);

        Assert.Single(remaining);
    }

    [RequiresServersFact]
    public async Task DroppedConnection_DeletesNothing()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        string marker = NewMarker();
        await SubmitAsync(servers, marker, "kept without QUIT\r\n", timeout.Token);
        await WaitForDeliveryAsync(servers, marker, 1, timeout.Token);

        Pop3Client client = await ConnectRobotAsync(servers, TlsMode.Implicit, timeout.Token);
        List<Pop3UniqueId> found = await FindAsync(client, marker, timeout.Token);
        await client.DeleteAsync(found[0].Number, timeout.Token);
        await client.DisposeAsync();

        List<Pop3UniqueId> remaining = await FindInNewSessionAsync(servers, marker, timeout.Token);
        await DeleteAllAsync(servers, marker, timeout.Token);

        Assert.Single(remaining);
        Assert.Equal(found[0].UniqueId, remaining[0].UniqueId);
    }

    [RequiresServersFact]
    public async Task PipelinedListAndUidl_MatchFullListings()
    {
        using var timeout = new CancellationTokenSource(s_timeout);

        await using Pop3Client client = await ConnectRobotAsync(fixture.Servers, TlsMode.Implicit, timeout.Token);
        IReadOnlyList<Pop3MessageInfo> sizes = await client.ListAsync(timeout.Token);
        IReadOnlyList<Pop3UniqueId> ids = await client.GetUniqueIdsAsync(timeout.Token);
        int[] numbers = sizes.Select(item => item.Number).ToArray();
        IReadOnlyList<Pop3MessageInfo> batchSizes = await client.ListAsync(numbers, timeout.Token);
        IReadOnlyList<Pop3UniqueId> batchIds = await client.GetUniqueIdsAsync(numbers, timeout.Token);
        await client.QuitAsync(timeout.Token);

        Assert.True(client.Capabilities.SupportsPipelining);
        Assert.Equal(sizes, batchSizes);
        Assert.Equal(ids, batchIds);
    }

    [RequiresServersTheory]
    [InlineData(TlsMode.Implicit)]
    [InlineData(TlsMode.StartTls)]
    public async Task UserPass_LogsIn(TlsMode tlsMode)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        TestUser bob = fixture.Servers.User("bob");

        await using Pop3Client client = await Pop3Client.ConnectAsync(Options(fixture.Servers, tlsMode), timeout.Token);
        await client.LoginAsync(bob.Email, bob.Password, timeout.Token);
        StatResult status = await client.GetStatusAsync(timeout.Token);
        await client.QuitAsync(timeout.Token);

        Assert.True(status.TotalSize >= 0);
    }

    [RequiresServersTheory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    [InlineData("SCRAM-SHA-1")]
    [InlineData("SCRAM-SHA-256")]
    public async Task SaslPassword_LogsIn(string mechanism)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        TestUser bob = fixture.Servers.User("bob");
        var log = new StringWriter();
        Pop3ClientOptions defaults = Options(fixture.Servers, TlsMode.Implicit);
        var options = new Pop3ClientOptions
        {
            Host = defaults.Host,
            Port = defaults.Port,
            TrustedCertificateAuthorities = defaults.TrustedCertificateAuthorities,
            MechanismSelector = new SaslMechanismSelector([mechanism]),
            ProtocolLog = new Transport.Diagnostics.ProtocolLog(log),
        };

        await using Pop3Client client = await Pop3Client.ConnectAsync(options, timeout.Token);
        await client.AuthenticateAsync(SaslCredentials.FromPassword(bob.Email, bob.Password), timeout.Token);
        await client.QuitAsync(timeout.Token);

        Assert.Contains("C: AUTH " + mechanism, log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(bob.Password, log.ToString(), StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task SaslDefaultOrder_PicksScramSha256()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        TestUser bob = fixture.Servers.User("bob");
        var log = new StringWriter();
        Pop3ClientOptions defaults = Options(fixture.Servers, TlsMode.Implicit);
        var options = new Pop3ClientOptions
        {
            Host = defaults.Host,
            Port = defaults.Port,
            TrustedCertificateAuthorities = defaults.TrustedCertificateAuthorities,
            ProtocolLog = new Transport.Diagnostics.ProtocolLog(log),
        };

        await using Pop3Client client = await Pop3Client.ConnectAsync(options, timeout.Token);
        await client.AuthenticateAsync(SaslCredentials.FromPassword(bob.Email, bob.Password), timeout.Token);
        await client.QuitAsync(timeout.Token);

        Assert.Contains("C: AUTH SCRAM-SHA-256", log.ToString(), StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task XOAuth2_BadToken_DecodedError()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        LocalServers servers = fixture.Servers;
        string mailbox = servers.Client("robot").Mailbox!;
        var credentials = SaslCredentials.FromTokenProvider(mailbox, AccessTokenProvider.FromToken("not-a-token"));

        Pop3ClientOptions options = Options(servers, TlsMode.Implicit);
        await using Pop3Client client = await Pop3Client.ConnectAsync(options, timeout.Token);
        var ex = await Assert.ThrowsAsync<MailAuthenticationException>(
            () => client.AuthenticateAsync(credentials, timeout.Token));
        await client.QuitAsync(timeout.Token);

        Assert.Equal("[AUTH] Authentication failed.", ex.ResponseText);
        Assert.Equal("401", ex.ServerErrorFields!["status"]);
        Assert.Equal("mail", ex.ServerErrorFields["scope"]);
    }

    private static async Task<List<Pop3UniqueId>> FindInNewSessionAsync(
        LocalServers servers,
        string marker,
        CancellationToken cancellationToken)
    {
        await using Pop3Client client = await ConnectRobotAsync(servers, TlsMode.Implicit, cancellationToken);
        List<Pop3UniqueId> found = await FindAsync(client, marker, cancellationToken);
        await client.QuitAsync(cancellationToken);
        return found;
    }
}
