using System.Runtime.CompilerServices;
using System.CommandLine;
using System.Text.Json.Nodes;
using RawMail.Mime;
using RawMail.Protocols.Smtp;
using RawMail.Transport;

namespace RawMail.Cli.Commands;

/// <summary>rawmail smtp send: composes a message (or takes a .eml file) and submits it.</summary>
internal static class SmtpCommands
{
    private const long ProgressThreshold = 1024 * 1024;

    public static Command Create()
    {
        var options = new MailOptions(MailProtocol.Smtp);
        var group = new Command("smtp", "Send mail over SMTP submission (RFC 6409).");
        options.AddTo(group);
        group.Subcommands.Add(CreateSend(options));
        return group;
    }

    private static Command CreateSend(MailOptions options)
    {
        var from = new Option<string?>("--from") { Description = "Sender address (default: --user)" };
        var to = new Option<string[]>("--to") { Description = "Recipient; repeat for each" };
        var cc = new Option<string[]>("--cc") { Description = "Copy recipient; repeat for each" };
        var bcc = new Option<string[]>("--bcc")
        {
            Description = "Blind copy recipient (not written into the message); repeat for each",
        };
        var subject = new Option<string?>("--subject") { Description = "Subject line" };
        var text = new Option<string?>("--text") { Description = "Plain text body" };
        var textFile = new Option<FileInfo?>("--text-file") { Description = "File with the plain text body (UTF-8)" };
        var html = new Option<string?>("--html") { Description = "HTML body" };
        var htmlFile = new Option<FileInfo?>("--html-file") { Description = "File with the HTML body (UTF-8)" };
        var attach = new Option<FileInfo[]>("--attach") { Description = "File to attach; repeat for each" };
        var eml = new Option<FileInfo?>("--eml")
        {
            Description = "Send this RFC 5322 message file unchanged; the recipients come from --to, --cc and --bcc, " +
                "else from its To, Cc and Bcc headers",
        };
        var command = new Command("send", "Send a message.")
        {
            from, to, cc, bcc, subject, text, textFile, html, htmlFile, attach, eml,
        };
        command.SetAction(CommandRunner.Wrap(async (result, cancellationToken) =>
        {
            MailSession session = MailSession.Create(options, result);
            await using ConfiguredAsyncDisposable sessionScope = session.ConfigureAwait(false);
            string sender = result.GetValue(from) ?? result.GetRequiredValue(options.User);
            string[] recipients = [.. Values(result, to), .. Values(result, cc), .. Values(result, bcc)];
            if (recipients.Length == 0 && result.GetValue(eml) is null)
            {
                throw CliException.Usage("Give at least one recipient with --to, --cc or --bcc.");
            }

            SmtpClient client = await ConnectAsync(session, cancellationToken).ConfigureAwait(false);
            await using ConfiguredAsyncDisposable clientScope = client.ConfigureAwait(false);

            SendResult sent;
            if (result.GetValue(eml) is { } file)
            {
                sent = await SendFileAsync(client, file, sender, recipients, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                using MimeMessage message = Compose(result, sender, to, cc, bcc, subject, text, textFile, html, htmlFile, attach);
                sent = await client.SendAsync(message, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await client.QuitAsync(cancellationToken).ConfigureAwait(false);
            Report(session.Output, sent);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static async Task<SmtpClient> ConnectAsync(MailSession session, CancellationToken cancellationToken)
    {
        SmtpClient client;
        try
        {
            client = await SmtpClient.ConnectAsync(
                new SmtpClientOptions { Connection = session.Connection }, cancellationToken).ConfigureAwait(false);
        }
        catch (MailProtocolException ex)
        {
            throw ConnectionHints.Explain(ex, session.Connection, "SMTP");
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

    private static string[] Values(ParseResult result, Option<string[]> option) => result.GetValue(option) ?? [];

    private static async Task<SendResult> SendFileAsync(
        SmtpClient client, FileInfo file, string sender, string[] recipients, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            throw CliException.Usage($"The message file {file.FullName} does not exist.");
        }

        SmtpEnvelope envelope;
        if (recipients.Length > 0)
        {
            envelope = new SmtpEnvelope(sender, recipients);
        }
        else
        {
            FileStream headers = file.OpenRead();
            await using ConfiguredAsyncDisposable headersScope = headers.ConfigureAwait(false);
            using MimeMessage parsed = await MimeParser.ParseAsync(headers, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            SmtpEnvelope fromHeaders = SmtpEnvelope.FromMessage(parsed);
            envelope = new SmtpEnvelope(sender, fromHeaders.Recipients);
        }

        var progress = new TransferProgress("sending " + file.Name, file.Length, file.Length >= ProgressThreshold);
        var stream = new ProgressStream(file.OpenRead(), progress);
        await using ConfiguredAsyncDisposable streamScope = stream.ConfigureAwait(false);
        SendResult sent = await client.SendAsync(envelope, stream, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        progress.Complete();
        return sent;
    }

    private static MimeMessage Compose(
        ParseResult result, string sender, Option<string[]> to, Option<string[]> cc, Option<string[]> bcc,
        Option<string?> subject, Option<string?> text, Option<FileInfo?> textFile, Option<string?> html,
        Option<FileInfo?> htmlFile, Option<FileInfo[]> attach)
    {
        var message = new MimeMessage
        {
            Subject = result.GetValue(subject) ?? "",
            Date = DateTimeOffset.Now,
            MessageId = Guid.NewGuid().ToString("N") + "@rawmail.invalid",
            TextBody = result.GetValue(text) ?? ReadText(result.GetValue(textFile)),
            HtmlBody = result.GetValue(html) ?? ReadText(result.GetValue(htmlFile)),
        };
        message.From.Add(new MailboxAddress(sender));
        AddAddresses(message.To, Values(result, to));
        AddAddresses(message.Cc, Values(result, cc));
        AddAddresses(message.Bcc, Values(result, bcc));
        if (message.TextBody is null && message.HtmlBody is null)
        {
            message.TextBody = "";
        }

        foreach (FileInfo file in result.GetValue(attach) ?? [])
        {
            if (!file.Exists)
            {
                throw CliException.Usage($"The attachment {file.FullName} does not exist.");
            }

            string path = file.FullName;
            message.Attachments.Add(new Attachment(
                file.Name, MediaTypes.ForFileName(file.Name), MimeContent.FromStream(() => File.OpenRead(path), file.Length)));
        }

        return message;
    }

    private static string? ReadText(FileInfo? file) => file is null ? null : File.ReadAllText(file.FullName);

    private static void AddAddresses(List<InternetAddress> target, string[] values)
    {
        foreach (string value in values)
        {
            target.AddRange(AddressParser.ParseList(value));
        }
    }

    private static void Report(Output output, SendResult sent)
    {
        var accepted = new JsonArray();
        foreach (SmtpRecipient recipient in sent.Accepted)
        {
            accepted.Add((JsonNode?)JsonValue.Create(recipient.Address));
            output.Line("accepted: " + recipient.Address);
        }

        var refused = new JsonArray();
        foreach (SmtpRefusedRecipient recipient in sent.Refused)
        {
            refused.Add((JsonNode?)new JsonObject
            {
                ["address"] = recipient.Recipient.Address,
                ["code"] = recipient.Reply.Code,
                ["text"] = recipient.Reply.Text,
            });
            output.Line($"refused:  {recipient.Recipient.Address} ({recipient.Reply.Code}: {recipient.Reply.Text})");
        }

        output.Line($"sent: {sent.Reply.Code} {sent.Reply.Text}");
        output.Json(new JsonObject
        {
            ["accepted"] = accepted,
            ["refused"] = refused,
            ["reply"] = new JsonObject { ["code"] = sent.Reply.Code, ["text"] = sent.Reply.Text },
        });
    }
}
