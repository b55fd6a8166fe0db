using System.Text.Json;

namespace RawMail.Cli.Demo;

/// <summary>
/// The parts of the local servers' servers.json that the demo uses. scripts/servers writes the
/// file; docs/servers.md describes it.
/// </summary>
internal sealed class ServersState
{
    public const string StateVariable = "RAWMAIL_STATE";
    public const string DefaultStateDirectory = "/tmp/rawmail-servers";

    public required string Path { get; init; }

    public required string Host { get; init; }

    public required string CaCertificate { get; init; }

    public required int ImapsPort { get; init; }

    public required int Pop3sPort { get; init; }

    public required int SubmissionPort { get; init; }

    public required Uri Issuer { get; init; }

    public required string Scope { get; init; }

    public required string NativeClientId { get; init; }

    public required string UserEmail { get; init; }

    public required string UserPassword { get; init; }

    public static ServersState Load(string userName)
    {
        string directory = Environment.GetEnvironmentVariable(StateVariable) is { Length: > 0 } state
            ? state
            : DefaultStateDirectory;
        string path = System.IO.Path.Combine(directory, "servers.json");
        if (!File.Exists(path))
        {
            throw new CliException(
                ExitCodes.Connection,
                $"{path} does not exist; start the local servers with 'scripts/servers start' (or run scripts/demo).");
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = document.RootElement;
        JsonElement ports = root.GetProperty("ports");
        JsonElement authorization = root.GetProperty("authorization");
        JsonElement user = root.GetProperty("users").EnumerateArray()
            .FirstOrDefault(u => u.GetProperty("name").GetString() == userName);
        if (user.ValueKind != JsonValueKind.Object)
        {
            throw new CliException(ExitCodes.Other, $"{path} has no user named {userName}.");
        }

        return new ServersState
        {
            Path = path,
            Host = root.GetProperty("host").GetString()!,
            CaCertificate = root.GetProperty("caCertificate").GetString()!,
            ImapsPort = ports.GetProperty("imaps").GetInt32(),
            Pop3sPort = ports.GetProperty("pop3s").GetInt32(),
            SubmissionPort = ports.GetProperty("submission").GetInt32(),
            Issuer = new Uri(authorization.GetProperty("issuer").GetString()!),
            Scope = authorization.GetProperty("scope").GetString()!,
            NativeClientId = root.GetProperty("clients").GetProperty("native").GetProperty("clientId").GetString()!,
            UserEmail = user.GetProperty("email").GetString()!,
            UserPassword = user.GetProperty("password").GetString()!,
        };
    }
}
