using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RawMail.OAuth2;
using RawMail.Sasl;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Cli;

/// <summary>
/// Everything one mail command needs from the shared options: connection settings, credentials,
/// the protocol log and the output. Disposing it closes the log and the OAuth 2.0 client.
/// </summary>
internal sealed class MailSession : IAsyncDisposable
{
    private readonly StreamWriter? _logWriter;
    private readonly OAuth2Client? _oauthClient;

    private MailSession(
        MailConnectionOptions connection, SaslCredentials credentials, Output output,
        StreamWriter? logWriter, OAuth2Client? oauthClient)
    {
        Connection = connection;
        Credentials = credentials;
        Output = output;
        _logWriter = logWriter;
        _oauthClient = oauthClient;
    }

    public MailConnectionOptions Connection { get; }

    public SaslCredentials Credentials { get; }

    public Output Output { get; }

    public static MailSession Create(MailOptions options, ParseResult result)
    {
        var output = new Output(result.GetValue(options.Json));
        TimeSpan timeout = options.GetTimeout(result);
        StreamWriter? logWriter = null;
        OAuth2Client? oauthClient = null;
        try
        {
            ProtocolLog? log = null;
            if (result.GetValue(options.Log) is { } logFile)
            {
                logWriter = new StreamWriter(logFile.FullName, append: false) { AutoFlush = true };
                log = new ProtocolLog(logWriter) { IncludeTimestamps = true };
            }

            var connection = new MailConnectionOptions
            {
                Host = result.GetRequiredValue(options.Host),
                Port = options.GetPort(result),
                TlsMode = options.GetTlsMode(result),
                ConnectTimeout = timeout,
                CommandTimeout = timeout,
                TrustedCertificateAuthorities = options.LoadTrustedAuthorities(result),
                ProtocolLog = log,
            };
            string user = result.GetRequiredValue(options.User);
            SaslCredentials credentials = CreateCredentials(options, result, user, out oauthClient);
            return new MailSession(connection, credentials, output, logWriter, oauthClient);
        }
        catch
        {
            logWriter?.Dispose();
            oauthClient?.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _oauthClient?.Dispose();
        if (_logWriter is not null)
        {
            await _logWriter.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static SaslCredentials CreateCredentials(
        MailOptions options, ParseResult result, string user, out OAuth2Client? oauthClient)
    {
        oauthClient = null;
        FileInfo? tokenFile = result.GetValue(options.TokenFile);
        if (tokenFile is not null)
        {
            CheckTokenFile(tokenFile);
        }

        if (options.OAuth.IsGiven(result))
        {
            // With client options the client keeps the token current: it loads the file, refreshes an expired
            // token and writes the new one back.
            OAuth2ProviderOptions providerOptions = options.OAuth.Build(result);
            if (tokenFile is not null)
            {
                providerOptions.TokenStore = new FileTokenStore(tokenFile.FullName);
                providerOptions.AllowInteractive = false;
            }

            oauthClient = new OAuth2Client(providerOptions);
            return SaslCredentials.FromTokenProvider(user, new OAuth2AccessTokenProvider(oauthClient));
        }

        if (tokenFile is not null)
        {
            return SaslCredentials.FromTokenProvider(user, new TokenFileProvider(tokenFile));
        }

        string password = result.GetValue(options.PasswordEnv) is { } variable
            ? Secrets.FromEnvironment(variable, "password")
            : Secrets.Prompt($"Password for {user}: ");
        return SaslCredentials.FromPassword(user, password);
    }

    /// <summary>
    /// Reads the token file once before connecting, so a damaged or unreadable file is a usage error that names the
    /// file. A missing file is left to the caller, because the message depends on the sign-in options.
    /// </summary>
    private static void CheckTokenFile(FileInfo file)
    {
        if (!File.Exists(file.FullName) && !Directory.Exists(file.FullName))
        {
            return;
        }

        try
        {
            OAuth2Token.FromJson(File.ReadAllText(file.FullName));
        }
        catch (JsonException ex)
        {
            throw CliException.Usage(
                $"The token file {file.FullName} does not contain a token written by 'rawmail token': {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"The token file {file.FullName} cannot be read: {ex.Message}");
        }
    }

    /// <summary>Reads the access token from a token file, once per authentication, without refreshing it.</summary>
    private sealed class TokenFileProvider(FileInfo file) : IAccessTokenProvider
    {
        public async ValueTask<string> GetAccessTokenAsync(CancellationToken cancellationToken)
        {
            var store = new FileTokenStore(file.FullName);
            OAuth2Token token = await store.LoadAsync(cancellationToken).ConfigureAwait(false)
                ?? throw CliException.Usage($"The token file {file.FullName} does not exist.");
            if (token.ExpiresAt is { } expiresAt && expiresAt <= DateTimeOffset.UtcNow)
            {
                // An expired token is an authentication failure, the same exit code as a token the server rejects.
                throw new CliException(
                    ExitCodes.Authentication,
                    $"The access token in {file.FullName} expired at " +
                    expiresAt.ToString("u", CultureInfo.InvariantCulture) +
                    "; give --client-id (and its credential) to refresh it, or run 'rawmail token' again.");
            }

            return token.AccessToken;
        }
    }
}
