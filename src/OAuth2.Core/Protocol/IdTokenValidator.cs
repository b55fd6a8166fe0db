using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RawMail.OAuth2;

/// <summary>
/// Validates an OpenID Connect id token (OIDC Core 3.1.3.7): signature against the issuer's JWKS,
/// iss, aud = client id, exp and nbf against the client's clock with a skew, and the nonce.
/// </summary>
internal static class IdTokenValidator
{
    public static async Task<JsonWebToken> ValidateAsync(
        string idToken,
        string jwksJson,
        string? issuer,
        string clientId,
        string? expectedNonce,
        DateTimeOffset now,
        TimeSpan clockSkew)
    {
        IList<SecurityKey> keys;
        try
        {
            keys = new JsonWebKeySet(jwksJson).GetSigningKeys();
        }
        catch (ArgumentException exception)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.MalformedResponse, "The JWKS document is not a key set.", exception);
        }

        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidIssuer = issuer,
            // A Microsoft authority other than a tenant id has no fixed issuer (see OAuth2Endpoints).
            ValidateIssuer = issuer is not null,
            ValidAudience = clientId,
            // Lifetime is checked below against the client's TimeProvider, not the system clock.
            ValidateLifetime = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };

        TokenValidationResult result = await new JsonWebTokenHandler()
            .ValidateTokenAsync(idToken, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            throw Invalid($"failed validation: {result.Exception?.Message}", result.Exception);
        }

        var token = (JsonWebToken)result.SecurityToken;
        if (token.ValidTo == DateTime.MinValue || now - clockSkew >= new DateTimeOffset(token.ValidTo, TimeSpan.Zero))
        {
            throw Invalid($"expired at {token.ValidTo:O}.");
        }

        if (token.ValidFrom != DateTime.MinValue
            && now + clockSkew < new DateTimeOffset(token.ValidFrom, TimeSpan.Zero))
        {
            throw Invalid($"is not valid before {token.ValidFrom:O}.");
        }

        if (expectedNonce is not null)
        {
            token.TryGetPayloadValue("nonce", out string? nonce);
            if (nonce is null || !CryptographicOperations.FixedTimeEquals(
                    Encoding.UTF8.GetBytes(nonce), Encoding.UTF8.GetBytes(expectedNonce)))
            {
                throw Invalid("carries a nonce that differs from the one sent in the authorization request.");
            }
        }

        return token;
    }

    private static OAuth2Exception Invalid(string problem, Exception? inner = null) =>
        new(OAuth2ErrorReason.InvalidIdToken, $"The id token {problem}", inner);
}
