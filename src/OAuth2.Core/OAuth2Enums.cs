namespace RawMail.OAuth2;

/// <summary>Endpoint and parameter preset for a known authorization server.</summary>
public enum OAuth2Provider
{
    /// <summary>Endpoints come from the options or from OpenID Connect discovery.</summary>
    Custom,

    /// <summary>Microsoft identity platform v2.0 (login.microsoftonline.com).</summary>
    Microsoft,

    /// <summary>Google (accounts.google.com, oauth2.googleapis.com).</summary>
    Google,
}

/// <summary>Whose authority the token carries.</summary>
public enum OAuth2PermissionMode
{
    /// <summary>A signed-in user: authorization code or device authorization grant.</summary>
    SignedIn,

    /// <summary>The application itself: client credentials or, for Google, the JWT bearer grant.</summary>
    Service,
}

/// <summary>The flow used when a signed-in user has to take part.</summary>
public enum OAuth2InteractiveFlow
{
    /// <summary>Authorization code with PKCE and a loopback redirect (RFC 6749 4.1, RFC 8252).</summary>
    AuthorizationCode,

    /// <summary>Device authorization grant (RFC 8628).</summary>
    DeviceCode,
}

/// <summary>How the client authenticates to the token endpoint.</summary>
public enum ClientAuthenticationMethod
{
    /// <summary>
    /// client_secret_post when a secret is set, private_key_jwt when a certificate is set,
    /// otherwise a public client that sends only client_id.
    /// </summary>
    Automatic,

    /// <summary>client_id and client_secret in the form body (RFC 6749 2.3.1).</summary>
    ClientSecretPost,

    /// <summary>HTTP Basic with the form-urlencoded id and secret (RFC 6749 2.3.1).</summary>
    ClientSecretBasic,

    /// <summary>A JWT client assertion signed with the client certificate (RFC 7523 2.2, OIDC Core 9).</summary>
    PrivateKeyJwt,

    /// <summary>A public client: client_id only.</summary>
    None,
}

/// <summary>PKCE code challenge method (RFC 7636 4.2).</summary>
public enum PkceMethod
{
    /// <summary>BASE64URL(SHA256(verifier)).</summary>
    S256,

    /// <summary>The verifier itself, for servers that cannot do S256.</summary>
    Plain,

    /// <summary>No PKCE parameters are sent.</summary>
    Disabled,
}

/// <summary>Signature algorithm of a client assertion.</summary>
public enum ClientAssertionAlgorithm
{
    /// <summary>RSASSA-PSS with SHA-256 (the Microsoft identity platform's preferred choice).</summary>
    PS256,

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    RS256,
}
