using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace RawMail.OAuth2.Tests;

/// <summary>Locally generated keys and certificates, and a JWT decoder for checking what was signed.</summary>
public static class TestKeys
{
    private static readonly Lazy<X509Certificate2> s_certificate = new(CreateCertificate);

    public static X509Certificate2 Certificate => s_certificate.Value;

    private static X509Certificate2 CreateCertificate()
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest("CN=RawMail test client", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    public static JsonElement DecodeHeader(string jwt) => DecodePart(jwt.Split('.')[0]);

    public static JsonElement DecodePayload(string jwt) => DecodePart(jwt.Split('.')[1]);

    public static JsonElement DecodePart(string part)
    {
        byte[] bytes = System.Buffers.Text.Base64Url.DecodeFromChars(part);
        using JsonDocument document = JsonDocument.Parse(bytes);
        return document.RootElement.Clone();
    }

    public static byte[] SigningInput(string jwt)
    {
        int last = jwt.LastIndexOf('.');
        return Encoding.ASCII.GetBytes(jwt[..last]);
    }

    public static byte[] Signature(string jwt) => System.Buffers.Text.Base64Url.DecodeFromChars(jwt.AsSpan(jwt.LastIndexOf('.') + 1));
}
