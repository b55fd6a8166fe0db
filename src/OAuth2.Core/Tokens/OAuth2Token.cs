using System.Text.Json;
using System.Text.Json.Serialization;

namespace RawMail.OAuth2;

/// <summary>
/// A token response (RFC 6749 5.1) with the lifetime turned into an absolute time, so it can be
/// stored and reused later.
/// </summary>
public sealed class OAuth2Token
{
    public required string AccessToken { get; init; }

    public string TokenType { get; init; } = "Bearer";

    public string? RefreshToken { get; init; }

    /// <summary>Receive time plus <c>expires_in</c>; null when the server stated no lifetime.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Granted scopes; the requested ones when the server omitted <c>scope</c> (RFC 6749 5.1).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>OpenID Connect id token, already validated when the client requested <c>openid</c>.</summary>
    public string? IdToken { get; init; }

    /// <summary>Response fields with no property here (ext_expires_in, resource, ...), as text.</summary>
    public IReadOnlyDictionary<string, string> ExtraFields { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Tells whether the access token has expired at <paramref name="now"/> or will within
    /// <paramref name="skew"/>. A token without a stated lifetime never counts as expired.
    /// </summary>
    public bool ExpiresWithin(DateTimeOffset now, TimeSpan skew) =>
        ExpiresAt is { } expiresAt && now + skew >= expiresAt;

    /// <summary>Serializes the token, secrets included, to JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, OAuth2JsonContext.Default.OAuth2Token);

    /// <summary>Reads a token written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The text is not a serialized token.</exception>
    public static OAuth2Token FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSerializer.Deserialize(json, OAuth2JsonContext.Default.OAuth2Token)
            ?? throw new JsonException("The JSON text is null, not a token object.");
    }

    /// <summary>Returns a copy that carries <paramref name="refreshToken"/> when this one has none.</summary>
    internal OAuth2Token WithRefreshTokenFallback(string? refreshToken)
    {
        if (RefreshToken is not null || refreshToken is null)
        {
            return this;
        }

        return new OAuth2Token
        {
            AccessToken = AccessToken,
            TokenType = TokenType,
            RefreshToken = refreshToken,
            ExpiresAt = ExpiresAt,
            Scopes = Scopes,
            IdToken = IdToken,
            ExtraFields = ExtraFields,
        };
    }

    /// <summary>Returns a copy without the refresh token, after the server rejected it.</summary>
    internal OAuth2Token WithoutRefreshToken() => new()
    {
        AccessToken = AccessToken,
        TokenType = TokenType,
        ExpiresAt = ExpiresAt,
        Scopes = Scopes,
        IdToken = IdToken,
        ExtraFields = ExtraFields,
    };
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OAuth2Token))]
internal sealed partial class OAuth2JsonContext : JsonSerializerContext
{
}
