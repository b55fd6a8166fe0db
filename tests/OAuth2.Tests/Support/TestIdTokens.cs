using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RawMail.OAuth2.Tests;

/// <summary>Signs id tokens with a locally generated RSA key and publishes that key as a JWKS.</summary>
public sealed class TestIdTokens : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);

    public string Jwks
    {
        get
        {
            RSAParameters parameters = _key.ExportParameters(includePrivateParameters: false);
            return "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"k1\"," +
                $"\"n\":\"{Base64Url.EncodeToString(parameters.Modulus)}\",\"e\":\"{Base64Url.EncodeToString(parameters.Exponent)}\"}}]}}";
        }
    }

    public string Create(string issuer, string audience, string? nonce, DateTimeOffset issuedAt, TimeSpan lifetime, RSA? signingKey = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = "user-1" };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = (issuedAt + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(
                new RsaSecurityKey(signingKey ?? _key) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    public void Dispose() => _key.Dispose();
}
