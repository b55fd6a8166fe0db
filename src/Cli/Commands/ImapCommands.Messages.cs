using System.Runtime.CompilerServices;
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Cli.Commands;

internal static partial class ImapCommands
{
    private static Command CreateSearch(MailOptions options)
    {
        var mailbox = MailboxArgument();
        var subject = new Option<string?>("--subject") { Description = "Subject contains this text" };
        var from = new Option<string?>("--from") { Description = "From contains this text" };
        var to = new Option<string?>("--to") { Description = "To contains this text" };
        var text = new Option<string?>("--text") { Description = "Header or body contains this text" };
        var unseen = new Option<bool>("--unseen") { Description = "Only messages without \\Seen" };
        var since = new Option<string?>("--since") { Description = "Received on or after this date (yyyy-mm-dd)" };
        var command = new Command("search", "Search a mailbox and print the matching UIDs (all messages without criteria).")
        {
            mailbox, subject, from, to, text, unseen, since,
        };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            var criteria = new List<SearchQuery>();
            AddIfGiven(criteria, result.GetValue(subject), SearchQuery.Subject);
            AddIfGiven(criteria, result.GetValue(from), SearchQuery.From);
            AddIfGiven(criteria, result.GetValue(to), SearchQuery.To);
            AddIfGiven(criteria, result.GetValue(text), SearchQuery.Text);
            if (result.GetValue(unseen))
            {
                criteria.Add(SearchQuery.Unseen);
            }

            if (result.GetValue(since) is { } date)
            {
                criteria.Add(SearchQuery.Since(ParseDate(date)));
            }

            SearchQuery query = criteria.Count switch
            {
                0 => SearchQuery.All,
                1 => criteria[0],
                _ => SearchQuery.AllOf([.. criteria]),
            };
            await client.ExamineAsync(result.GetRequiredValue(mailbox), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            SearchResult found = await client.SearchAsync(query, cancellationToken: cancellationToken).ConfigureAwait(false);
            output.Line(found.Numbers.Count == 0
                ? "no messages match"
                : string.Join(' ', found.Numbers.Select(n => n.ToString(CultureInfo.InvariantCulture))));
            output.Json(new JsonObject
            {
                ["uids"] = new JsonArray([.. found.Numbers.Select(n => (JsonNode?)JsonValue.Create(n))]),
            });
        }));
        return command;
    }

    private static Command CreateFetch(MailOptions options)
    {
        var mailbox = MailboxArgument();
        var uids = UidsArgument();
        var raw = new Option<bool>("--raw")
        {
            Description = "Download the whole message (one UID) instead of a summary; \\Seen is left unchanged",
        };
        var outFile = new Option<FileInfo?>("--out")
        {
            Description = "With --raw: write the message to this file (default: standard output)",
        };
        var command = new Command("fetch", "Show a summary of messages by UID, or download one message.")
        {
            mailbox, uids, raw, outFile,
        };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            SequenceSet set = ParseUids(result.GetRequiredValue(uids));
            await client.ExamineAsync(result.GetRequiredValue(mailbox), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (result.GetValue(raw))
            {
                await DownloadAsync(client, output, set, result.GetValue(outFile), cancellationToken).ConfigureAwait(false);
                return;
            }

            IReadOnlyList<FetchResponse> fetched = await client.FetchAsync(
                set, new FetchRequest(FetchItems.Summary | FetchItems.Envelope), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var items = new JsonArray();
            foreach (FetchResponse message in fetched)
            {
                string from = string.Join(", ", message.Envelope?.From.Select(Describe) ?? []);
                string subject = message.Envelope?.Subject ?? "";
                output.Line($"{message.Uid}  {message.InternalDate:u}  {message.Size} bytes  [{message.Flags}]  {from}  {subject}");
                items.Add((JsonNode?)new JsonObject
                {
                    ["uid"] = message.Uid,
                    ["size"] = message.Size,
                    ["internalDate"] = message.InternalDate?.ToUniversalTime()
                        .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["flags"] = Output.StringArray([.. SplitFlags(message.Flags?.ToString() ?? ""), .. message.Keywords]),
                    ["from"] = from,
                    ["subject"] = subject,
                    ["messageId"] = message.Envelope?.MessageId,
                });
            }

            output.Json(new JsonObject { ["messages"] = items });
        }));
        return command;
    }

    private static async Task DownloadAsync(
        ImapClient client, Output output, SequenceSet set, FileInfo? file, CancellationToken cancellationToken)
    {
        uint[] numbers = [.. set.Enumerate().Take(2)];
        if (numbers.Length != 1 || numbers[0] == uint.MaxValue)
        {
            throw CliException.Usage("--raw downloads one message; give a single UID.");
        }

        if (output.IsJson && file is null)
        {
            throw CliException.Usage("--json with --raw needs --out FILE for the message itself.");
        }

        IReadOnlyList<FetchResponse> sizes = await client.FetchAsync(set, new FetchRequest(FetchItems.Uid | FetchItems.Size),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (sizes.Count == 0)
        {
            throw new CliException(ExitCodes.CommandRejected, $"The mailbox has no message with UID {numbers[0]}.");
        }

        long size = sizes[0].Size ?? 0;
        var progress = new TransferProgress($"fetch {numbers[0]}", size, size >= ProgressThreshold);
        Stream target = file is null ? Console.OpenStandardOutput() : file.Create();
        var stream = new ProgressStream(target, progress);
        await using ConfiguredAsyncDisposable streamScope = stream.ConfigureAwait(false);
        long written = await client.DownloadBodyAsync(numbers[0], stream, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        progress.Complete();
        if (file is not null)
        {
            output.Line($"UID {numbers[0]}: {written} bytes written to {file.FullName}");
        }

        output.Json(new JsonObject { ["uid"] = numbers[0], ["bytes"] = written, ["file"] = file?.FullName });
    }

    private static Command CreateAppend(MailOptions options)
    {
        var mailbox = MailboxArgument();
        var file = new Argument<FileInfo>("file") { Description = "RFC 5322 message file to upload" };
        var flags = new Option<string[]>("--flag")
        {
            Description = "Flag to set on the new message (seen, flagged, draft, ...); repeat for each",
        };
        var command = new Command("append", "Upload a message file to a mailbox.") { mailbox, file, flags };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            FileInfo message = result.GetRequiredValue(file);
            if (!message.Exists)
            {
                throw CliException.Usage($"The message file {message.FullName} does not exist.");
            }

            (MessageFlags systemFlags, List<string> keywords) = ParseFlags(result.GetValue(flags) ?? []);
            var progress = new TransferProgress("append " + message.Name, message.Length, message.Length >= ProgressThreshold);
            var stream = new ProgressStream(message.OpenRead(), progress);
            await using ConfiguredAsyncDisposable streamScope = stream.ConfigureAwait(false);
            AppendResult appended = await client.AppendAsync(result.GetRequiredValue(mailbox), stream, message.Length,
                systemFlags, keywords, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress.Complete();
            output.Line($"appended {message.Length} bytes" + (appended.Uid is { } uid ? $" as UID {uid}" : ""));
            output.Json(new JsonObject
            {
                ["uid"] = appended.Uid,
                ["uidValidity"] = appended.UidValidity,
                ["bytes"] = message.Length,
            });
        }));
        return command;
    }

    private static Command CreateFlag(MailOptions options)
    {
        var mailbox = MailboxArgument();
        var uids = UidsArgument();
        var add = new Option<string[]>("--add")
        {
            Description = "Flag to add (seen, answered, flagged, deleted, draft or a keyword); repeatable",
        };
        var remove = new Option<string[]>("--remove") { Description = "Flag to remove; repeatable" };
        var command = new Command("flag", "Add or remove flags on messages by UID.") { mailbox, uids, add, remove };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            string[] toAdd = result.GetValue(add) ?? [];
            string[] toRemove = result.GetValue(remove) ?? [];
            if (toAdd.Length == 0 && toRemove.Length == 0)
            {
                throw CliException.Usage("Give --add or --remove.");
            }

            SequenceSet set = ParseUids(result.GetRequiredValue(uids));
            await client.SelectAsync(result.GetRequiredValue(mailbox), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            foreach ((StoreAction action, string[] names) in new[] { (StoreAction.Add, toAdd), (StoreAction.Remove, toRemove) })
            {
                if (names.Length > 0)
                {
                    (MessageFlags systemFlags, List<string> keywords) = ParseFlags(names);
                    await client.StoreAsync(set, action, systemFlags, keywords, silent: true,
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }

            output.Line("flags changed on " + set);
            output.Json(new JsonObject
            {
                ["uids"] = set.ToString(),
                ["added"] = Output.StringArray(toAdd),
                ["removed"] = Output.StringArray(toRemove),
            });
        }));
        return command;
    }

    private static Command CreateCopyOrMove(MailOptions options, bool move)
    {
        var mailbox = MailboxArgument();
        var uids = UidsArgument();
        var target = new Argument<string>("target") { Description = "Destination mailbox" };
        string description = move ? "Move messages by UID to another mailbox." : "Copy messages by UID to another mailbox.";
        var command = new Command(move ? "move" : "copy", description)
        {
            mailbox, uids, target,
        };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            SequenceSet set = ParseUids(result.GetRequiredValue(uids));
            string destination = result.GetRequiredValue(target);
            await client.SelectAsync(result.GetRequiredValue(mailbox), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            CopyUidResponseCode? copied = move
                ? await client.MoveAsync(set, destination, cancellationToken).ConfigureAwait(false)
                : await client.CopyAsync(set, destination, cancellationToken: cancellationToken).ConfigureAwait(false);
            string verb = move ? "moved" : "copied";
            output.Line($"{verb} {set} to {destination}" + (copied?.TargetUids is { } uidsThere ? $" as UIDs {uidsThere}" : ""));
            output.Json(new JsonObject
            {
                [verb] = set.ToString(),
                ["target"] = destination,
                ["targetUids"] = copied?.TargetUids?.ToString(),
            });
        }));
        return command;
    }

    private static Command CreateExpunge(MailOptions options)
    {
        var mailbox = MailboxArgument();
        var uids = new Option<string?>("--uids")
        {
            Description = "Expunge only these UIDs (UID EXPUNGE); default: every \\Deleted message",
        };
        var command = new Command("expunge", "Remove messages marked \\Deleted.") { mailbox, uids };
        command.SetAction(Run(options, async (client, output, result, cancellationToken) =>
        {
            await client.SelectAsync(result.GetRequiredValue(mailbox), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var expunged = new List<uint>();
            client.MessagesExpunged += (_, e) => expunged.Add(e.SequenceNumber);
            if (result.GetValue(uids) is { } text)
            {
                await client.ExpungeAsync(ParseUids(text), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await client.ExpungeAsync(cancellationToken).ConfigureAwait(false);
            }

            output.Line($"expunged {expunged.Count} messages");
            output.Json(new JsonObject { ["expunged"] = expunged.Count });
        }));
        return command;
    }

    private static Argument<string> UidsArgument() =>
        new("uids") { Description = "UID set, for example 5, 1:10 or 3,7:9 (* is the highest UID)" };

    private static void AddIfGiven(List<SearchQuery> criteria, string? value, Func<string, SearchQuery> create)
    {
        if (value is not null)
        {
            criteria.Add(create(value));
        }
    }

    private static DateOnly ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly date)
            ? date
            : throw CliException.Usage($"'{text}' is not a date in the form yyyy-mm-dd.");

    /// <summary>Parses a UID set in the IMAP syntax (RFC 9051 section 9, sequence-set).</summary>
    internal static SequenceSet ParseUids(string text)
    {
        var ranges = new List<SequenceRange>();
        foreach (string part in text.Split(','))
        {
            int colon = part.IndexOf(':', StringComparison.Ordinal);
            uint start = ParseUid(colon < 0 ? part : part[..colon], text);
            uint end = colon < 0 ? start : ParseUid(part[(colon + 1)..], text);
            ranges.Add(start <= end ? new SequenceRange(start, end) : new SequenceRange(end, start));
        }

        return new SequenceSet(ranges);
    }

    private static uint ParseUid(string value, string whole)
    {
        if (value == "*")
        {
            return uint.MaxValue;
        }

        return uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint uid) && uid > 0
            ? uid
            : throw CliException.Usage($"'{whole}' is not a UID set; use numbers from 1, ranges like 1:5, commas and *.");
    }

    private static (MessageFlags Flags, List<string> Keywords) ParseFlags(IEnumerable<string> names)
    {
        MessageFlags flags = MessageFlags.None;
        var keywords = new List<string>();
        foreach (string name in names)
        {
            switch (name.TrimStart('\\').ToUpperInvariant())
            {
                case "SEEN": flags |= MessageFlags.Seen; break;
                case "ANSWERED": flags |= MessageFlags.Answered; break;
                case "FLAGGED": flags |= MessageFlags.Flagged; break;
                case "DELETED": flags |= MessageFlags.Deleted; break;
                case "DRAFT": flags |= MessageFlags.Draft; break;
                default:
                    keywords.Add(name);
                    break;
            }
        }

        return (flags, keywords);
    }

    private static string Describe(EnvelopeAddress address) => address switch
    {
        Protocols.Imap.Model.MailboxAddress { DisplayName: { Length: > 0 } name } mailbox => $"{name} <{mailbox.Address}>",
        Protocols.Imap.Model.MailboxAddress mailbox => mailbox.Address,
        _ => address.DisplayName ?? "",
    };
}
