using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RawMail.TestSupport;

namespace RawMail.Cli.Tests;

/// <summary>
/// The browser flow of rawmail token, with the test in the browser's place: it reads the printed
/// sign-in URL, posts the local authorization server's login form and follows the redirects.
/// </summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed partial class SignInTests(LocalServersFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rawmail-cli-").FullName;

    private LocalServers Servers => fixture.Servers;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RequiresServersFact]
    public async Task BrowserFlow_WritesRefreshableToken()
    {
        string path = Path.Combine(_directory, "token.json");

        RunResult signedIn = await SignInAsync(path, "alice");
        RunResult refreshed = await RawMailProcess.RunAsync([.. NativeClientArguments(path), "--refresh", "--json"]);

        Assert.True(signedIn.ExitCode == 0, signedIn.AllOutput);
        Assert.Contains("refresh token: yes", signedIn.StandardOutput, StringComparison.Ordinal);
        Assert.True(refreshed.ExitCode == 0, refreshed.AllOutput);
        using JsonDocument document = JsonDocument.Parse(refreshed.StandardOutput);
        Assert.True(document.RootElement.GetProperty("hasRefreshToken").GetBoolean());
    }

    [RequiresServersFact]
    public async Task BrowserFlow_NeverPrintsToken()
    {
        string path = Path.Combine(_directory, "token.json");

        RunResult signedIn = await SignInAsync(path, "alice");

        using JsonDocument token = JsonDocument.Parse(File.ReadAllText(path));
        string email = Servers.User("alice").Email;
        Assert.True(signedIn.ExitCode == 0, signedIn.AllOutput);
        SecretAssert.NotLeaked(signedIn.AllOutput, email, token.RootElement.GetProperty("access_token").GetString()!);
        SecretAssert.NotLeaked(signedIn.AllOutput, email, token.RootElement.GetProperty("refresh_token").GetString()!);
    }

    [RequiresServersFact]
    public async Task WrongUserPassword_ExitsWithOAuthError()
    {
        string path = Path.Combine(_directory, "token.json");
        var arguments = NativeClientArguments(path);
        arguments.AddRange(["--print-url", "--timeout", "5"]);
        using Process process = RawMailProcess.Start(arguments);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Uri authorization = await ReadSignInUrlAsync(process);

        HttpStatusCode status = await PostLoginAsync(authorization, Servers.User("alice").Email, "wrong-password");
        await RawMailProcess.WaitAsync(process, arguments);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(7, process.ExitCode);
        Assert.False(File.Exists(path));
        _ = await output;
    }

    private async Task<RunResult> SignInAsync(string path, string userName)
    {
        List<string> arguments = NativeClientArguments(path);
        arguments.Add("--print-url");
        using Process process = RawMailProcess.Start(arguments);
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        var error = new System.Text.StringBuilder();
        Uri authorization = await ReadSignInUrlAsync(process, error);
        Task<string> restOfError = process.StandardError.ReadToEndAsync();

        TestUser user = Servers.User(userName);
        HttpStatusCode status = await PostLoginAsync(authorization, user.Email, user.Password);
        await RawMailProcess.WaitAsync(process, arguments);

        Assert.Equal(HttpStatusCode.OK, status);
        return new RunResult(process.ExitCode, await output, error + await restOfError);
    }

    private List<string> NativeClientArguments(string path) =>
    [
        "token", "--issuer", Servers.Authorization.Issuer.OriginalString, "--client-id", Servers.Client("native").ClientId,
        "--scope", "openid", "--scope", Servers.Authorization.Scope, "--flow", "browser", "--out", path,
    ];

    private static async Task<Uri> ReadSignInUrlAsync(Process process, System.Text.StringBuilder? seen = null)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            seen?.AppendLine(line);
            if (line.StartsWith("http", StringComparison.Ordinal))
            {
                return new Uri(line);
            }
        }

        throw new InvalidOperationException("rawmail ended without printing a sign-in URL: " + seen);
    }

    /// <summary>Follows the sign-in URL, posts the login form and follows the redirects; returns the last status.</summary>
    private static async Task<HttpStatusCode> PostLoginAsync(Uri authorization, string login, string password)
    {
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler);
        using HttpResponseMessage page = await http.GetAsync(authorization);
        string html = await page.Content.ReadAsStringAsync();
        string action = FormAction().Match(html).Groups[1].Value;
        var loginUri = new Uri(page.RequestMessage!.RequestUri!, action);
        using var form = new FormUrlEncodedContent([new("login", login), new("password", password)]);
        using HttpResponseMessage response = await http.PostAsync(loginUri, form);
        return response.StatusCode;
    }

    [GeneratedRegex("<form[^>]*\\baction=\"([^\"]+)\"")]
    private static partial Regex FormAction();
}
