using System.Runtime.CompilerServices;
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.Transport;

namespace RawMail.Cli.Commands;

/// <summary>rawmail imap: mailbox and message commands over IMAP4rev1/IMAP4rev2 (RFC 3501, RFC 9051).</summary>
internal static partial class ImapCommands
{
    private const long ProgressThreshold = 1024 * 1024;

    public static Command Create()
    {
        var options = new MailOptions(MailProtocol.Imap);
        var group = new Command("imap", "Work with an IMAP mailbox.");
        options.AddTo(group);
        group.Subcommands.Add(CreateCheck(options));
        group.Subcommands.Add(CreateList(options));
        group.Subcommands.Add(CreateStatus(options));
        group.Subcommands.Add(CreateSelect(options));
        group.Subcommands.Add(CreateSearch(options));
        group.Subcommands.Add(CreateFetch(options));
        group.Subcommands.Add(CreateAppend(options));
        group.Subcommands.Add(CreateFlag(options));
        group.Subcommands.Add(CreateCopyOrMove(options, move: false));
        group.Subcommands.Add(CreateCopyOrMove(options, move: true));
        group.Subcommands.Add(CreateExpunge(options));
        group.Subcommands.Add(CreateIdle(options));
        return group;
    }

    public static async Task<ImapClient> ConnectAsync(
        MailSession session, CancellationToken cancellationToken, IReadOnlyList<string>? mechanisms = null)
    {
        var options = new ImapClientOptions { Connection = session.Connection, SaslMechanisms = mechanisms };
        ImapClient client;
        try
        {
            client = await ImapClient.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (MailProtocolException ex)
        {
            throw ConnectionHints.Explain(ex, session.Connection, "IMAP");
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

    private static Command CreateCheck(MailOptions options)
    {
        var command = new Command("check", "Connect, sign in and show the server's capabilities.");
        command.SetAction(Run(options, async (client, output, _, cancellationToken) =>
        {
            await client.NoopAsync(cancellationToken).ConfigureAwait(false);
            string[] capabilities = [.. client.Capabilities.Order(StringComparer.Ordinal)];
            output.Line("signed in; TLS: " + (client.IsEncrypted ? "yes" : "no"));
            output.Line("capabilities: " + string.Join(' ', capabilities));
            output.Json(new JsonObject
            {
                ["authenticated"] = true,
                ["encrypted"] = client.IsEncrypted,
                ["capabilities"] = Output.StringArray(capabilities),
            });
        }));
        return command;
    }

    private static Command CreateList(MailOptions options)
    {
        var pattern = new Argument<string>("pattern")
        {
            Description = "Mailbox name pattern; * matches everything, % one level",
            DefaultValueFactory = _ => "*",
        };
        var command = new Command("list", "List mailboxes.") { pattern };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            IReadOnlyList<MailboxInfo> mailboxes = await client.ListAsync(
                result.GetRequiredValue(pattern), cancellationToken: cancellationToken).ConfigureAwait(false);
            var items = new JsonArray();
            foreach (MailboxInfo mailbox in mailboxes)
            {
                string attributes = mailbox.Attributes == MailboxAttributes.None ? "" : mailbox.Attributes.ToString();
                output.Line(mailbox.Name + (attributes.Length == 0 ? "" : "  (" + attributes + ")"));
                items.Add((JsonNode?)new JsonObject
                {
                    ["name"] = mailbox.Name,
                    ["delimiter"] = mailbox.Delimiter?.ToString(),
                    ["attributes"] = Output.StringArray(SplitFlags(attributes)),
                });
            }

            output.Json(new JsonObject { ["mailboxes"] = items });
        }));
        return command;
    }

    private static Command CreateStatus(MailOptions options)
    {
        var mailbox = MailboxArgument();
        var command = new Command("status", "Show a mailbox's message counts without selecting it.") { mailbox };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            MailboxStatus status = await client.GetStatusAsync(result.GetRequiredValue(mailbox),
                StatusItems.Default, cancellationToken).ConfigureAwait(false);
            output.Line($"{status.Name}: {status.Messages} messages, {status.Unseen} unseen, " +
                $"UIDNEXT {status.UidNext}, UIDVALIDITY {status.UidValidity}");
            output.Json(new JsonObject
            {
                ["mailbox"] = status.Name,
                ["messages"] = status.Messages,
                ["unseen"] = status.Unseen,
                ["uidNext"] = status.UidNext,
                ["uidValidity"] = status.UidValidity,
            });
        }));
        return command;
    }

    private static Command CreateSelect(MailOptions options)
    {
        var mailbox = MailboxArgument();
        var readOnly = new Option<bool>("--read-only") { Description = "Open with EXAMINE, so nothing changes" };
        var command = new Command("select", "Open a mailbox and show its state.") { mailbox, readOnly };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            string name = result.GetRequiredValue(mailbox);
            SelectedMailbox selected = result.GetValue(readOnly)
                ? await client.ExamineAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.SelectAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
            output.Line($"{selected.Name}: {selected.Count} messages, {selected.Recent} recent, " +
                $"UIDVALIDITY {selected.UidValidity}, UIDNEXT {selected.UidNext}" +
                (selected.IsReadOnly ? ", read-only" : ""));
            output.Line("flags: " + selected.Flags);
            output.Json(new JsonObject
            {
                ["mailbox"] = selected.Name,
                ["messages"] = selected.Count,
                ["recent"] = selected.Recent,
                ["uidValidity"] = selected.UidValidity,
                ["uidNext"] = selected.UidNext,
                ["readOnly"] = selected.IsReadOnly,
                ["flags"] = Output.StringArray(SplitFlags(selected.Flags.ToString())),
            });
        }));
        return command;
    }

    private static Command CreateIdle(MailOptions options)
    {
        var mailbox = MailboxArgument();
        var seconds = new Option<int>("--seconds")
        {
            Description = "Stop after this many seconds (default: until Ctrl+C)",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("idle", "Wait in IDLE and print changes to a mailbox as the server reports them.")
        {
            mailbox, seconds,
        };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            await client.SelectAsync(result.GetRequiredValue(mailbox), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var events = new JsonArray();
            client.CountChanged += (_, e) => Report(output, events, "exists", e.Count);
            client.MessagesExpunged += (_, e) => Report(output, events, "expunged", e.SequenceNumber);
            client.FlagsChanged += (_, e) => Report(output, events, "flags", e.Fetch.SequenceNumber);
            Output.Status("idling; press Ctrl+C to stop");
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (result.GetValue(seconds) is > 0 and int limit)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(limit));
            }

            await client.IdleAsync(stop.Token).ConfigureAwait(false);
            output.Json(new JsonObject { ["events"] = events });
        }));
        return command;
    }

    private static void Report(Output output, JsonArray events, string kind, uint number)
    {
        output.Line($"{kind} {number.ToString(CultureInfo.InvariantCulture)}");
        lock (events)
        {
            events.Add((JsonNode?)new JsonObject { ["event"] = kind, ["number"] = number });
        }
    }

    private static Argument<string> MailboxArgument() => new("mailbox") { Description = "Mailbox name, for example INBOX" };

    private static IEnumerable<string> SplitFlags(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(flag => flag != "None");

    private static Func<ParseResult, CancellationToken, Task<int>> Run(
        MailOptions options, Func<ImapClient, Output, ParseResult, CancellationToken, Task> body)
    {
        return CommandRunner.Wrap(async (result, cancellationToken) =>
        {
            MailSession session = MailSession.Create(options, result);
            await using ConfiguredAsyncDisposable sessionScope = session.ConfigureAwait(false);
            ImapClient client = await ConnectAsync(session, cancellationToken).ConfigureAwait(false);
            await using ConfiguredAsyncDisposable clientScope = client.ConfigureAwait(false);
            await body(client, session.Output, result, cancellationToken).ConfigureAwait(false);

            // idle ends by Ctrl+C, which cancels the token; LOGOUT still goes out, bounded by --timeout.
            await client.LogoutAsync(CancellationToken.None).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
    }
}
