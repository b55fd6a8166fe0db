namespace RawMail.Cli.Tests;

public sealed class UsageTests
{
    [Fact]
    public async Task Help_ListsExitCodes()
    {
        RunResult result = await RawMailProcess.RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Exit codes:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("5  authentication failed", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_ExitsWithUsage()
    {
        RunResult result = await RawMailProcess.RunAsync(["token", "--no-such-option"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--no-such-option", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingRequiredOption_ExitsWithUsage()
    {
        RunResult result = await RawMailProcess.RunAsync(["token", "--client-id", "x"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--out", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsetSecretVariable_ExitsWithUsage()
    {
        RunResult result = await RawMailProcess.RunAsync(
        [
            "token", "--issuer", "http://127.0.0.1:9/", "--client-id", "x",
            "--client-secret-env", "RAWMAIL_TEST_UNSET_VARIABLE", "--out", Path.GetTempFileName(),
        ]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("RAWMAIL_TEST_UNSET_VARIABLE", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidIssuerUrl_ExitsWithUsage()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["token", "--issuer", "not a url", "--client-id", "x", "--out", Path.GetTempFileName()]);

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task UserWithLineBreak_ExitsWithUsage()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["pop3", "stat", "--host", "127.0.0.1", "--port", "9", "--user", "a\nb", "--password-env", "RAWMAIL_TEST_PASSWORD"],
            new Dictionary<string, string> { ["RAWMAIL_TEST_PASSWORD"] = "x" });

        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task UserWithLineBreak_NoExceptionTypeName()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["pop3", "stat", "--host", "127.0.0.1", "--port", "9", "--user", "a\nb", "--password-env", "RAWMAIL_TEST_PASSWORD"],
            new Dictionary<string, string> { ["RAWMAIL_TEST_PASSWORD"] = "x" });

        Assert.DoesNotContain("ArgumentException", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenFileNotJson_ExitsWithUsage()
    {
        string tokenFile = Path.GetTempFileName();
        File.WriteAllText(tokenFile, "not json");

        RunResult result = await RawMailProcess.RunAsync(
            ["pop3", "stat", "--host", "127.0.0.1", "--port", "9", "--user", "a", "--token-file", tokenFile]);
        File.Delete(tokenFile);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(tokenFile, result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenFileIsDirectory_ExitsWithUsage()
    {
        string directory = Directory.CreateTempSubdirectory("rawmail-cli-").FullName;

        RunResult result = await RawMailProcess.RunAsync(
            ["pop3", "stat", "--host", "127.0.0.1", "--port", "9", "--user", "a", "--token-file", directory]);
        Directory.Delete(directory);

        Assert.Equal(2, result.ExitCode);
    }
}
