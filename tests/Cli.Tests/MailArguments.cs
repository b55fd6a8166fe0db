using RawMail.TestSupport;

namespace RawMail.Cli.Tests;

/// <summary>Builds the shared connection and sign-in arguments of the mail commands for the local servers.</summary>
public static class MailArguments
{
    public const string PasswordVariable = "RAWMAIL_TEST_PASSWORD";

    public static List<string> WithPassword(LocalServers servers, int port, string user = "alice", bool starttls = false) =>
    [
        "--host", servers.Host, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--tls", starttls ? "starttls" : "implicit", "--user", servers.User(user).Email,
        "--password-env", PasswordVariable, "--ca-file", servers.CaCertificatePath,
    ];

    public static Dictionary<string, string> Password(string password) => new() { [PasswordVariable] = password };
}
