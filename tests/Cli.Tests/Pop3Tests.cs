using System.Text.Json;
using RawMail.TestSupport;

namespace RawMail.Cli.Tests;

[Collection(LocalServersFixture.CollectionName)]
public sealed class Pop3Tests(LocalServersFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rawmail-cli-").FullName;

    private LocalServers Servers => fixture.Servers;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RequiresServersFact]
    public async Task StatJson_Parses()
    {
        TestUser alice = Servers.User("alice");
        string log = Path.Combine(_directory, "pop3.log");

        RunResult result = await RawMailProcess.RunAsync(
            ["pop3", "stat", "--json", "--log", log, .. MailArguments.WithPassword(Servers, Servers.Ports.Pop3s)],
            MailArguments.Password(alice.Password));

        Assert.True(result.ExitCode == 0, result.AllOutput);
        using JsonDocument document = JsonDocument.Parse(result.StandardOutput);
        Assert.True(document.RootElement.GetProperty("messages").GetInt32() >= 0);
        SecretAssert.NotLeaked(result.AllOutput + File.ReadAllText(log), alice.Email, alice.Password);
    }

    [RequiresServersFact]
    public async Task ListUidlRetrTop_ReadMessage()
    {
        TestUser bob = Servers.User("bob");
        List<string> connection = MailArguments.WithPassword(Servers, Servers.Ports.Pop3s, user: "bob");
        Dictionary<string, string> password = MailArguments.Password(bob.Password);
        await SendToAsync(bob);

        RunResult list = await RawMailProcess.RunAsync(["pop3", "list", "--json", .. connection], password);
        using JsonDocument messages = JsonDocument.Parse(list.StandardOutput);
        string last = messages.RootElement.GetProperty("messages").EnumerateArray().Last()
            .GetProperty("number").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        RunResult uidl = await RawMailProcess.RunAsync(["pop3", "uidl", last, .. connection], password);
        RunResult top = await RawMailProcess.RunAsync(["pop3", "top", last, "--lines", "0", .. connection], password);
        string file = Path.Combine(_directory, "retr.eml");
        RunResult retr = await RawMailProcess.RunAsync(["pop3", "retr", last, "--out", file, .. connection], password);

        Assert.True(list.ExitCode == 0, list.AllOutput);
        Assert.StartsWith(last + " ", uidl.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Subject:", top.StandardOutput, StringComparison.Ordinal);
        Assert.True(retr.ExitCode == 0, retr.AllOutput);
        Assert.Contains("Subject:", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task WrongPassword_ExitsWithAuthentication()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["pop3", "stat", .. MailArguments.WithPassword(Servers, Servers.Ports.Pop3s)],
            MailArguments.Password("wrong-password"));

        Assert.Equal(5, result.ExitCode);
    }

    [RequiresServersFact]
    public async Task ExpiredTokenFile_ExitsWithAuthentication()
    {
        string tokenFile = Path.Combine(_directory, "token.json");
        File.WriteAllText(
            tokenFile, """{"access_token":"expired-token","token_type":"Bearer","expires_at":"2020-01-01T00:00:00+00:00"}""");

        RunResult result = await RawMailProcess.RunAsync(
        [
            "pop3", "stat", "--host", Servers.Host, "--port", Servers.Ports.Pop3s.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--user", Servers.User("alice").Email, "--token-file", tokenFile, "--ca-file", Servers.CaCertificatePath,
        ]);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("expired", result.StandardError, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task MessageNumberZero_ExitsWithUsage()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["pop3", "retr", "0", .. MailArguments.WithPassword(Servers, Servers.Ports.Pop3s)],
            MailArguments.Password(Servers.User("alice").Password));

        Assert.Equal(2, result.ExitCode);
    }

    [RequiresServersFact]
    public async Task NoSuchMessage_ExitsWithCommandRejected()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["pop3", "retr", "999999", .. MailArguments.WithPassword(Servers, Servers.Ports.Pop3s)],
            MailArguments.Password(Servers.User("alice").Password));

        Assert.Equal(6, result.ExitCode);
    }

    private async Task SendToAsync(TestUser user)
    {
        List<string> connection = MailArguments.WithPassword(Servers, Servers.Ports.Pop3s, user: user.Name);
        int before = await CountAsync(connection, user);
        RunResult sent = await RawMailProcess.RunAsync(
        [
            "smtp", "send", .. MailArguments.WithPassword(Servers, Servers.Ports.Submissions, user: user.Name),
            "--to", user.Email, "--subject", "rawmail pop3 test", "--text", "x",
        ], MailArguments.Password(user.Password));
        Assert.True(sent.ExitCode == 0, sent.AllOutput);

        // Delivery through Postfix to Dovecot is asynchronous, so poll STAT, for at most 30 s, until it counts one more.
        for (int attempt = 0; attempt < 150 && await CountAsync(connection, user) == before; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    private static async Task<int> CountAsync(List<string> connection, TestUser user)
    {
        RunResult stat = await RawMailProcess.RunAsync(
            ["pop3", "stat", "--json", .. connection], MailArguments.Password(user.Password));
        Assert.True(stat.ExitCode == 0, stat.AllOutput);
        using JsonDocument document = JsonDocument.Parse(stat.StandardOutput);
        return document.RootElement.GetProperty("messages").GetInt32();
    }
}
