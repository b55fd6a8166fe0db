using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RawMail.OAuth2;

namespace RawMail.Cli.Commands;

/// <summary>
/// rawmail token: obtains or refreshes an OAuth 2.0 token and writes it to a file readable only by
/// its owner. It prints the token's type, expiry and scopes, never the token itself.
/// </summary>
internal static class TokenCommand
{
    public static Command Create()
    {
        var oauth = new OAuthOptions();
        var outFile = new Option<FileInfo>("--out")
        {
            Description = "File to write the token JSON to (created with owner-only permissions)",
            Required = true,
        };
        var printUrl = new Option<bool>("--print-url")
        {
            Description = "Print the sign-in URL instead of opening the browser",
        };
        var refresh = new Option<bool>("--refresh")
        {
            Description = "Refresh the token stored in --out with its refresh token instead of signing in again",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Time limit in seconds for each HTTP request and for the sign-in",
            DefaultValueFactory = _ => 120,
        };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON" };

        var command = new Command(
            "token", "Get or refresh an OAuth 2.0 token: browser sign-in, device code or client credentials.");
        oauth.AddTo(command);
        command.Options.Add(outFile);
        command.Options.Add(printUrl);
        command.Options.Add(refresh);
        command.Options.Add(timeout);
        command.Options.Add(json);
        command.SetAction(CommandRunner.Wrap(async (result, cancellationToken) =>
        {
            OAuth2ProviderOptions options = oauth.Build(result);
            options.OpenBrowser = !result.GetValue(printUrl);
            int seconds = result.GetValue(timeout);
            if (seconds <= 0)
            {
                throw CliException.Usage("--timeout must be a positive number of seconds.");
            }

            options.RequestTimeout = TimeSpan.FromSeconds(seconds);
            options.InteractiveTimeout = TimeSpan.FromSeconds(seconds);
            FileInfo file = result.GetRequiredValue(outFile);
            var store = new FileTokenStore(file.FullName);
            OAuth2Token token = result.GetValue(refresh)
                ? await RefreshAsync(options, store, cancellationToken).ConfigureAwait(false)
                : await AcquireAsync(options, cancellationToken).ConfigureAwait(false);
            await store.SaveAsync(token, cancellationToken).ConfigureAwait(false);
            PrintSummary(token, store.Path, new Output(result.GetValue(json)));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<OAuth2Token> AcquireAsync(OAuth2ProviderOptions options, CancellationToken cancellationToken)
    {
        using var client = new OAuth2Client(options);
        return await client.GetTokenAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<OAuth2Token> RefreshAsync(
        OAuth2ProviderOptions options, FileTokenStore store, CancellationToken cancellationToken)
    {
        OAuth2Token stored = await store.LoadAsync(cancellationToken).ConfigureAwait(false)
            ?? throw CliException.Usage($"--refresh needs a token in {store.Path}, and the file does not exist.");
        if (stored.RefreshToken is null)
        {
            throw new CliException(ExitCodes.OAuth, $"The token in {store.Path} has no refresh token; sign in again.");
        }

        options.Token = stored;
        options.AllowInteractive = false;
        using var client = new OAuth2Client(options);
        client.InvalidateAccessToken();
        return await client.GetTokenAsync(cancellationToken).ConfigureAwait(false);
    }

    public static void PrintSummary(OAuth2Token token, string path, Output output)
    {
        output.Json(new JsonObject
        {
            ["file"] = path,
            ["tokenType"] = token.TokenType,
            ["expiresAt"] = token.ExpiresAt?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["scopes"] = Output.StringArray(token.Scopes),
            ["hasRefreshToken"] = token.RefreshToken is not null,
            ["hasIdToken"] = token.IdToken is not null,
        });
        output.Line("Token written to " + path);
        output.Line("  type:          " + token.TokenType);
        output.Line("  expires:       " + DescribeExpiry(token.ExpiresAt));
        output.Line("  scopes:        " + (token.Scopes.Count == 0 ? "(not reported)" : string.Join(' ', token.Scopes)));
        output.Line("  refresh token: " + (token.RefreshToken is null ? "no" : "yes"));
    }

    private static string DescribeExpiry(DateTimeOffset? expiresAt)
    {
        if (expiresAt is not { } value)
        {
            return "not reported";
        }

        long seconds = (long)(value - DateTimeOffset.UtcNow).TotalSeconds;
        return value.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture) +
            " (in " + seconds.ToString(CultureInfo.InvariantCulture) + " s)";
    }
}
