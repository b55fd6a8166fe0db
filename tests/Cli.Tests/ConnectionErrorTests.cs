using RawMail.TestSupport;

namespace RawMail.Cli.Tests;

/// <summary>The messages and exit codes for the usual set-up mistakes: wrong port, wrong TLS mode, untrusted CA.</summary>
[Collection(LocalServersFixture.CollectionName)]
public sealed class ConnectionErrorTests(LocalServersFixture fixture)
{
    private LocalServers Servers => fixture.Servers;

    [RequiresServersFact]
    public async Task ImplicitTlsOnPlainPort_SuggestsStartTls()
    {
        RunResult result = await RunAsync("pop3", Servers.Ports.Pop3, starttls: false);

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("--tls starttls", result.StandardError, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task StartTlsOnTlsPort_SuggestsImplicitTls()
    {
        RunResult result = await RunAsync("pop3", Servers.Ports.Pop3s, starttls: true, "--timeout", "2");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("--tls implicit", result.StandardError, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task StartTlsOnTlsPort_NoCancellationNoise()
    {
        RunResult result = await RunAsync("pop3", Servers.Ports.Pop3s, starttls: true, "--timeout", "2");

        Assert.DoesNotContain("The operation was canceled", result.StandardError, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task OtherProtocolsPort_IsProtocolError()
    {
        RunResult result = await RunAsync("pop3", Servers.Ports.Imaps, starttls: false);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("rawmail: protocol error:", result.StandardError, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task OtherProtocolsPort_SuggestsPort()
    {
        RunResult result = await RunAsync("smtp", Servers.Ports.Imaps, starttls: false);

        Assert.Contains("--port", result.StandardError, StringComparison.Ordinal);
    }

    [RequiresServersFact]
    public async Task UntrustedCertificate_SuggestsCaFile()
    {
        List<string> arguments = MailArguments.WithPassword(Servers, Servers.Ports.Pop3s);
        arguments.RemoveRange(arguments.IndexOf("--ca-file"), 2);

        RunResult result = await RawMailProcess.RunAsync(
            ["pop3", "stat", .. arguments], MailArguments.Password(Servers.User("alice").Password));

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("--ca-file", result.StandardError, StringComparison.Ordinal);
    }

    private Task<RunResult> RunAsync(string protocol, int port, bool starttls, params string[] extra)
    {
        string[] command = protocol == "smtp"
            ? ["smtp", "send", "--to", Servers.User("bob").Email, "--subject", "x", "--text", "x"]
            : ["pop3", "stat"];
        return RawMailProcess.RunAsync(
            [.. command, .. MailArguments.WithPassword(Servers, port, starttls: starttls), .. extra],
            MailArguments.Password(Servers.User("alice").Password));
    }
}
