using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Transport.Tests;

public sealed class TlsTests
{
    private static MailConnectionOptions Options(
        ScriptedServer server,
        TlsMode mode,
        string host = "localhost",
        X509Certificate2Collection? authorities = null,
        RemoteCertificateValidationCallback? callback = null)
    {
        return new MailConnectionOptions
        {
            Host = host,
            Port = server.Port,
            TlsMode = mode,
            TrustedCertificateAuthorities = authorities,
            ServerCertificateValidationCallback = callback,
            CommandTimeout = TimeSpan.FromSeconds(30),
        };
    }

    private static X509Certificate2Collection TestAuthority()
    {
        return [TestCertificates.Shared.Authority];
    }

    [Fact]
    public async Task StartTls_InjectedLineIsRejected()
    {
        // The injected line arrives in the same TCP write as the go-ahead, before the handshake.
        await using ScriptedServer server = new ScriptedServer()
            .Send("* OK ready\r\n")
            .Expect("a1 STARTTLS\r\n")
            .Send("a1 OK begin TLS\r\n* 1 EXISTS\r\n")
            .Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(
            Options(server, TlsMode.StartTls, authorities: TestAuthority()));
        await connection.ReadLineAsync();
        connection.WriteLine("a1 STARTTLS");
        await connection.FlushAsync();
        string goAhead = await connection.ReadLineAsync();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => connection.UpgradeToTlsAsync().AsTask());

        Assert.Equal("a1 OK begin TLS", goAhead);
        Assert.Equal(ProtocolErrorReason.PlaintextAfterStartTls, exception.Reason);
        Assert.True(connection.IsClosed);
        Assert.False(connection.IsEncrypted);
    }

    [Fact]
    public async Task StartTls_UpgradesAndReadsEncrypted()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 ready\r\n")
            .Expect("STARTTLS\r\n")
            .Send("220 go ahead\r\n")
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Expect("EHLO client\r\n")
            .Send("250 secure\r\n")
            .Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(
            Options(server, TlsMode.StartTls, authorities: TestAuthority()));
        await connection.ReadLineAsync();
        connection.WriteLine("STARTTLS");
        await connection.FlushAsync();
        await connection.ReadLineAsync();

        await connection.UpgradeToTlsAsync();
        connection.WriteLine("EHLO client");
        await connection.FlushAsync();
        string reply = await connection.ReadLineAsync();

        Assert.True(connection.IsEncrypted);
        Assert.Equal("250 secure", reply);
        Assert.NotNull(connection.NegotiatedProtocol);
        Assert.Equal(TestCertificates.Shared.Server.Thumbprint, connection.RemoteCertificate?.GetCertHashString());
    }

    [Fact]
    public async Task StartTls_UntrustedCertificateClosesConnection()
    {
        await using ScriptedServer server = new ScriptedServer()
            .Send("+OK ready\r\n")
            .Expect("STLS\r\n")
            .Send("+OK begin TLS\r\n")
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Start();
        await using MailConnection connection = await MailConnection.ConnectAsync(Options(server, TlsMode.StartTls));
        await connection.ReadLineAsync();
        connection.WriteLine("STLS");
        await connection.FlushAsync();
        await connection.ReadLineAsync();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => connection.UpgradeToTlsAsync().AsTask());

        Assert.Equal(ProtocolErrorReason.CertificateInvalid, exception.Reason);
        Assert.True(connection.IsClosed);
        Assert.False(connection.IsEncrypted);
    }

    [Fact]
    public async Task StartTls_ReleasesAllBuffers()
    {
        var pool = new LeakDetectingMemoryPool();
        await using ScriptedServer server = new ScriptedServer()
            .Send("220 ready\r\n")
            .Expect("STARTTLS\r\n")
            .Send("220 go ahead\r\n")
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Send("250 secure\r\n")
            .Start();
        MailConnectionOptions options = Options(server, TlsMode.StartTls, authorities: TestAuthority());
        MailConnection connection = await MailConnection.ConnectAsync(new MailConnectionOptions
        {
            Host = options.Host,
            Port = options.Port,
            TlsMode = TlsMode.StartTls,
            TrustedCertificateAuthorities = options.TrustedCertificateAuthorities,
            MemoryPool = pool,
        });
        await connection.ReadLineAsync();
        connection.WriteLine("STARTTLS");
        await connection.FlushAsync();
        await connection.ReadLineAsync();
        await connection.UpgradeToTlsAsync();
        await connection.ReadLineAsync();

        await connection.DisposeAsync();

        Assert.Equal(0, pool.Outstanding);
        Assert.Equal(0, pool.Errors);
    }

    [Fact]
    public async Task Implicit_UntrustedCertificateRejected()
    {
        await using ScriptedServer server = new ScriptedServer()
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Send("* OK ready\r\n")
            .Start();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => MailConnection.ConnectAsync(Options(server, TlsMode.Implicit)).AsTask());

        Assert.Equal(ProtocolErrorReason.CertificateInvalid, exception.Reason);
        Assert.Contains("RemoteCertificateChainErrors", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Implicit_TrustedAuthorityAccepted()
    {
        await using ScriptedServer server = new ScriptedServer()
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Send("* OK ready\r\n")
            .Start();

        await using MailConnection connection = await MailConnection.ConnectAsync(
            Options(server, TlsMode.Implicit, authorities: TestAuthority()));
        string greeting = await connection.ReadLineAsync();

        Assert.True(connection.IsEncrypted);
        Assert.Equal("* OK ready", greeting);
    }

    [Fact]
    public async Task Implicit_TrustedAuthorityDoesNotExcuseNameMismatch()
    {
        await using ScriptedServer server = new ScriptedServer()
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Start();
        MailConnectionOptions options = Options(server, TlsMode.Implicit, authorities: TestAuthority());
        options = new MailConnectionOptions
        {
            Host = options.Host,
            Port = options.Port,
            TargetHostOverride = "imap.example.com",
            TrustedCertificateAuthorities = options.TrustedCertificateAuthorities,
        };

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => MailConnection.ConnectAsync(options).AsTask());

        Assert.Equal(ProtocolErrorReason.CertificateInvalid, exception.Reason);
        Assert.Contains("RemoteCertificateNameMismatch", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Implicit_CallbackReceivesRemainingErrors()
    {
        SslPolicyErrors? seen = null;
        await using ScriptedServer server = new ScriptedServer()
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Send("* OK ready\r\n")
            .Start();

        await using MailConnection connection = await MailConnection.ConnectAsync(Options(
            server,
            TlsMode.Implicit,
            authorities: TestAuthority(),
            callback: (_, _, _, errors) =>
            {
                seen = errors;
                return errors == SslPolicyErrors.None;
            }));

        Assert.Equal(SslPolicyErrors.None, seen);
    }

    [Fact]
    public async Task Implicit_PlainTextServerFailsHandshake()
    {
        await using ScriptedServer server = new ScriptedServer().Send("* OK plain text\r\n").Close().Start();

        var exception = await Assert.ThrowsAsync<MailProtocolException>(
            () => MailConnection.ConnectAsync(Options(server, TlsMode.Implicit)).AsTask());

        Assert.Equal(ProtocolErrorReason.TlsHandshakeFailed, exception.Reason);
    }

    [Fact]
    public async Task Implicit_NegotiatesModernProtocol()
    {
        await using ScriptedServer server = new ScriptedServer()
            .UpgradeToTls(TestCertificates.Shared.Server)
            .Send("* OK ready\r\n")
            .Start();

        await using MailConnection connection = await MailConnection.ConnectAsync(
            Options(server, TlsMode.Implicit, authorities: TestAuthority()));

        Assert.True(connection.NegotiatedProtocol is SslProtocols.Tls12 or SslProtocols.Tls13);
    }
}
