using System.Text.Json;
using RawMail.TestSupport;

namespace RawMail.Cli.Tests;

[Collection(LocalServersFixture.CollectionName)]
public sealed class SmtpTests(LocalServersFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rawmail-cli-").FullName;

    private LocalServers Servers => fixture.Servers;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RequiresServersFact]
    public async Task Send_PrintsAcceptedRecipients()
    {
        TestUser alice = Servers.User("alice");
        string log = Path.Combine(_directory, "smtp.log");

        RunResult result = await RawMailProcess.RunAsync(
        [
            "smtp", "send", .. MailArguments.WithPassword(Servers, Servers.Ports.Submission, starttls: true),
            "--to", alice.Email, "--subject", "rawmail smtp test", "--text", "plain", "--html", "<p>html</p>",
            "--attach", WriteFile("note.txt", "attached"), "--log", log,
        ], MailArguments.Password(alice.Password));

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("accepted: " + alice.Email, result.StandardOutput, StringComparison.Ordinal);
        SecretAssert.NotLeaked(result.AllOutput + File.ReadAllText(log), alice.Email, alice.Password);
    }

    [RequiresServersFact]
    public async Task SendEmlJson_Parses()
    {
        TestUser alice = Servers.User("alice");
        string eml = WriteFile("message.eml",
            $"From: {alice.Email}\r\nTo: {alice.Email}\r\nSubject: rawmail eml test\r\n\r\nbody\r\n");

        RunResult result = await RawMailProcess.RunAsync(
        [
            "smtp", "send", .. MailArguments.WithPassword(Servers, Servers.Ports.Submissions), "--eml", eml, "--json",
        ], MailArguments.Password(alice.Password));

        Assert.True(result.ExitCode == 0, result.AllOutput);
        using JsonDocument document = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(alice.Email, document.RootElement.GetProperty("accepted")[0].GetString());
        Assert.Equal(250, document.RootElement.GetProperty("reply").GetProperty("code").GetInt32());
    }

    [RequiresServersFact]
    public async Task WrongPassword_ExitsWithAuthentication()
    {
        RunResult result = await RawMailProcess.RunAsync(
        [
            "smtp", "send", .. MailArguments.WithPassword(Servers, Servers.Ports.Submission, starttls: true),
            "--to", Servers.User("alice").Email, "--text", "x",
        ], MailArguments.Password("wrong-password"));

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("authentication failed", result.StandardError, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task MissingRecipients_ExitsWithUsage()
    {
        TestUser alice = Servers.User("alice");

        RunResult result = await RawMailProcess.RunAsync(
            ["smtp", "send", .. MailArguments.WithPassword(Servers, Servers.Ports.Submissions), "--text", "x"],
            MailArguments.Password(alice.Password));

        Assert.Equal(2, result.ExitCode);
    }

    private string WriteFile(string name, string content)
    {
        string path = Path.Combine(_directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
