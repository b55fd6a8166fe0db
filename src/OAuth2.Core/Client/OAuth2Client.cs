using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RawMail.OAuth2;

/// <summary>
/// An OAuth 2.0 client that keeps one token current: it returns the stored token while it is
/// valid, refreshes it shortly before it expires, and otherwise runs the grant the options select.
/// </summary>
/// <remarks>Calls are serialized, so concurrent callers share one refresh or sign-in.</remarks>
public sealed partial class OAuth2Client : IDisposable
{
    private readonly OAuth2ProviderOptions _options;
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private OAuth2Endpoints? _endpoints;
    private OAuth2Token? _token;
    private bool _tokenLoaded;

    public OAuth2Client(OAuth2ProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        _options = options;
        _ownsHttpClient = options.HttpClient is null;
        _httpClient = options.HttpClient ?? new HttpClient();
        _logger = options.Logger ?? NullLogger.Instance;
        _timeProvider = options.TimeProvider;
        _token = options.Token;
        _tokenLoaded = options.Token is not null;
    }

    /// <summary>The current token, or null before the first one was obtained or loaded.</summary>
    public OAuth2Token? Token => _token;

    /// <summary>
    /// Returns a token whose access token is valid for at least the refresh skew, refreshing it
    /// or running the configured grant when needed.
    /// </summary>
    /// <exception cref="OAuth2InteractionRequiredException">
    /// A user has to sign in, but <see cref="OAuth2ProviderOptions.AllowInteractive"/> is false.
    /// </exception>
    /// <exception cref="OAuth2Exception">The server rejected a request or sent an invalid response.</exception>
    public async Task<OAuth2Token> GetTokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            OAuth2Token? current = await LoadTokenAsync(cancellationToken).ConfigureAwait(false);
            if (current is not null && !current.ExpiresWithin(_timeProvider.GetUtcNow(), _options.RefreshSkew))
            {
                return current;
            }

            OAuth2Token? refreshed = current?.RefreshToken is not null
                ? await TryRefreshAsync(current, cancellationToken).ConfigureAwait(false)
                : null;
            OAuth2Token token = refreshed ?? await AcquireAsync(cancellationToken).ConfigureAwait(false);
            await StoreTokenAsync(token, cancellationToken).ConfigureAwait(false);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Marks the access token as unusable, for example after a mail server rejected it, so the
    /// next <see cref="GetTokenAsync"/> refreshes it even when its expiry has not passed.
    /// </summary>
    public void InvalidateAccessToken()
    {
        if (_token is { } token)
        {
            _token = new OAuth2Token
            {
                AccessToken = token.AccessToken,
                TokenType = token.TokenType,
                RefreshToken = token.RefreshToken,
                ExpiresAt = DateTimeOffset.MinValue,
                Scopes = token.Scopes,
                IdToken = token.IdToken,
                ExtraFields = token.ExtraFields,
            };
        }
    }

    /// <summary>Returns the endpoints from the preset, the options or OpenID Connect discovery.</summary>
    public async Task<OAuth2Endpoints> GetEndpointsAsync(CancellationToken cancellationToken)
    {
        if (_endpoints is not null)
        {
            return _endpoints;
        }

        OAuth2Endpoints? preset = OAuth2Endpoints.ForPreset(_options.Provider, _options.Tenant);
        OAuth2Endpoints? discovered = null;
        bool needsDiscovery = _options.Issuer is not null
            && (_options.TokenEndpoint is null || _options.Provider == OAuth2Provider.Custom);
        if (needsDiscovery)
        {
            discovered = await DiscoverAsync(_options.Issuer!, cancellationToken).ConfigureAwait(false);
        }

        OAuth2Endpoints? baseline = discovered ?? preset;
        Uri tokenEndpoint = _options.TokenEndpoint ?? baseline?.TokenEndpoint ?? throw new OAuth2Exception(
            OAuth2ErrorReason.InvalidConfiguration,
            "A custom provider needs TokenEndpoint or an Issuer for OpenID Connect discovery.");
        var endpoints = new OAuth2Endpoints
        {
            AuthorizationEndpoint = _options.AuthorizationEndpoint ?? baseline?.AuthorizationEndpoint,
            TokenEndpoint = tokenEndpoint,
            DeviceAuthorizationEndpoint = _options.DeviceAuthorizationEndpoint ?? baseline?.DeviceAuthorizationEndpoint,
            Issuer = baseline?.Issuer ?? _options.Issuer?.OriginalString,
            JwksUri = baseline?.JwksUri,
            AuthorizationResponseIssParameterSupported = baseline?.AuthorizationResponseIssParameterSupported ?? false,
        };
        OAuth2Endpoints.RequireSecure(endpoints.AuthorizationEndpoint, "authorization endpoint");
        OAuth2Endpoints.RequireSecure(endpoints.TokenEndpoint, "token endpoint");
        OAuth2Endpoints.RequireSecure(endpoints.DeviceAuthorizationEndpoint, "device authorization endpoint");
        _endpoints = endpoints;
        return endpoints;
    }

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }

        _gate.Dispose();
    }

    private async Task<OAuth2Token> AcquireAsync(CancellationToken cancellationToken)
    {
        OAuth2Endpoints endpoints = await GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Permission == OAuth2PermissionMode.Service)
        {
            return await AcquireForServiceAsync(endpoints, cancellationToken).ConfigureAwait(false);
        }

        if (!_options.AllowInteractive)
        {
            throw new OAuth2InteractionRequiredException(
                "No valid token or refresh token is available, and interactive sign-in is not allowed.");
        }

        return _options.InteractiveFlow == OAuth2InteractiveFlow.DeviceCode
            ? await AcquireWithDeviceCodeAsync(endpoints, cancellationToken).ConfigureAwait(false)
            : await AcquireWithBrowserAsync(endpoints, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Refreshes the token (RFC 6749 6). Returns null when the refresh token was rejected and an
    /// interactive sign-in may follow; throws when it may not.
    /// </summary>
    private async Task<OAuth2Token?> TryRefreshAsync(OAuth2Token current, CancellationToken cancellationToken)
    {
        OAuth2Endpoints endpoints = await GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
        TokenRequest request = TokenRequests.Refresh(
            _options, endpoints.TokenEndpoint, current.RefreshToken!, _timeProvider.GetUtcNow());
        try
        {
            OAuth2Token token = await SendTokenRequestAsync(request, current.Scopes, cancellationToken)
                .ConfigureAwait(false);
            await ValidateRefreshedIdTokenAsync(token, current, endpoints, cancellationToken).ConfigureAwait(false);
            OAuth2Log.TokenRefreshed(_logger);
            // RFC 6749 6: the server may keep the refresh token unchanged and then omit it.
            return token.WithRefreshTokenFallback(current.RefreshToken);
        }
        catch (OAuth2Exception exception) when (exception.Reason is OAuth2ErrorReason.InvalidGrant
            or OAuth2ErrorReason.InteractionRequired)
        {
            // invalid_grant on refresh means revoked, expired or consent withdrawn, so retrying
            // cannot help; only a new grant can.
            OAuth2Log.RefreshTokenRejected(_logger, exception.Reason);
            _token = current.WithoutRefreshToken();
            if (_options.Permission == OAuth2PermissionMode.SignedIn && !_options.AllowInteractive)
            {
                await StoreTokenAsync(_token, cancellationToken).ConfigureAwait(false);
                // The server's error code stays visible to callers that branch on Error.
                throw new OAuth2InteractionRequiredException(
                    "The refresh token was rejected, and interactive sign-in is not allowed.", exception)
                {
                    Error = exception.Error,
                    ErrorDescription = exception.ErrorDescription,
                    StatusCode = exception.StatusCode,
                };
            }

            return null;
        }
    }

    private async Task<OAuth2Token> AcquireForServiceAsync(
        OAuth2Endpoints endpoints, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _timeProvider.GetUtcNow();
        bool serviceAccount = _options.ServiceAccountEmail is not null;
        TokenRequest request = serviceAccount
            ? TokenRequests.JwtBearer(_options, endpoints.TokenEndpoint, now)
            : TokenRequests.ClientCredentials(_options, endpoints.TokenEndpoint, now);
        return await SendTokenRequestAsync(request, [.. _options.Scopes], cancellationToken).ConfigureAwait(false);
    }

    private async Task<OAuth2Token?> LoadTokenAsync(CancellationToken cancellationToken)
    {
        if (!_tokenLoaded && _options.TokenStore is not null)
        {
            _token = await _options.TokenStore.LoadAsync(cancellationToken).ConfigureAwait(false);
        }

        _tokenLoaded = true;
        return _token;
    }

    private async Task StoreTokenAsync(OAuth2Token token, CancellationToken cancellationToken)
    {
        _token = token;
        if (_options.TokenStore is not null)
        {
            await _options.TokenStore.SaveAsync(token, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void Validate(OAuth2ProviderOptions options)
    {
        if (string.IsNullOrEmpty(options.ClientId) && options.ServiceAccountEmail is null)
        {
            throw new OAuth2Exception(OAuth2ErrorReason.InvalidConfiguration, "ClientId is not set.");
        }

        if (options.Provider == OAuth2Provider.Custom && options.TokenEndpoint is null && options.Issuer is null)
        {
            throw new OAuth2Exception(
                OAuth2ErrorReason.InvalidConfiguration,
                "A custom provider needs TokenEndpoint or an Issuer for OpenID Connect discovery.");
        }

        OAuth2Endpoints.RequireSecure(options.Issuer, "issuer");
        OAuth2Endpoints.RequireSecure(options.TokenEndpoint, "token endpoint");
        OAuth2Endpoints.RequireSecure(options.AuthorizationEndpoint, "authorization endpoint");
        OAuth2Endpoints.RequireSecure(options.DeviceAuthorizationEndpoint, "device authorization endpoint");
        if (options.Provider == OAuth2Provider.Microsoft)
        {
            MicrosoftScopes.RequireSingleResource(options.Scopes);
        }

        if (options.RefreshSkew < TimeSpan.Zero)
        {
            throw new OAuth2Exception(OAuth2ErrorReason.InvalidConfiguration, "RefreshSkew must not be negative.");
        }
    }
}
