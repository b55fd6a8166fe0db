using System.Buffers.Text;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using RawMail.OAuth2;
using RawMail.TestSupport;
using Xunit.Abstractions;

namespace RawMail.Integration.Tests;

/// <summary>
/// What each OAuth 2.0 integration test needs: options for a registered client, an HttpClient
/// that records the secrets it carries, a logger that captures every entry, and a person who
/// signs in through the HTML pages.
/// </summary>
internal sealed class OAuth2Harness : IDisposable
{
    /// <summary>The scopes of a signed-in mail client: an id token, a refresh token and mail access.</summary>
    public static readonly string[] SignedInScopes = ["openid", "offline_access", "mail"];

    private readonly List<IDisposable> _owned = [];

    public OAuth2Harness(LocalServers servers, ITestOutputHelper output)
    {
        Servers = servers;
        Logger = new CapturingLogger(output);
        Recorder = new SecretRecorder();
        Http = new HttpClient(Recorder);
        Person = new FormUser();
    }

    public LocalServers Servers { get; }

    public CapturingLogger Logger { get; }

    public SecretRecorder Recorder { get; }

    public HttpClient Http { get; }

    public FormUser Person { get; }

    /// <summary>Creates options for the client registered under <paramref name="clientKey"/>, found by discovery.</summary>
    public OAuth2ProviderOptions CreateOptions(string clientKey, IEnumerable<string>? scopes = null)
    {
        TestClient client = Servers.Client(clientKey);
        var options = new OAuth2ProviderOptions
        {
            Issuer = Servers.Authorization.Issuer,
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ClientAuthentication = client.AuthMethod switch
            {
                "client_secret_basic" => ClientAuthenticationMethod.ClientSecretBasic,
                "client_secret_post" => ClientAuthenticationMethod.ClientSecretPost,
                "private_key_jwt" => ClientAuthenticationMethod.PrivateKeyJwt,
                _ => ClientAuthenticationMethod.None,
            },
            OpenBrowser = false,
            HttpClient = Http,
            Logger = Logger,
            InteractiveTimeout = TimeSpan.FromSeconds(30),
            RequestTimeout = TimeSpan.FromSeconds(15),
        };
        if (client.Certificate is not null && client.PrivateKey is not null)
        {
            var certificate = X509Certificate2.CreateFromPemFile(client.Certificate, client.PrivateKey);
            _owned.Add(certificate);
            options.ClientCertificate = certificate;
            // The server registered the key for RS256 only.
            options.ClientAssertionAlgorithm = ClientAssertionAlgorithm.RS256;
        }

        if (client.ClientSecret is not null)
        {
            Recorder.Add(client.ClientSecret);
        }

        foreach (string scope in scopes ?? SignedInScopes)
        {
            options.Scopes.Add(scope);
        }

        return options;
    }

    /// <summary>
    /// Makes the options' sign-in go through the login form as <paramref name="user"/>, and counts
    /// the sign-ins in the returned list of landing URIs.
    /// </summary>
    public List<Uri> SignInWithForm(OAuth2ProviderOptions options, TestUser user)
    {
        var landings = new List<Uri>();
        options.AuthorizationUrlCallback = async (authorizationUri, cancellationToken) =>
        {
            RecordAuthorizationRequest(authorizationUri);
            Uri landing = await Person.SignInAsync(authorizationUri, user, cancellationToken);
            RecordCode(landing);
            landings.Add(landing);
        };
        return landings;
    }

    /// <summary>Records the state and nonce of an authorization request, which the log must not carry either.</summary>
    public void RecordAuthorizationRequest(Uri authorizationUri)
    {
        foreach (string name in new[] { "state", "nonce" })
        {
            if (QueryValue(authorizationUri, name) is { } value)
            {
                Recorder.Add(value);
            }
        }
    }

    /// <summary>Records the code that a redirect URI carries, so the log check looks for it too.</summary>
    public void RecordCode(Uri redirect)
    {
        string? code = QueryValue(redirect, "code");
        if (code is not null)
        {
            Recorder.Add(code);
        }
    }

    /// <summary>
    /// Asserts that no secret that passed through the client (tokens, code, verifier, client secret,
    /// assertion, state, nonce) appears in the captured log, which is also the test output.
    /// </summary>
    public void AssertNoSecretLogged()
    {
        string log = Logger.Text;
        IReadOnlyList<string> secrets = Recorder.Secrets;
        Assert.NotEmpty(secrets);
        Assert.NotEqual(string.Empty, log);
        foreach (string secret in secrets)
        {
            // The message gives the length only, so a failure does not print the secret either.
            Assert.False(log.Contains(secret, StringComparison.Ordinal), $"a secret of {secret.Length} characters is in the log");
        }
    }

    /// <summary>Returns the claims of a JWT without checking it.</summary>
    public static JsonElement ReadClaims(string jwt)
    {
        string payload = jwt.Split('.')[1];
        using JsonDocument document = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
        return document.RootElement.Clone();
    }

    public static string? QueryValue(Uri uri, string name)
    {
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            if (Uri.UnescapeDataString(parts[0]) == name)
            {
                return Uri.UnescapeDataString(parts.Length > 1 ? parts[1] : "");
            }
        }

        return null;
    }

    public void Dispose()
    {
        Person.Dispose();
        Http.Dispose();
        foreach (IDisposable owned in _owned)
        {
            owned.Dispose();
        }
    }
}
