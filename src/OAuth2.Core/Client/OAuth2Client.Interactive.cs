using System.ComponentModel;
using System.Diagnostics;
using Microsoft.IdentityModel.JsonWebTokens;

namespace RawMail.OAuth2;

public sealed partial class OAuth2Client
{
    /// <summary>
    /// Runs the authorization code grant with PKCE through the system browser and a loopback
    /// redirect (RFC 6749 4.1, RFC 7636, RFC 8252), regardless of any stored token.
    /// </summary>
    public async Task<OAuth2Token> SignInAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            OAuth2Endpoints endpoints = await GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
            OAuth2Token? previous = await LoadTokenAsync(cancellationToken).ConfigureAwait(false);
            OAuth2Token token = _options.InteractiveFlow == OAuth2InteractiveFlow.DeviceCode
                ? await AcquireWithDeviceCodeAsync(endpoints, cancellationToken).ConfigureAwait(false)
                : await AcquireWithBrowserAsync(endpoints, cancellationToken).ConfigureAwait(false);

            // Google sends no refresh token on a repeat consent, so a stored one stays in use.
            token = token.WithRefreshTokenFallback(previous?.RefreshToken);
            await StoreTokenAsync(token, cancellationToken).ConfigureAwait(false);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<OAuth2Token> AcquireWithBrowserAsync(
        OAuth2Endpoints endpoints, CancellationToken cancellationToken)
    {
        Uri authorizationEndpoint = endpoints.AuthorizationEndpoint ?? throw new OAuth2Exception(
            OAuth2ErrorReason.InvalidConfiguration, "The authorization code flow needs an authorization endpoint.");
        if (!_options.OpenBrowser && _options.AuthorizationUrlCallback is null)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidConfiguration,
                "OpenBrowser is false and AuthorizationUrlCallback is not set, " +
                "so the user cannot reach the sign-in page.");
        }

        // state and PKCE belong to this one request; a later sign-in makes new ones (RFC 7636 4.1).
        string state = Pkce.CreateRandomValue();
        Pkce? pkce = _options.Pkce == PkceMethod.Disabled ? null : Pkce.Create(_options.Pkce);
        List<string> scopes = TokenRequests.EffectiveScopes(_options);
        string? nonce = scopes.Contains("openid") ? Pkce.CreateRandomValue() : null;

        LoopbackRedirectListener listener = LoopbackRedirectListener.Start(_options.RedirectUri, _logger);
        await using (listener.ConfigureAwait(false))
        {
            Uri authorizationUri = AuthorizationRequest.Build(
                _options, authorizationEndpoint, listener.RedirectUri, state, pkce, nonce,
                hasRefreshToken: _token?.RefreshToken is not null);
            Task<AuthorizationResponse> redirect = listener.WaitForRedirectAsync(
                state,
                endpoints.Issuer,
                endpoints.AuthorizationResponseIssParameterSupported && endpoints.Issuer is not null,
                _options.InteractiveTimeout,
                RedirectPages.From(_options),
                cancellationToken);

            if (_options.AuthorizationUrlCallback is not null)
            {
                await _options.AuthorizationUrlCallback(authorizationUri, cancellationToken).ConfigureAwait(false);
            }

            if (_options.OpenBrowser)
            {
                OpenSystemBrowser(authorizationUri);
            }

            AuthorizationResponse response = await redirect.ConfigureAwait(false);
            TokenRequest request = TokenRequests.AuthorizationCode(
                _options, endpoints.TokenEndpoint, response.Code, listener.RedirectUri, pkce,
                _timeProvider.GetUtcNow());
            OAuth2Token token = await SendTokenRequestAsync(request, scopes, cancellationToken).ConfigureAwait(false);
            await ValidateIdTokenAsync(token, endpoints, nonce, cancellationToken).ConfigureAwait(false);
            return token;
        }
    }

    /// <summary>Validates the id token when <c>openid</c> was requested (OIDC Core 3.1.3.7).</summary>
    private async Task ValidateIdTokenAsync(
        OAuth2Token token, OAuth2Endpoints endpoints, string? nonce, CancellationToken cancellationToken)
    {
        if (!TokenRequests.EffectiveScopes(_options).Contains("openid"))
        {
            return;
        }

        if (token.IdToken is null)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidIdToken,
                "The scope openid was requested, but the token response has no id_token.");
        }

        await ValidateIdTokenValueAsync(token.IdToken, endpoints, nonce, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Validates the id token of a refresh response (OIDC Core 12.2): checked like the first one, but
    /// without a nonce, and it must name the subject of the id token it replaces.
    /// </summary>
    private async Task ValidateRefreshedIdTokenAsync(
        OAuth2Token refreshed, OAuth2Token current, OAuth2Endpoints endpoints, CancellationToken cancellationToken)
    {
        if (refreshed.IdToken is null || !TokenRequests.EffectiveScopes(_options).Contains("openid"))
        {
            return;
        }

        JsonWebToken validated = await ValidateIdTokenValueAsync(
            refreshed.IdToken, endpoints, nonce: null, cancellationToken).ConfigureAwait(false);
        var handler = new JsonWebTokenHandler();
        if (current.IdToken is not null && handler.CanReadToken(current.IdToken)
            && !string.Equals(handler.ReadJsonWebToken(current.IdToken).Subject, validated.Subject, StringComparison.Ordinal))
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidIdToken,
                "The id token of the refresh response names another subject than the id token it replaces.");
        }
    }

    private async Task<JsonWebToken> ValidateIdTokenValueAsync(
        string idToken, OAuth2Endpoints endpoints, string? nonce, CancellationToken cancellationToken)
    {
        Uri jwksUri = endpoints.JwksUri ?? throw new OAuth2Exception(
            OAuth2ErrorReason.InvalidConfiguration,
            "The id token cannot be validated because the server's jwks_uri is unknown; set Issuer for discovery.");
        (_, string jwks) = await GetJsonAsync(jwksUri, "jwks", cancellationToken).ConfigureAwait(false);
        return await IdTokenValidator.ValidateAsync(
            idToken, jwks, endpoints.Issuer, _options.ClientId, nonce, _timeProvider.GetUtcNow(),
            _options.IdTokenClockSkew).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens the URL in the default browser: the shell on Windows, open on macOS, xdg-open elsewhere.
    /// The URL goes as one argument, never through a shell command line.
    /// </summary>
    private void OpenSystemBrowser(Uri uri)
    {
        ProcessStartInfo start;
        if (OperatingSystem.IsWindows())
        {
            start = new ProcessStartInfo(uri.AbsoluteUri) { UseShellExecute = true };
        }
        else
        {
            start = new ProcessStartInfo(OperatingSystem.IsMacOS() ? "open" : "xdg-open") { UseShellExecute = false };
            start.ArgumentList.Add(uri.AbsoluteUri);
        }

        try
        {
            using Process? process = Process.Start(start);
        }
        catch (Win32Exception exception)
        {
            // The caller's AuthorizationUrlCallback, if any, still shows the URL; otherwise the timeout ends the wait.
            OAuth2Log.BrowserLaunchFailed(_logger, start.FileName, exception);
        }
    }
}
