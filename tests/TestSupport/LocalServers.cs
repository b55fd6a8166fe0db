using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace RawMail.TestSupport;

/// <summary>
/// The local Dovecot, Postfix and authorization servers that scripts/servers started, described by
/// DIR/servers.json. DIR comes from the RAWMAIL_STATE environment variable, else /tmp/rawmail-servers.
/// </summary>
/// <remarks>
/// When servers.json is missing, <see cref="Available"/> is false and every other member throws
/// <see cref="InvalidOperationException"/> with <see cref="UnavailableReason"/>.
/// </remarks>
public sealed partial class LocalServers : IDisposable
{
    public const string StateVariable = "RAWMAIL_STATE";

    public const string DefaultStateDirectory = "/tmp/rawmail-servers";

    private static readonly JsonSerializerOptions s_jsonOptions = new(JsonSerializerDefaults.Web);

    private readonly ServersFile? _file;
    private readonly X509Certificate2? _caCertificate;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private LocalServers(string stateDirectory, ServersFile? file, X509Certificate2? caCertificate, string? reason)
    {
        StateDirectory = stateDirectory;
        _file = file;
        _caCertificate = caCertificate;
        UnavailableReason = reason;
    }

    public string StateDirectory { get; }

    public bool Available => _file is not null;

    /// <summary>Why the servers are unavailable, or null when they are available.</summary>
    public string? UnavailableReason { get; }

    public string Host => File.Host;

    /// <summary>The only mail domain the servers accept: rawmail.test.</summary>
    public string Domain => File.Domain;

    public ServerPorts Ports => File.Ports;

    public AuthorizationSettings Authorization => File.Authorization;

    public IReadOnlyList<TestUser> Users => File.Users;

    /// <summary>The registered clients by key: native, basic, post, jwt, short, robot, dovecot.</summary>
    public IReadOnlyDictionary<string, TestClient> Clients => File.Clients;

    /// <summary>The test CA that issued the servers' certificate (SANs localhost, 127.0.0.1, ::1).</summary>
    public X509Certificate2 CaCertificate => _caCertificate ?? throw Unavailable();

    public string CaCertificatePath => File.CaCertificate;

    private ServersFile File => _file ?? throw Unavailable();

    /// <summary>Returns the state directory named by RAWMAIL_STATE, else the default.</summary>
    public static string StateDirectoryFromEnvironment()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(StateVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? DefaultStateDirectory : fromEnvironment;
    }

    public static string SettingsPath(string stateDirectory) => Path.Combine(stateDirectory, "servers.json");

    /// <summary>
    /// Loads DIR/servers.json. A missing file gives an unavailable instance. A file that cannot be
    /// read or parsed throws, because then the servers were started but something is wrong.
    /// </summary>
    public static LocalServers Load(string? stateDirectory = null)
    {
        string directory = stateDirectory ?? StateDirectoryFromEnvironment();
        string path = SettingsPath(directory);
        if (!System.IO.File.Exists(path))
        {
            return new LocalServers(directory, null, null,
                $"{path} not found; start the local servers with `scripts/servers start {directory}`");
        }

        ServersFile file = JsonSerializer.Deserialize<ServersFile>(System.IO.File.ReadAllText(path), s_jsonOptions)
            ?? throw new InvalidDataException($"{path} contains null instead of the server settings");
        X509Certificate2 ca = X509Certificate2.CreateFromPem(System.IO.File.ReadAllText(file.CaCertificate));
        return new LocalServers(directory, file, ca, null);
    }

    /// <summary>Returns the user with the given short name (alice, bob or robot).</summary>
    public TestUser User(string name)
    {
        foreach (TestUser user in Users)
        {
            if (user.Name == name)
            {
                return user;
            }
        }

        throw new ArgumentException($"no user named '{name}' in {SettingsPath(StateDirectory)}", nameof(name));
    }

    /// <summary>Returns the client registered under the given key in servers.json.</summary>
    public TestClient Client(string key)
    {
        return Clients.TryGetValue(key, out TestClient? client)
            ? client
            : throw new ArgumentException($"no client '{key}' in {SettingsPath(StateDirectory)}", nameof(key));
    }

    /// <summary>
    /// Creates TLS client options that trust only the test CA and check the server name, for an
    /// <see cref="SslStream"/> to any of the servers.
    /// </summary>
    public SslClientAuthenticationOptions CreateTlsOptions(string targetHost = "localhost")
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(CaCertificate);
        return new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateChainPolicy = policy,
        };
    }

    public void Dispose()
    {
        _http.Dispose();
        _caCertificate?.Dispose();
    }

    private InvalidOperationException Unavailable() => new(UnavailableReason);
}
