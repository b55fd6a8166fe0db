using System.Text.Json;
using RawMail.TestSupport;

namespace RawMail.Cli.Tests;

[Collection(LocalServersFixture.CollectionName)]
public sealed class ImapTests(LocalServersFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rawmail-cli-").FullName;

    private LocalServers Servers => fixture.Servers;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RequiresServersFact]
    public async Task Check_WithPassword_Succeeds()
    {
        TestUser alice = Servers.User("alice");
        string log = Path.Combine(_directory, "imap.log");

        RunResult result = await RawMailProcess.RunAsync(
            ["imap", "check", .. MailArguments.WithPassword(Servers, Servers.Ports.Imaps), "--log", log],
            MailArguments.Password(alice.Password));

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("IMAP4rev1", result.StandardOutput, StringComparison.Ordinal);
        SecretAssert.NotLeaked(result.AllOutput + File.ReadAllText(log), alice.Email, alice.Password);
    }

    [RequiresServersFact]
    public async Task CheckStartTls_Succeeds()
    {
        TestUser alice = Servers.User("alice");

        RunResult result = await RawMailProcess.RunAsync(
            ["imap", "check", .. MailArguments.WithPassword(Servers, Servers.Ports.Imap, starttls: true)],
            MailArguments.Password(alice.Password));

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Contains("TLS: yes", result.StandardOutput, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task WrongPassword_ExitsWithAuthentication()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["imap", "check", .. MailArguments.WithPassword(Servers, Servers.Ports.Imaps)],
            MailArguments.Password("wrong-password"));

        Assert.Equal(5, result.ExitCode);
        Assert.DoesNotContain("wrong-password", result.AllOutput, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task InvalidToken_ExitsWithAuthentication()
    {
        string tokenFile = Path.Combine(_directory, "token.json");
        File.WriteAllText(tokenFile, """{"access_token":"not-a-valid-token","token_type":"Bearer"}""");

        RunResult result = await RawMailProcess.RunAsync(
        [
            "imap", "check", "--host", Servers.Host, "--port", Port(Servers.Ports.Imaps),
            "--user", Servers.User("alice").Email, "--token-file", tokenFile, "--ca-file", Servers.CaCertificatePath,
        ]);

        Assert.Equal(5, result.ExitCode);
        SecretAssert.NotLeaked(result.AllOutput, Servers.User("alice").Email, "not-a-valid-token");
    }

    [RequiresServersFact]
    public async Task UntrustedCertificate_ExitsWithTls()
    {
        List<string> arguments = MailArguments.WithPassword(Servers, Servers.Ports.Imaps);
        arguments.RemoveRange(arguments.IndexOf("--ca-file"), 2);

        RunResult result = await RawMailProcess.RunAsync(
            ["imap", "check", .. arguments], MailArguments.Password(Servers.User("alice").Password));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("certificate", result.StandardError, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task UnknownMailbox_ExitsWithCommandRejected()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["imap", "status", "NoSuchMailbox", .. MailArguments.WithPassword(Servers, Servers.Ports.Imaps)],
            MailArguments.Password(Servers.User("alice").Password));

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("NoSuchMailbox", result.StandardError, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task ConnectionRefused_ExitsWithConnection()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["imap", "check", "--host", "127.0.0.1", "--port", "1", "--user", "x", "--password-env", "RAWMAIL_TEST_PASSWORD"],
            MailArguments.Password("x"));

        Assert.Equal(3, result.ExitCode);
    }

    [RequiresServersFact]
    public async Task ListJson_WithTokenFile_Parses()
    {
        TestClient robot = Servers.Client("robot");
        string tokenFile = Path.Combine(_directory, "token.json");
        string accessToken = await Servers.GetClientCredentialsTokenAsync("robot", CancellationToken.None);
        File.WriteAllText(tokenFile, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["access_token"] = accessToken,
            ["token_type"] = "Bearer",
        }));
        string log = Path.Combine(_directory, "imap.log");

        RunResult result = await RawMailProcess.RunAsync(
        [
            "imap", "list", "--host", Servers.Host, "--port", Port(Servers.Ports.Imaps), "--user", robot.Mailbox!,
            "--token-file", tokenFile, "--ca-file", Servers.CaCertificatePath, "--json", "--log", log,
        ]);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        using JsonDocument document = JsonDocument.Parse(result.StandardOutput);
        string[] names = [.. document.RootElement.GetProperty("mailboxes").EnumerateArray().Select(m => m.GetProperty("name").GetString()!)];
        Assert.Contains("INBOX", names);
        Assert.Contains("Sent", names);
        SecretAssert.NotLeaked(result.AllOutput + File.ReadAllText(log), robot.Mailbox!, accessToken);
    }

    [RequiresServersFact]
    public async Task AppendSearchFetchFlagMove_RoundTrip()
    {
        TestUser bob = Servers.User("bob");
        string subject = "rawmail imap " + Guid.NewGuid().ToString("N");
        string eml = Path.Combine(_directory, "message.eml");
        File.WriteAllText(eml, $"From: {bob.Email}\r\nTo: {bob.Email}\r\nSubject: {subject}\r\n\r\nbody\r\n");
        List<string> connection = MailArguments.WithPassword(Servers, Servers.Ports.Imaps, user: "bob");
        Dictionary<string, string> password = MailArguments.Password(bob.Password);

        RunResult appended = await RawMailProcess.RunAsync(["imap", "append", "INBOX", eml, "--json", .. connection], password);
        RunResult searched = await RawMailProcess.RunAsync(["imap", "search", "INBOX", "--subject", subject, "--json", .. connection], password);
        using JsonDocument found = JsonDocument.Parse(searched.StandardOutput);
        string uid = found.RootElement.GetProperty("uids")[0].GetUInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        RunResult flagged = await RawMailProcess.RunAsync(["imap", "flag", "INBOX", uid, "--add", "flagged", .. connection], password);
        RunResult fetched = await RawMailProcess.RunAsync(["imap", "fetch", "INBOX", uid, "--json", .. connection], password);
        string raw = Path.Combine(_directory, "fetched.eml");
        RunResult downloaded = await RawMailProcess.RunAsync(["imap", "fetch", "INBOX", uid, "--raw", "--out", raw, .. connection], password);
        RunResult moved = await RawMailProcess.RunAsync(["imap", "move", "INBOX", uid, "Trash", .. connection], password);

        Assert.True(appended.ExitCode == 0, appended.AllOutput);
        Assert.True(flagged.ExitCode == 0, flagged.AllOutput);
        using JsonDocument summary = JsonDocument.Parse(fetched.StandardOutput);
        JsonElement message = summary.RootElement.GetProperty("messages")[0];
        Assert.Equal(subject, message.GetProperty("subject").GetString());
        Assert.Contains("Flagged", message.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.True(downloaded.ExitCode == 0, downloaded.AllOutput);
        Assert.Contains("Subject: " + subject, File.ReadAllText(raw), StringComparison.Ordinal);
        Assert.True(moved.ExitCode == 0, moved.AllOutput);
    }

    [RequiresServersFact]
    public async Task FetchSummary_EscapesTerminalControls()
    {
        // Any sender chooses the subject: this one would set the terminal title and turn the text red.
        TestUser bob = Servers.User("bob");
        string marker = "rawmail esc " + Guid.NewGuid().ToString("N");
        string eml = Path.Combine(_directory, "message.eml");
        File.WriteAllText(
            eml, $"From: {bob.Email}\r\nSubject: =?utf-8?q?{marker.Replace(' ', '_')}_=1B]0;title=07=1B[31mred?=\r\n\r\nx\r\n");
        List<string> connection = MailArguments.WithPassword(Servers, Servers.Ports.Imaps, user: "bob");
        Dictionary<string, string> password = MailArguments.Password(bob.Password);
        await RawMailProcess.RunAsync(["imap", "append", "INBOX", eml, .. connection], password);
        RunResult searched = await RawMailProcess.RunAsync(["imap", "search", "INBOX", "--subject", marker, "--json", .. connection], password);
        using JsonDocument found = JsonDocument.Parse(searched.StandardOutput);
        string uid = found.RootElement.GetProperty("uids")[0].GetUInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);

        RunResult fetched = await RawMailProcess.RunAsync(["imap", "fetch", "INBOX", uid, .. connection], password);

        Assert.True(fetched.ExitCode == 0, fetched.AllOutput);
        Assert.DoesNotContain('\u001B', fetched.StandardOutput);
        Assert.DoesNotContain('\u0007', fetched.StandardOutput);
    }

    [RequiresServersFact]
    public async Task IdleJson_EndsAfterSeconds()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["imap", "idle", "INBOX", "--seconds", "1", "--json", .. MailArguments.WithPassword(Servers, Servers.Ports.Imaps)],
            MailArguments.Password(Servers.User("alice").Password));

        Assert.True(result.ExitCode == 0, result.AllOutput);
        using JsonDocument document = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("events").ValueKind);
    }

    [RequiresServersFact]
    public async Task CopyToUnknownMailbox_ExitsWithCommandRejected()
    {
        RunResult result = await RawMailProcess.RunAsync(
            ["imap", "copy", "INBOX", "1:*", "NoSuchMailbox", .. MailArguments.WithPassword(Servers, Servers.Ports.Imaps)],
            MailArguments.Password(Servers.User("alice").Password));

        Assert.Equal(6, result.ExitCode);
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
