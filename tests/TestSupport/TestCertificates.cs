using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RawMail.TestSupport;

/// <summary>In-memory certificates for TLS tests: a test CA and a server certificate it signed.</summary>
public sealed class TestCertificates : IDisposable
{
    private static readonly Lazy<TestCertificates> s_shared = new(() => Create("localhost"));

    private TestCertificates(X509Certificate2 authority, X509Certificate2 server)
    {
        Authority = authority;
        Server = server;
    }

    /// <summary>One set per test run; generating RSA keys is slow.</summary>
    public static TestCertificates Shared => s_shared.Value;

    /// <summary>The self-signed test CA, without its private key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>A server certificate with its private key, for "localhost" and 127.0.0.1, signed by the CA.</summary>
    public X509Certificate2 Server { get; }

    public static TestCertificates Create(string hostName)
    {
        using RSA authorityKey = RSA.Create(2048);
        var authorityRequest = new CertificateRequest(
            "CN=RawMail Test CA", authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(
            new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));

        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 authorityWithKey = authorityRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));

        using RSA serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest(
            "CN=" + hostName, serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(hostName);
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(
            X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authorityWithKey, true, false));

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 serverPublic = serverRequest.Create(
            authorityWithKey, now.AddDays(-1), now.AddDays(30), serial);
        // A PKCS#12 round trip gives a certificate that owns its key, so disposing serverKey cannot break it.
        using X509Certificate2 serverWithKey = serverPublic.CopyWithPrivateKey(serverKey);
        X509Certificate2 server = X509CertificateLoader.LoadPkcs12(serverWithKey.Export(X509ContentType.Pkcs12), null);

        X509Certificate2 authority = X509CertificateLoader.LoadCertificate(authorityWithKey.RawData);
        return new TestCertificates(authority, server);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }
}
