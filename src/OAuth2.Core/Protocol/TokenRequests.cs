using System.Text;

namespace RawMail.OAuth2;

/// <summary>Builds the token endpoint requests of each grant, with client authentication applied.</summary>
internal static class TokenRequests
{
    public const string AuthorizationCodeGrant = "authorization_code";
    public const string RefreshTokenGrant = "refresh_token";
    public const string ClientCredentialsGrant = "client_credentials";
    public const string JwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";
    public const string JwtBearerAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>The caller's scopes, plus offline_access for a Microsoft sign-in that wants a refresh token.</summary>
    public static List<string> EffectiveScopes(OAuth2ProviderOptions options)
    {
        var scopes = new List<string>(options.Scopes);
        if (options.Provider == OAuth2Provider.Microsoft
            && options.Permission == OAuth2PermissionMode.SignedIn
            && options.OfflineAccess
            && !scopes.Contains("offline_access"))
        {
            scopes.Add("offline_access");
        }

        return scopes;
    }

    /// <summary>RFC 6749 4.1.3 with the RFC 7636 4.5 code_verifier.</summary>
    public static TokenRequest AuthorizationCode(
        OAuth2ProviderOptions options, Uri tokenEndpoint, string code, Uri redirectUri, Pkce? pkce, DateTimeOffset now)
    {
        var request = new TokenRequest(tokenEndpoint, AuthorizationCodeGrant);
        request.Add("grant_type", AuthorizationCodeGrant);
        request.Add("code", code);
        request.Add("redirect_uri", redirectUri.OriginalString);
        if (pkce is not null)
        {
            request.Add("code_verifier", pkce.Verifier);
        }

        AddClientAuthentication(request, options, now);
        return request;
    }

    /// <summary>
    /// Builds a refresh request (RFC 6749 6). The Microsoft identity platform v2.0 needs the scope
    /// again, because one refresh token there can mint tokens for several resources. Other servers
    /// get no scope, which keeps the originally granted one.
    /// </summary>
    public static TokenRequest Refresh(
        OAuth2ProviderOptions options, Uri tokenEndpoint, string refreshToken, DateTimeOffset now)
    {
        var request = new TokenRequest(tokenEndpoint, RefreshTokenGrant);
        request.Add("grant_type", RefreshTokenGrant);
        request.Add("refresh_token", refreshToken);
        AddClientAuthentication(request, options, now);
        if (options.Provider == OAuth2Provider.Microsoft)
        {
            request.Add("scope", string.Join(' ', EffectiveScopes(options)));
        }

        return request;
    }

    /// <summary>RFC 6749 4.4.</summary>
    public static TokenRequest ClientCredentials(OAuth2ProviderOptions options, Uri tokenEndpoint, DateTimeOffset now)
    {
        var request = new TokenRequest(tokenEndpoint, ClientCredentialsGrant);
        request.Add("grant_type", ClientCredentialsGrant);
        if (options.Scopes.Count > 0)
        {
            request.Add("scope", string.Join(' ', options.Scopes));
        }

        AddClientAuthentication(request, options, now);
        return request;
    }

    /// <summary>RFC 7523 2.1, as Google service accounts use it.</summary>
    public static TokenRequest JwtBearer(OAuth2ProviderOptions options, Uri tokenEndpoint, DateTimeOffset now)
    {
        var request = new TokenRequest(tokenEndpoint, JwtBearerGrant);
        request.Add("grant_type", JwtBearerGrant);
        request.Add("assertion", JwtAssertions.CreateServiceAccountAssertion(options, tokenEndpoint, now));
        return request;
    }

    /// <summary>RFC 8628 3.1.</summary>
    public static TokenRequest DeviceAuthorization(
        OAuth2ProviderOptions options, Uri deviceEndpoint, DateTimeOffset now)
    {
        var request = new TokenRequest(deviceEndpoint, "device_authorization");
        request.Add("scope", string.Join(' ', EffectiveScopes(options)));
        AddClientAuthentication(request, options, now);
        return request;
    }

    /// <summary>RFC 8628 3.4.</summary>
    public static TokenRequest DeviceCode(
        OAuth2ProviderOptions options, Uri tokenEndpoint, string deviceCode, DateTimeOffset now)
    {
        var request = new TokenRequest(tokenEndpoint, DeviceCodeGrant);
        request.Add("grant_type", DeviceCodeGrant);
        request.Add("device_code", deviceCode);
        AddClientAuthentication(request, options, now);
        return request;
    }

    /// <summary>Resolves <see cref="ClientAuthenticationMethod.Automatic"/> from what the options carry.</summary>
    public static ClientAuthenticationMethod ResolveMethod(OAuth2ProviderOptions options) =>
        options.ClientAuthentication switch
        {
            ClientAuthenticationMethod.Automatic when options.ClientCertificate is not null
                => ClientAuthenticationMethod.PrivateKeyJwt,
            ClientAuthenticationMethod.Automatic when options.ClientSecret is not null
                => ClientAuthenticationMethod.ClientSecretPost,
            ClientAuthenticationMethod.Automatic => ClientAuthenticationMethod.None,
            _ => options.ClientAuthentication,
        };

    private static void AddClientAuthentication(TokenRequest request, OAuth2ProviderOptions options, DateTimeOffset now)
    {
        switch (ResolveMethod(options))
        {
            case ClientAuthenticationMethod.ClientSecretPost:
                request.Add("client_id", options.ClientId);
                request.Add("client_secret", RequireSecret(options));
                break;

            case ClientAuthenticationMethod.ClientSecretBasic:
                // RFC 6749 2.3.1: each part is form-urlencoded before the pair is base64-encoded.
                string pair = FormUrlEncoding.EncodeComponent(options.ClientId) + ":"
                    + FormUrlEncoding.EncodeComponent(RequireSecret(options));
                request.BasicCredentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));
                break;

            case ClientAuthenticationMethod.PrivateKeyJwt:
                request.Add("client_id", options.ClientId);
                request.Add("client_assertion_type", JwtBearerAssertionType);
                request.Add("client_assertion", JwtAssertions.CreateClientAssertion(options, request.Endpoint, now));
                break;

            default:
                request.Add("client_id", options.ClientId);
                break;
        }
    }

    private static string RequireSecret(OAuth2ProviderOptions options) =>
        options.ClientSecret ?? throw new OAuth2Exception(
            OAuth2ErrorReason.InvalidConfiguration,
            "The client authentication method needs a client secret, but ClientSecret is not set.");
}
