using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using RawMail.OAuth2;
using RawMail.Sasl;
using RawMail.Transport.Diagnostics;

namespace RawMail.Cli.Demo;

/// <summary>
/// rawmail demo: signs in to the local authorization server without a person, sends a message
/// through Postfix and reads it back over IMAP and POP3, all with XOAUTH2, timing each step.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var user = new Option<string>("--user")
        {
            Description = "Local test user to sign in as (alice, bob or robot)",
            DefaultValueFactory = _ => "alice",
        };
        var log = new Option<FileInfo?>("--log")
        {
            Description = "Write the protocol log of every connection to this file; secrets in it are masked",
        };
        var command = new Command(
            "demo",
            "Run the end-to-end demo against the local servers (servers.json in $RAWMAIL_STATE or /tmp/rawmail-servers).");
        command.Options.Add(user);
        command.Options.Add(log);
        command.SetAction(CommandRunner.Wrap(async (result, cancellationToken) =>
        {
            ServersState servers = ServersState.Load(result.GetRequiredValue(user));
            StreamWriter? logWriter = result.GetValue(log) is { } file
                ? new StreamWriter(file.FullName, append: false) { AutoFlush = true }
                : null;
            await using (logWriter)
            {
                ProtocolLog? protocolLog = logWriter is null ? null : new ProtocolLog(logWriter) { IncludeTimestamps = true };
                await RunAsync(servers, protocolLog, cancellationToken).ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task RunAsync(ServersState servers, ProtocolLog? log, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        Console.Out.WriteLine($"RawMail demo against the local servers ({servers.Path})");

        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPemFile(servers.CaCertificate);
        using OAuth2Client oauth = CreateOAuthClient(servers);
        OAuth2Token token = await StepAsync(
            $"sign in as {servers.UserEmail} (authorization code + PKCE, loopback redirect)",
            () => oauth.GetTokenAsync(cancellationToken),
            t => $"token type {t.TokenType}, scopes {string.Join(' ', t.Scopes)}, expires " +
                (t.ExpiresAt?.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture) ?? "not reported"))
            .ConfigureAwait(false);
        _ = token;

        var context = new DemoMail(servers, trusted, log,
            SaslCredentials.FromTokenProvider(servers.UserEmail, new OAuth2AccessTokenProvider(oauth)));
        string subject = "RawMail demo " + Guid.NewGuid().ToString("N");
        await StepAsync(
            $"send a message to {servers.UserEmail} through SMTP {servers.Host}:{servers.SubmissionPort} (STARTTLS, XOAUTH2)",
            () => context.SendAsync(subject, cancellationToken),
            detail => detail).ConfigureAwait(false);
        await StepAsync(
            $"read it over IMAP {servers.Host}:{servers.ImapsPort} (TLS, XOAUTH2)",
            () => context.ReadWithImapAsync(subject, cancellationToken),
            detail => detail).ConfigureAwait(false);
        await StepAsync(
            $"read it over POP3 {servers.Host}:{servers.Pop3sPort} (TLS, XOAUTH2)",
            () => context.ReadWithPop3Async(subject, cancellationToken),
            detail => detail).ConfigureAwait(false);

        Console.Out.WriteLine(
            $"Demo succeeded: signed in, sent, and read the message back over IMAP and POP3 in " +
            $"{total.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms.");
    }

    private static OAuth2Client CreateOAuthClient(ServersState servers)
    {
        var options = new OAuth2ProviderOptions
        {
            Provider = OAuth2Provider.Custom,
            Issuer = servers.Issuer,
            ClientId = servers.NativeClientId,
            Permission = OAuth2PermissionMode.SignedIn,
            InteractiveFlow = OAuth2InteractiveFlow.AuthorizationCode,
            OpenBrowser = false,
            LoginHint = servers.UserEmail,
            InteractiveTimeout = TimeSpan.FromSeconds(60),
            AuthorizationUrlCallback = (uri, ct) =>
                HeadlessSignIn.CompleteAsync(uri, servers.UserEmail, servers.UserPassword, ct),
        };
        options.Scopes.Add("openid");
        options.Scopes.Add(servers.Scope);
        return new OAuth2Client(options);
    }

    private static async Task<T> StepAsync<T>(string title, Func<Task<T>> step, Func<T, string> describe)
    {
        Console.Out.WriteLine("- " + title);
        var watch = Stopwatch.StartNew();
        T value = await step().ConfigureAwait(false);
        Console.Out.WriteLine(
            $"  ok in {watch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms: {describe(value)}");
        return value;
    }
}
