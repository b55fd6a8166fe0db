using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace RawMail.OAuth2;

/// <summary>Everything an <see cref="OAuth2Client"/> needs to obtain tokens from one authorization server.</summary>
public sealed class OAuth2ProviderOptions
{
    public OAuth2Provider Provider { get; set; } = OAuth2Provider.Custom;

    public OAuth2PermissionMode Permission { get; set; } = OAuth2PermissionMode.SignedIn;

    public OAuth2InteractiveFlow InteractiveFlow { get; set; } = OAuth2InteractiveFlow.AuthorizationCode;

    public string ClientId { get; set; } = "";

    public string? ClientSecret { get; set; }

    /// <summary>Certificate with a private RSA key, for private_key_jwt client assertions.</summary>
    public X509Certificate2? ClientCertificate { get; set; }

    public ClientAuthenticationMethod ClientAuthentication { get; set; } = ClientAuthenticationMethod.Automatic;

    public ClientAssertionAlgorithm ClientAssertionAlgorithm { get; set; } = ClientAssertionAlgorithm.PS256;

    /// <summary>Google service account <c>client_email</c>, the JWT bearer assertion's issuer.</summary>
    public string? ServiceAccountEmail { get; set; }

    /// <summary>Google service account <c>private_key</c> (PKCS#8 PEM).</summary>
    public string? ServiceAccountPrivateKeyPem { get; set; }

    /// <summary>Google service account <c>private_key_id</c>, sent as the JWT <c>kid</c> header.</summary>
    public string? ServiceAccountKeyId { get; set; }

    /// <summary>User to impersonate through domain-wide delegation (JWT <c>sub</c>).</summary>
    public string? ServiceAccountSubject { get; set; }

    /// <summary>
    /// Loopback redirect URI (RFC 8252 7.3), http with 127.0.0.1, [::1] or localhost. Port 0 picks a
    /// free port, and the URI sent to the server then carries that port.
    /// </summary>
    public Uri RedirectUri { get; set; } = new("http://127.0.0.1:0/");

    public IList<string> Scopes { get; } = new List<string>();

    /// <summary>Microsoft tenant: common, organizations, consumers, a tenant id or a domain.</summary>
    public string Tenant { get; set; } = "common";

    public Uri? AuthorizationEndpoint { get; set; }

    public Uri? TokenEndpoint { get; set; }

    public Uri? DeviceAuthorizationEndpoint { get; set; }

    /// <summary>
    /// OpenID Connect issuer. When set and an endpoint is missing, the endpoints come from
    /// {issuer}/.well-known/openid-configuration, whose <c>issuer</c> must equal this value.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary><c>prompt</c> parameter: none, login, consent or select_account.</summary>
    public string? Prompt { get; set; }

    public string? LoginHint { get; set; }

    /// <summary>
    /// Requests a refresh token: <c>access_type=offline</c> for Google, the <c>offline_access</c>
    /// scope for Microsoft. Google sends a refresh token only when the consent screen was shown, so
    /// a Google sign-in without a stored refresh token sends prompt=consent unless
    /// <see cref="Prompt"/> is set.
    /// </summary>
    public bool OfflineAccess { get; set; } = true;

    public PkceMethod Pkce { get; set; } = PkceMethod.S256;

    /// <summary>Opens the system browser at the authorization URL (xdg-open, open or the shell).</summary>
    public bool OpenBrowser { get; set; } = true;

    /// <summary>Receives the authorization URL, when the caller shows it instead of (or besides) the browser.</summary>
    public Func<Uri, CancellationToken, Task>? AuthorizationUrlCallback { get; set; }

    /// <summary>Shows the device flow's user code and verification URI to the user (RFC 8628 3.3).</summary>
    public Func<DeviceAuthorization, CancellationToken, Task>? DeviceCodeCallback { get; set; }

    /// <summary>HTML sent to the browser after a successful redirect.</summary>
    public string? SuccessPageHtml { get; set; }

    /// <summary>HTML sent to the browser after an error redirect; it is sent unchanged.</summary>
    public string? ErrorPageHtml { get; set; }

    /// <summary>Maximum wait for the browser redirect.</summary>
    public TimeSpan InteractiveTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Maximum time of one HTTP request to the authorization server.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Token to start from, for example one loaded by the caller.</summary>
    public OAuth2Token? Token { get; set; }

    public IOAuth2TokenStore? TokenStore { get; set; }

    /// <summary>A token is refreshed this long before it expires.</summary>
    public TimeSpan RefreshSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Whether a failed or impossible refresh may start an interactive sign-in.</summary>
    public bool AllowInteractive { get; set; } = true;

    /// <summary>Clock skew allowed when checking an id token's exp and nbf.</summary>
    public TimeSpan IdTokenClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    public HttpClient? HttpClient { get; set; }

    public ILogger? Logger { get; set; }

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
