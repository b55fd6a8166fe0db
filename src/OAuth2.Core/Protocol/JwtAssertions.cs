using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace RawMail.OAuth2;

/// <summary>
/// Signed JWTs this client sends: the private_key_jwt client assertion (RFC 7523 2.2 and 3) and
/// the Google service account JWT bearer grant (RFC 7523 2.1). They are written by hand with
/// Utf8JsonWriter so the header carries exactly the fields the servers look for.
/// </summary>
internal static class JwtAssertions
{
    /// <summary>Lifetime of a client assertion; short, since it is used once.</summary>
    public static readonly TimeSpan ClientAssertionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Lifetime of a Google service account assertion; Google accepts at most one hour.</summary>
    public static readonly TimeSpan ServiceAccountAssertionLifetime = TimeSpan.FromHours(1);

    /// <summary>
    /// Creates the client assertion: iss = sub = client id, aud = token endpoint, a fresh jti,
    /// nbf = iat = now and exp = now + 5 minutes; header x5t#S256 and kid from the certificate.
    /// </summary>
    public static string CreateClientAssertion(OAuth2ProviderOptions options, Uri tokenEndpoint, DateTimeOffset now)
    {
        X509Certificate2 certificate = options.ClientCertificate ?? throw new OAuth2Exception(
            OAuth2ErrorReason.InvalidConfiguration,
            "private_key_jwt needs a client certificate, but ClientCertificate is not set.");
        using RSA key = certificate.GetRSAPrivateKey() ?? throw new OAuth2Exception(
            OAuth2ErrorReason.InvalidConfiguration,
            "The client certificate has no RSA private key, so it cannot sign a client assertion.");

        string thumbprint = Base64Url.EncodeToString(certificate.GetCertHash(HashAlgorithmName.SHA256));
        string algorithm = options.ClientAssertionAlgorithm == ClientAssertionAlgorithm.PS256 ? "PS256" : "RS256";
        long issuedAt = now.ToUnixTimeSeconds();

        byte[] header = WriteJson(writer =>
        {
            writer.WriteString("alg", algorithm);
            writer.WriteString("typ", "JWT");
            writer.WriteString("x5t#S256", thumbprint);
            writer.WriteString("kid", thumbprint);
        });
        byte[] payload = WriteJson(writer =>
        {
            writer.WriteString("aud", tokenEndpoint.AbsoluteUri);
            writer.WriteString("iss", options.ClientId);
            writer.WriteString("sub", options.ClientId);
            writer.WriteString("jti", Pkce.CreateRandomValue());
            writer.WriteNumber("nbf", issuedAt);
            writer.WriteNumber("iat", issuedAt);
            writer.WriteNumber("exp", issuedAt + (long)ClientAssertionLifetime.TotalSeconds);
        });
        RSASignaturePadding padding = options.ClientAssertionAlgorithm == ClientAssertionAlgorithm.PS256
            ? RSASignaturePadding.Pss
            : RSASignaturePadding.Pkcs1;
        return Sign(header, payload, key, padding);
    }

    /// <summary>
    /// Creates the Google service account assertion: iss = client email, scope, aud = token
    /// endpoint, iat, exp = iat + 1 hour, sub for domain-wide delegation; RS256 with kid = key id.
    /// </summary>
    public static string CreateServiceAccountAssertion(
        OAuth2ProviderOptions options, Uri tokenEndpoint, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(options.ServiceAccountEmail)
            || string.IsNullOrEmpty(options.ServiceAccountPrivateKeyPem))
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidConfiguration,
                "The JWT bearer grant needs ServiceAccountEmail and ServiceAccountPrivateKeyPem.");
        }

        using RSA key = RSA.Create();
        try
        {
            key.ImportFromPem(options.ServiceAccountPrivateKeyPem);
        }
        catch (ArgumentException exception)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidConfiguration,
                "ServiceAccountPrivateKeyPem holds no RSA private key in PEM form.",
                exception);
        }

        long issuedAt = now.ToUnixTimeSeconds();
        byte[] header = WriteJson(writer =>
        {
            writer.WriteString("alg", "RS256");
            writer.WriteString("typ", "JWT");
            if (!string.IsNullOrEmpty(options.ServiceAccountKeyId))
            {
                writer.WriteString("kid", options.ServiceAccountKeyId);
            }
        });
        byte[] payload = WriteJson(writer =>
        {
            writer.WriteString("iss", options.ServiceAccountEmail);
            writer.WriteString("scope", string.Join(' ', options.Scopes));
            writer.WriteString("aud", tokenEndpoint.AbsoluteUri);
            if (!string.IsNullOrEmpty(options.ServiceAccountSubject))
            {
                writer.WriteString("sub", options.ServiceAccountSubject);
            }

            writer.WriteNumber("iat", issuedAt);
            writer.WriteNumber("exp", issuedAt + (long)ServiceAccountAssertionLifetime.TotalSeconds);
        });
        return Sign(header, payload, key, RSASignaturePadding.Pkcs1);
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Joins BASE64URL(header).BASE64URL(payload) and appends the signature (RFC 7515 5.1).</summary>
    private static string Sign(byte[] header, byte[] payload, RSA key, RSASignaturePadding padding)
    {
        string signingInput = Base64Url.EncodeToString(header) + "." + Base64Url.EncodeToString(payload);
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, padding);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
