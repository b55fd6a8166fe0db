using System.Runtime.CompilerServices;
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RawMail.Protocols.Pop3;
using RawMail.Sasl;
using RawMail.Transport;

namespace RawMail.Cli.Commands;

/// <summary>rawmail pop3: the POP3 maildrop commands (RFC 1939) after SASL or USER/PASS sign-in.</summary>
internal static class Pop3Commands
{
    private const long ProgressThreshold = 1024 * 1024;

    public static Command Create()
    {
        var options = new MailOptions(MailProtocol.Pop3);
        var group = new Command("pop3", "Read a POP3 maildrop.");
        options.AddTo(group);
        group.Subcommands.Add(CreateStat(options));
        group.Subcommands.Add(CreateList(options, "list", "List message numbers and sizes."));
        group.Subcommands.Add(CreateList(options, "uidl", "List message numbers and unique ids."));
        group.Subcommands.Add(CreateRetrieve(options, "retr", "Download a message."));
        group.Subcommands.Add(CreateRetrieve(options, "top", "Download the header and the first lines of a message."));
        group.Subcommands.Add(CreateDelete(options));
        return group;
    }

    public static async Task<Pop3Client> ConnectAsync(
        MailSession session, CancellationToken cancellationToken, IReadOnlyList<string>? mechanisms = null)
    {
        var connection = session.Connection;
        var options = new Pop3ClientOptions
        {
            Host = connection.Host,
            Port = connection.Port,
            TlsMode = connection.TlsMode,
            ConnectTimeout = connection.ConnectTimeout,
            CommandTimeout = connection.CommandTimeout,
            TrustedCertificateAuthorities = connection.TrustedCertificateAuthorities,
            ProtocolLog = connection.ProtocolLog,
            MechanismSelector = mechanisms is null ? null : new SaslMechanismSelector(mechanisms),
        };
        Pop3Client client;
        try
        {
            client = await Pop3Client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (MailProtocolException ex)
        {
            throw ConnectionHints.Explain(ex, connection, "POP3");
        }

        try
        {
            await client.AuthenticateAsync(session.Credentials, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Command CreateStat(MailOptions options)
    {
        var command = new Command("stat", "Show the number of messages and their total size.");
        command.SetAction(Run(options, async (client, output, _, cancellationToken) =>
        {
            StatResult stat = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);
            output.Line($"{stat.MessageCount} messages, {stat.TotalSize} bytes");
            output.Json(new JsonObject { ["messages"] = stat.MessageCount, ["size"] = stat.TotalSize });
        }));
        return command;
    }

    private static Command CreateList(MailOptions options, string name, string description)
    {
        var number = new Argument<int?>("number")
        {
            Description = "Message number (default: every message)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command(name, description) { number };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            int? single = result.GetValue(number);
            var items = new JsonArray();
            if (name == "list")
            {
                IReadOnlyList<Pop3MessageInfo> infos = single is { } n
                    ? [await client.ListAsync(n, cancellationToken).ConfigureAwait(false)]
                    : await client.ListAsync(cancellationToken).ConfigureAwait(false);
                foreach (Pop3MessageInfo info in infos)
                {
                    output.Line($"{info.Number} {info.Size}");
                    items.Add((JsonNode?)new JsonObject { ["number"] = info.Number, ["size"] = info.Size });
                }
            }
            else
            {
                IReadOnlyList<Pop3UniqueId> ids = single is { } n
                    ? [await client.GetUniqueIdAsync(n, cancellationToken).ConfigureAwait(false)]
                    : await client.GetUniqueIdsAsync(cancellationToken).ConfigureAwait(false);
                foreach (Pop3UniqueId id in ids)
                {
                    output.Line($"{id.Number} {id.UniqueId}");
                    items.Add((JsonNode?)new JsonObject { ["number"] = id.Number, ["uid"] = id.UniqueId });
                }
            }

            output.Json(new JsonObject { ["messages"] = items });
        }));
        return command;
    }

    private static Command CreateRetrieve(MailOptions options, string name, string description)
    {
        var number = new Argument<int>("number") { Description = "Message number" };
        var lines = new Option<int>("--lines")
        {
            Description = "Body lines to download (top only)",
            DefaultValueFactory = _ => 0,
        };
        var outFile = new Option<FileInfo?>("--out")
        {
            Description = "Write the message to this file (default: standard output)",
        };
        var command = new Command(name, description) { number, outFile };
        if (name == "top")
        {
            command.Options.Add(lines);
        }

        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            int n = result.GetValue(number);
            FileInfo? file = result.GetValue(outFile);
            if (output.IsJson && file is null)
            {
                throw CliException.Usage("--json needs --out FILE for the message itself.");
            }

            long size = name == "retr"
                ? (await client.ListAsync(n, cancellationToken).ConfigureAwait(false)).Size
                : 0;
            Stream target = file is null ? Console.OpenStandardOutput() : file.Create();
            var progress = new TransferProgress($"{name} {n}", size, size >= ProgressThreshold);
            var stream = new ProgressStream(target, progress);
            await using (stream.ConfigureAwait(false))
            {
                long written = name == "retr"
                    ? await client.RetrieveAsync(n, stream, cancellationToken).ConfigureAwait(false)
                    : await client.RetrieveTopAsync(n, result.GetValue(lines), stream, cancellationToken).ConfigureAwait(false);
                progress.Complete();
                if (file is not null)
                {
                    output.Line($"message {n}: {written} bytes written to {file.FullName}");
                }

                output.Json(new JsonObject { ["number"] = n, ["bytes"] = written, ["file"] = file?.FullName });
            }
        }));
        return command;
    }

    private static Command CreateDelete(MailOptions options)
    {
        var numbers = new Argument<int[]>("numbers")
        {
            Description = "Message numbers",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("dele", "Delete messages; the server removes them when the session ends with QUIT.") { numbers };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            int[] list = result.GetValue(numbers) ?? [];
            foreach (int n in list)
            {
                await client.DeleteAsync(n, cancellationToken).ConfigureAwait(false);
                output.Line("deleted " + n.ToString(CultureInfo.InvariantCulture));
            }

            output.Json(new JsonObject { ["deleted"] = new JsonArray([.. list.Select(n => (JsonNode?)JsonValue.Create(n))]) });
        }));
        return command;
    }

    private static Func<ParseResult, CancellationToken, Task<int>> Run(
        MailOptions options, Func<Pop3Client, Output, ParseResult, CancellationToken, Task> body)
    {
        return CommandRunner.Wrap(async (result, cancellationToken) =>
        {
            MailSession session = MailSession.Create(options, result);
            await using ConfiguredAsyncDisposable sessionScope = session.ConfigureAwait(false);
            Pop3Client client = await ConnectAsync(session, cancellationToken).ConfigureAwait(false);
            await using ConfiguredAsyncDisposable clientScope = client.ConfigureAwait(false);
            await body(client, session.Output, result, cancellationToken).ConfigureAwait(false);
            await client.QuitAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
    }
}
