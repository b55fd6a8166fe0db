using System.Text.Json;
using RawMail.TestSupport;

namespace RawMail.Cli.Tests;

[Collection(LocalServersFixture.CollectionName)]
public sealed class TokenTests(LocalServersFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rawmail-cli-").FullName;

    private LocalServers Servers => fixture.Servers;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RequiresServersFact]
    public async Task ServiceFlow_WritesOwnerOnlyFile()
    {
        string path = Path.Combine(_directory, "token.json");

        RunResult result = await RunServiceFlowAsync("robot", path, json: false);

        Assert.Equal(0, result.ExitCode);
        Assert.True(OperatingSystem.IsWindows()
            || File.GetUnixFileMode(path) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.Contains("expires:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("scopes:        mail", result.StandardOutput, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task ServiceFlow_NeverPrintsSecrets()
    {
        string path = Path.Combine(_directory, "token.json");
        TestClient client = Servers.Client("robot");

        RunResult result = await RunServiceFlowAsync("robot", path, json: false);

        using JsonDocument token = JsonDocument.Parse(File.ReadAllText(path));
        string accessToken = token.RootElement.GetProperty("access_token").GetString()!;
        Assert.Equal(0, result.ExitCode);
        SecretAssert.NotLeaked(result.AllOutput, client.Mailbox!, accessToken);
        SecretAssert.NotLeaked(result.AllOutput, client.ClientId, client.ClientSecret!);
    }

    [RequiresServersFact]
    public async Task ServiceFlowJson_Parses()
    {
        string path = Path.Combine(_directory, "token.json");

        RunResult result = await RunServiceFlowAsync("robot", path, json: true);

        Assert.Equal(0, result.ExitCode);
        using JsonDocument document = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("Bearer", document.RootElement.GetProperty("tokenType").GetString());
        Assert.Equal("mail", document.RootElement.GetProperty("scopes")[0].GetString());
        Assert.False(document.RootElement.GetProperty("hasRefreshToken").GetBoolean());
    }

    [RequiresServersFact]
    public async Task WrongClientSecret_ExitsWithOAuthError()
    {
        string path = Path.Combine(_directory, "token.json");

        RunResult result = await RawMailProcess.RunAsync(
            ServiceArguments("robot", path),
            new Dictionary<string, string> { ["RAWMAIL_TEST_SECRET"] = "wrong-secret" });

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("invalid_client", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [RequiresServersFact]
    public async Task Refresh_WithoutRefreshToken_ExitsWithOAuthError()
    {
        string path = Path.Combine(_directory, "token.json");
        await RunServiceFlowAsync("robot", path, json: false);

        RunResult result = await RawMailProcess.RunAsync(
            [.. ServiceArguments("robot", path), "--refresh"],
            new Dictionary<string, string> { ["RAWMAIL_TEST_SECRET"] = Servers.Client("robot").ClientSecret! });

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("no refresh token", result.StandardError, StringComparison.Ordinal);
    }

    private Task<RunResult> RunServiceFlowAsync(string clientKey, string path, bool json)
    {
        List<string> arguments = ServiceArguments(clientKey, path);
        if (json)
        {
            arguments.Add("--json");
        }

        return RawMailProcess.RunAsync(
            arguments,
            new Dictionary<string, string> { ["RAWMAIL_TEST_SECRET"] = Servers.Client(clientKey).ClientSecret! });
    }

    private List<string> ServiceArguments(string clientKey, string path) =>
    [
        "token", "--issuer", Servers.Authorization.Issuer.OriginalString, "--client-id", Servers.Client(clientKey).ClientId,
        "--client-auth", "client_secret_basic", "--client-secret-env", "RAWMAIL_TEST_SECRET",
        "--scope", Servers.Authorization.Scope, "--flow", "service", "--out", path,
    ];
}
