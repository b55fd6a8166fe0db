using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using RawMail.Transport;

namespace RawMail.Cli;

/// <summary>
/// The connection and sign-in options shared by the imap, smtp and pop3 commands. They are
/// recursive, so they may be given before or after the subcommand name.
/// </summary>
internal sealed class MailOptions
{
    private readonly MailProtocol _protocol;

    public MailOptions(MailProtocol protocol)
    {
        _protocol = protocol;
        Tls.AcceptOnlyFromAmong("implicit", "starttls");
    }

    public Option<string> Host { get; } = new("--host")
    {
        Description = "Server host name or address",
        Recursive = true,
        Required = true,
    };

    public Option<int?> Port { get; } = new("--port")
    {
        Description = "Server port (default: the protocol's port for the TLS mode)",
        Recursive = true,
    };

    public Option<string?> Tls { get; } = new("--tls")
    {
        Description = "implicit: TLS from the first byte (default); starttls: upgrade a plain connection",
        Recursive = true,
    };

    public Option<string> User { get; } = new("--user")
    {
        Description = "User name (usually the mail address)",
        Recursive = true,
        Required = true,
    };

    public Option<FileInfo?> TokenFile { get; } = new("--token-file")
    {
        Description = "OAuth 2.0 token JSON written by 'rawmail token'; refreshed when expired if --client-id is given",
        Recursive = true,
    };

    public Option<string?> PasswordEnv { get; } = new("--password-env")
    {
        Description = "Name of the environment variable that contains the password (else a prompt on the terminal)",
        Recursive = true,
    };

    public Option<FileInfo?> CaFile { get; } = new("--ca-file")
    {
        Description = "PEM file with an extra trusted certificate authority",
        Recursive = true,
    };

    public Option<int> Timeout { get; } = new("--timeout")
    {
        Description = "Connect and command timeout in seconds",
        Recursive = true,
        DefaultValueFactory = _ => 60,
    };

    public Option<FileInfo?> Log { get; } = new("--log")
    {
        Description = "Write the protocol log to this file; secrets in it are masked",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print machine-readable JSON",
        Recursive = true,
    };

    public OAuthOptions OAuth { get; } = new();

    public void AddTo(Command command)
    {
        command.Options.Add(Host);
        command.Options.Add(Port);
        command.Options.Add(Tls);
        command.Options.Add(User);
        command.Options.Add(TokenFile);
        command.Options.Add(PasswordEnv);
        command.Options.Add(CaFile);
        command.Options.Add(Timeout);
        command.Options.Add(Log);
        command.Options.Add(Json);
        OAuth.AddTo(command);
        foreach (Option option in OAuth.All)
        {
            option.Recursive = true;
        }
    }

    public TlsMode GetTlsMode(ParseResult result) =>
        result.GetValue(Tls) == "starttls" ? TlsMode.StartTls : TlsMode.Implicit;

    public int GetPort(ParseResult result)
    {
        if (result.GetValue(Port) is { } port)
        {
            if (port is < 1 or > 65535)
            {
                throw CliException.Usage(
                    $"--port {port.ToString(CultureInfo.InvariantCulture)} is out of range; use 1 to 65535.");
            }

            return port;
        }

        bool implicitTls = GetTlsMode(result) == TlsMode.Implicit;
        return _protocol switch
        {
            MailProtocol.Imap => implicitTls ? 993 : 143,
            MailProtocol.Pop3 => implicitTls ? 995 : 110,
            _ => implicitTls ? 465 : 587,
        };
    }

    public TimeSpan GetTimeout(ParseResult result)
    {
        int seconds = result.GetValue(Timeout);
        if (seconds <= 0)
        {
            throw CliException.Usage("--timeout must be a positive number of seconds.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    public X509Certificate2Collection? LoadTrustedAuthorities(ParseResult result)
    {
        if (result.GetValue(CaFile) is not { } file)
        {
            return null;
        }

        if (!file.Exists)
        {
            throw CliException.Usage($"The CA file {file.FullName} does not exist.");
        }

        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(file.FullName);
        if (collection.Count == 0)
        {
            throw CliException.Usage($"The CA file {file.FullName} contains no PEM certificate.");
        }

        return collection;
    }
}

internal enum MailProtocol
{
    Imap,
    Pop3,
    Smtp,
}
