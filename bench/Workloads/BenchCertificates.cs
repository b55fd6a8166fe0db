using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RawMail.Benchmarks.Workloads;

/// <summary>
/// A benchmark CA and a server certificate it signed for "localhost" and 127.0.0.1, generated in memory once per
/// process with ECDSA P-256 keys (much faster to make than RSA). Clients trust the CA through their options, never by
/// turning certificate validation off.
/// </summary>
internal sealed class BenchCertificates
{
    /// <summary>The name the clients send in the server name indication and check against the certificate.</summary>
    public const string HostName = "localhost";

    /// <summary>
    /// A file with the DER-encoded CA of another process. When set, this process trusts that CA and has no server
    /// certificate: the startup harness's child processes connect to the servers of their parent.
    /// </summary>
    public const string AuthorityFileVariable = "RAWMAIL_BENCH_CA";

    private static readonly Lazy<BenchCertificates> s_shared = new(CreateOrLoad);

    private readonly X509Certificate2? _server;

    private BenchCertificates(X509Certificate2 authority, X509Certificate2? server)
    {
        Authority = authority;
        _server = server;
    }

    public static BenchCertificates Shared => s_shared.Value;

    /// <summary>The self-signed CA, without its private key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server =>
        _server ?? throw new InvalidOperationException($"{AuthorityFileVariable} is set, so there is no server key.");

    /// <summary>The CA as the collection that the clients' TrustedCertificateAuthorities option takes.</summary>
    public X509Certificate2Collection Trust => [Authority];

    /// <summary>Client options for a raw SslStream that trusts only the benchmark CA, as the mail clients do.</summary>
    public SslClientAuthenticationOptions ClientOptions()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(Authority);
        return new SslClientAuthenticationOptions { TargetHost = HostName, CertificateChainPolicy = policy };
    }

    private static BenchCertificates CreateOrLoad()
    {
        string? authorityFile = Environment.GetEnvironmentVariable(AuthorityFileVariable);
        return string.IsNullOrEmpty(authorityFile)
            ? Create()
            : new BenchCertificates(X509CertificateLoader.LoadCertificateFromFile(authorityFile), null);
    }

    private static BenchCertificates Create()
    {
        using ECDsa authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=RawMail Bench CA", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        authorityRequest.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 authorityWithKey = authorityRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=" + HostName, serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authorityWithKey, true, false));

        byte[] serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using X509Certificate2 serverPublic = serverRequest.Create(
            authorityWithKey, now.AddDays(-1), now.AddDays(29), serial);
        using X509Certificate2 serverWithKey = serverPublic.CopyWithPrivateKey(serverKey);

        // A PKCS#12 round trip gives a certificate that owns its key, which SslStream on Linux needs.
        X509Certificate2 server = X509CertificateLoader.LoadPkcs12(serverWithKey.Export(X509ContentType.Pkcs12), null);
        X509Certificate2 authority = X509CertificateLoader.LoadCertificate(authorityWithKey.RawData);
        return new BenchCertificates(authority, server);
    }
}
