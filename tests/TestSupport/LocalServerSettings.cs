namespace RawMail.TestSupport;

/// <summary>TCP ports of the local servers, as scripts/servers writes them to servers.json.</summary>
public sealed record ServerPorts
{
    /// <summary>IMAP with STARTTLS.</summary>
    public int Imap { get; init; }

    /// <summary>IMAP over implicit TLS.</summary>
    public int Imaps { get; init; }

    /// <summary>POP3 with STLS.</summary>
    public int Pop3 { get; init; }

    /// <summary>POP3 over implicit TLS.</summary>
    public int Pop3s { get; init; }

    /// <summary>SMTP submission with STARTTLS required.</summary>
    public int Submission { get; init; }

    /// <summary>SMTP submission over implicit TLS.</summary>
    public int Submissions { get; init; }

    /// <summary>Dovecot LMTP, plain text, for delivering test messages without authentication.</summary>
    public int Lmtp { get; init; }

    /// <summary>The HTTP authorization server.</summary>
    public int Authorization { get; init; }
}

/// <summary>Endpoints and token settings of the local authorization server.</summary>
public sealed record AuthorizationSettings
{
    public required Uri Issuer { get; init; }

    public required Uri Discovery { get; init; }

    public required Uri AuthorizationEndpoint { get; init; }

    public required Uri TokenEndpoint { get; init; }

    public required Uri DeviceAuthorizationEndpoint { get; init; }

    public required Uri IntrospectionEndpoint { get; init; }

    public required Uri RevocationEndpoint { get; init; }

    public required Uri JwksUri { get; init; }

    /// <summary>The one resource indicator (RFC 8707), which requests that name none get.</summary>
    public required string Resource { get; init; }

    /// <summary>The scope the mail servers require in an access token.</summary>
    public required string Scope { get; init; }

    /// <summary>"opaque" or "jwt", fixed for one start of the servers.</summary>
    public required string AccessTokenFormat { get; init; }
}

/// <summary>A test mailbox with a fixed password.</summary>
public sealed record TestUser
{
    public required string Name { get; init; }

    public required string Email { get; init; }

    public required string Password { get; init; }
}

/// <summary>An OAuth 2.0 client registered at the local authorization server.</summary>
public sealed record TestClient
{
    public required string Name { get; init; }

    public required string ClientId { get; init; }

    /// <summary>The secret for client_secret_basic and client_secret_post; null for other methods.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The token endpoint authentication method: none, client_secret_basic,
    /// client_secret_post or private_key_jwt.</summary>
    public required string AuthMethod { get; init; }

    public IReadOnlyList<string> GrantTypes { get; init; } = [];

    /// <summary>The mailbox that client credentials tokens of this client act for.</summary>
    public string? Mailbox { get; init; }

    /// <summary>Path of the PKCS #8 PEM private key that signs client assertions (private_key_jwt).</summary>
    public string? PrivateKey { get; init; }

    /// <summary>Path of the PEM certificate whose public key the server registered (private_key_jwt).</summary>
    public string? Certificate { get; init; }

    /// <summary>The registered key id, equal to <see cref="X5tS256"/>.</summary>
    public string? KeyId { get; init; }

    /// <summary>base64url SHA-256 thumbprint of the certificate (RFC 7517 section 4.9).</summary>
    public string? X5tS256 { get; init; }

    /// <summary>Access token lifetime in seconds when it differs from the default of 3600.</summary>
    public int? AccessTokenLifetime { get; init; }
}

/// <summary>The contents of servers.json.</summary>
internal sealed record ServersFile
{
    public required string Host { get; init; }

    public required string Domain { get; init; }

    public required string StateDirectory { get; init; }

    public required string CaCertificate { get; init; }

    public required ServerPorts Ports { get; init; }

    public required AuthorizationSettings Authorization { get; init; }

    public required IReadOnlyList<TestUser> Users { get; init; }

    public required IReadOnlyDictionary<string, TestClient> Clients { get; init; }
}
