using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using RawMail.OAuth2;

namespace RawMail.Cli;

/// <summary>
/// The options that describe an OAuth 2.0 client: provider preset, endpoints, client id and its
/// credential. The token command and every mail command share them.
/// </summary>
internal sealed class OAuthOptions
{
    public Option<string?> Provider { get; } = new("--provider")
    {
        Description = "Authorization server preset: microsoft, google or custom (endpoints from --issuer or the endpoint options)",
    };

    public Option<string?> Tenant { get; } = new("--tenant")
    {
        Description = "Microsoft tenant id or domain (default: common)",
    };

    public Option<string[]> Scope { get; } = new("--scope")
    {
        Description = "A scope to request; repeat for each scope",
    };

    public Option<string?> ClientId { get; } = new("--client-id")
    {
        Description = "OAuth 2.0 client (application) id",
    };

    public Option<string?> ClientSecretEnv { get; } = new("--client-secret-env")
    {
        Description = "Name of the environment variable that contains the client secret",
    };

    public Option<FileInfo?> Certificate { get; } = new("--certificate")
    {
        Description = "PEM file with the client certificate and its private key, for private_key_jwt",
    };

    public Option<FileInfo?> CertificateKey { get; } = new("--certificate-key")
    {
        Description = "PEM file with the certificate's private key, when --certificate does not contain it",
    };

    public Option<string?> Issuer { get; } = new("--issuer")
    {
        Description = "Issuer URL; endpoints are read from its /.well-known/openid-configuration",
    };

    public Option<string?> AuthorizationEndpoint { get; } = new("--authorization-endpoint")
    {
        Description = "Authorization endpoint URL of a custom provider",
    };

    public Option<string?> TokenEndpoint { get; } = new("--token-endpoint")
    {
        Description = "Token endpoint URL of a custom provider",
    };

    public Option<string?> DeviceEndpoint { get; } = new("--device-endpoint")
    {
        Description = "Device authorization endpoint URL of a custom provider",
    };

    public Option<string?> Flow { get; } = new("--flow")
    {
        Description = "browser: sign in through the browser (authorization code with PKCE); device: device code; " +
            "service: client credentials (default: service with a client secret or certificate, else browser)",
    };

    public Option<string?> ClientAuth { get; } = new("--client-auth")
    {
        Description = "Token endpoint authentication: automatic, client_secret_post, client_secret_basic, private_key_jwt or none",
    };

    public IEnumerable<Option> All =>
    [
        Provider, Tenant, Scope, ClientId, ClientSecretEnv, Certificate, CertificateKey, Issuer,
        AuthorizationEndpoint, TokenEndpoint, DeviceEndpoint, ClientAuth, Flow,
    ];

    public void AddTo(Command command)
    {
        Provider.AcceptOnlyFromAmong("microsoft", "google", "custom");
        Flow.AcceptOnlyFromAmong("browser", "device", "service");
        ClientAuth.AcceptOnlyFromAmong(
            "automatic", "client_secret_post", "client_secret_basic", "private_key_jwt", "none");
        foreach (Option option in All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>True when the command line names a client, so a token can be requested or refreshed.</summary>
    public bool IsGiven(ParseResult result) => result.GetValue(ClientId) is not null;

    /// <summary>Builds provider options, including the flow, from the command line; the caller sets the token store.</summary>
    public OAuth2ProviderOptions Build(ParseResult result)
    {
        string clientId = result.GetValue(ClientId)
            ?? throw CliException.Usage("--client-id is required for an OAuth 2.0 request.");
        var options = new OAuth2ProviderOptions
        {
            Provider = ParseProvider(result.GetValue(Provider)),
            ClientId = clientId,
            Issuer = GetUri(result, Issuer),
            AuthorizationEndpoint = GetUri(result, AuthorizationEndpoint),
            TokenEndpoint = GetUri(result, TokenEndpoint),
            DeviceAuthorizationEndpoint = GetUri(result, DeviceEndpoint),
            ClientAuthentication = ParseClientAuthentication(result.GetValue(ClientAuth)),
        };
        if (result.GetValue(Tenant) is { } tenant)
        {
            options.Tenant = tenant;
        }

        foreach (string scope in result.GetValue(Scope) ?? [])
        {
            options.Scopes.Add(scope);
        }

        if (result.GetValue(ClientSecretEnv) is { } variable)
        {
            options.ClientSecret = Secrets.FromEnvironment(variable, "client secret");
        }

        if (result.GetValue(Certificate) is { } certificate)
        {
            options.ClientCertificate = LoadCertificate(certificate, result.GetValue(CertificateKey));
        }

        ApplyFlow(options, result.GetValue(Flow));
        options.AuthorizationUrlCallback = ShowAuthorizationUrlAsync;
        options.DeviceCodeCallback = ShowDeviceCodeAsync;
        return options;
    }

    private static Task ShowAuthorizationUrlAsync(Uri authorizationUri, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine("Sign in at this URL (waiting for the redirect to this machine):");
        Console.Error.WriteLine(authorizationUri.AbsoluteUri);
        return Task.CompletedTask;
    }

    private static Task ShowDeviceCodeAsync(DeviceAuthorization device, CancellationToken cancellationToken)
    {
        Output.Status(device.Message
            ?? $"To sign in, open {device.VerificationUri.AbsoluteUri} and enter the code {device.UserCode}.");
        if (device.VerificationUriComplete is { } complete)
        {
            Console.Error.WriteLine("Or open: " + complete.AbsoluteUri);
        }

        return Task.CompletedTask;
    }

    private static void ApplyFlow(OAuth2ProviderOptions options, string? flow)
    {
        flow ??= options.ClientSecret is not null || options.ClientCertificate is not null ? "service" : "browser";
        switch (flow)
        {
            case "service":
                options.Permission = OAuth2PermissionMode.Service;
                break;
            case "device":
                options.Permission = OAuth2PermissionMode.SignedIn;
                options.InteractiveFlow = OAuth2InteractiveFlow.DeviceCode;
                break;
            default:
                options.Permission = OAuth2PermissionMode.SignedIn;
                options.InteractiveFlow = OAuth2InteractiveFlow.AuthorizationCode;
                break;
        }
    }

    private static Uri? GetUri(ParseResult result, Option<string?> option)
    {
        string? value = result.GetValue(option);
        if (value is null)
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
        {
            throw CliException.Usage($"{option.Name} '{value}' is not an absolute http or https URL.");
        }

        return uri;
    }

    private static OAuth2Provider ParseProvider(string? value) => value switch
    {
        "microsoft" => OAuth2Provider.Microsoft,
        "google" => OAuth2Provider.Google,
        _ => OAuth2Provider.Custom,
    };

    private static ClientAuthenticationMethod ParseClientAuthentication(string? value) => value switch
    {
        "client_secret_post" => ClientAuthenticationMethod.ClientSecretPost,
        "client_secret_basic" => ClientAuthenticationMethod.ClientSecretBasic,
        "private_key_jwt" => ClientAuthenticationMethod.PrivateKeyJwt,
        "none" => ClientAuthenticationMethod.None,
        _ => ClientAuthenticationMethod.Automatic,
    };

    private static X509Certificate2 LoadCertificate(FileInfo certificate, FileInfo? key)
    {
        if (!certificate.Exists)
        {
            throw CliException.Usage($"The certificate file {certificate.FullName} does not exist.");
        }

        try
        {
            return X509Certificate2.CreateFromPemFile(certificate.FullName, key?.FullName);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw CliException.Usage(
                $"The certificate file {certificate.FullName} could not be read as PEM with a private key " +
                $"({ex.Message}); give the key with --certificate-key when it is in a separate file.");
        }
    }
}
