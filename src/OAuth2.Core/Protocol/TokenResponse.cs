using System.Net;

namespace RawMail.OAuth2;

/// <summary>Turns a token endpoint response (RFC 6749 5.1 and 5.2) into a token or an exception.</summary>
internal static class TokenResponse
{
    /// <summary>Largest accepted expires_in (about 68 years), so the expiry stays a valid date.</summary>
    internal const long MaxLifetimeSeconds = int.MaxValue;

    private static readonly HashSet<string> s_knownFields = new(StringComparer.Ordinal)
    {
        "access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token",
    };

    /// <summary>Parses the response; receivedAt turns expires_in into an absolute expiry.</summary>
    public static OAuth2Token Parse(
        HttpStatusCode status,
        string? mediaType,
        ReadOnlySpan<byte> body,
        DateTimeOffset receivedAt,
        IReadOnlyList<string> requestedScopes)
    {
        if (status != HttpStatusCode.OK)
        {
            throw ResponseFields.ToException(status, mediaType, body);
        }

        ResponseFields fields = ResponseFields.TryParse(mediaType, body) ?? throw new OAuth2Exception(
            OAuth2ErrorReason.MalformedResponse,
            $"The token response is neither JSON nor form-encoded: HTTP 200, " +
            $"Content-Type '{mediaType ?? "none"}', {ResponseFields.DescribeSuccessBody(body)}.")
        {
            StatusCode = status,
        };

        // Note: GitHub-style servers return status 200 with an error body.
        if (fields.GetString("error") is not null)
        {
            throw ResponseFields.ToException(HttpStatusCode.OK, mediaType, body);
        }

        return FromFields(fields, receivedAt, requestedScopes);
    }

    public static OAuth2Token FromFields(
        ResponseFields fields, DateTimeOffset receivedAt, IReadOnlyList<string> requestedScopes)
    {
        string accessToken = fields.GetString("access_token") is { Length: > 0 } value
            ? value
            : throw new OAuth2Exception(OAuth2ErrorReason.MalformedResponse, "The token response has no access_token.");

        // expires_in may be a number or a digit string (Azure AD v1 sends "3599"). Facebook's
        // older endpoint calls it expires. The server's absolute expires_on is ignored because it
        // is on the server's clock.
        long? lifetime = fields.GetInt64("expires_in") ?? fields.GetInt64("expires");
        if (lifetime is < 0 or > MaxLifetimeSeconds)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.MalformedResponse,
                $"The token response has expires_in {lifetime}, outside 0 to {MaxLifetimeSeconds} seconds.");
        }

        string? scope = fields.GetString("scope");
        var extra = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> field in fields.Values)
        {
            if (!s_knownFields.Contains(field.Key))
            {
                extra[field.Key] = field.Value;
            }
        }

        return new OAuth2Token
        {
            AccessToken = accessToken,
            // RFC 6749 5.1 makes token_type required and case-insensitive; a missing one is taken as Bearer.
            TokenType = fields.GetString("token_type") ?? "Bearer",
            RefreshToken = fields.GetString("refresh_token") is { Length: > 0 } refresh ? refresh : null,
            ExpiresAt = lifetime is { } seconds ? receivedAt.AddSeconds(seconds) : null,
            Scopes = scope is null
                ? [.. requestedScopes]
                : scope.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            IdToken = fields.GetString("id_token"),
            ExtraFields = extra,
        };
    }
}
