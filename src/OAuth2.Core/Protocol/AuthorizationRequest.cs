using System.Text;

namespace RawMail.OAuth2;

/// <summary>Builds the authorization request URI (RFC 6749 4.1.1, RFC 7636 4.3, OIDC Core 3.1.2.1).</summary>
internal static class AuthorizationRequest
{
    public static Uri Build(
        OAuth2ProviderOptions options,
        Uri authorizationEndpoint,
        Uri redirectUri,
        string state,
        Pkce? pkce,
        string? nonce,
        bool hasRefreshToken = false)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("client_id", options.ClientId),
            new("response_type", "code"),
            new("redirect_uri", redirectUri.OriginalString),
            new("scope", string.Join(' ', TokenRequests.EffectiveScopes(options))),
            new("state", state),
        };

        // PKCE is independent of every other parameter: a Google request keeps access_type and
        // prompt next to the challenge, so offline access and PKCE work together.
        if (pkce is not null)
        {
            fields.Add(new("code_challenge", pkce.Challenge));
            fields.Add(new("code_challenge_method", pkce.MethodName));
        }

        AddIfSet(fields, "nonce", nonce);
        // Google returns a refresh token only when the consent screen was shown, so without a
        // stored one the request sets prompt=consent unless the caller chose a prompt.
        bool needsConsent = options.Provider == OAuth2Provider.Google && options.OfflineAccess && !hasRefreshToken;
        AddIfSet(fields, "prompt", options.Prompt ?? (needsConsent ? "consent" : null));
        AddIfSet(fields, "login_hint", options.LoginHint);
        if (options.Provider == OAuth2Provider.Google && options.OfflineAccess)
        {
            fields.Add(new("access_type", "offline"));
        }

        // The endpoint may carry its own query (RFC 6749 3.1), which is kept.
        var builder = new StringBuilder(authorizationEndpoint.AbsoluteUri);
        builder.Append(string.IsNullOrEmpty(authorizationEndpoint.Query) ? '?' : '&');
        builder.Append(EncodeQuery(fields));
        return new Uri(builder.ToString());
    }

    /// <summary>Encodes a query with %20 for spaces, the form browsers and servers all decode alike.</summary>
    private static string EncodeQuery(List<KeyValuePair<string, string>> fields)
    {
        var builder = new StringBuilder();
        foreach (KeyValuePair<string, string> field in fields)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(Uri.EscapeDataString(field.Key)).Append('=').Append(Uri.EscapeDataString(field.Value));
        }

        return builder.ToString();
    }

    private static void AddIfSet(List<KeyValuePair<string, string>> fields, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            fields.Add(new(name, value));
        }
    }
}
