using System.Runtime.CompilerServices;
using System.Globalization;
using RawMail.Mime;
using RawMail.Protocols.Imap;
using RawMail.Transport;

namespace RawMail.Cli.Demo;

internal sealed partial class DemoMail
{
    private static readonly TimeSpan s_deliveryLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(200);

    public async Task<string> ReadWithImapAsync(string subject, CancellationToken cancellationToken)
    {
        var options = new ImapClientOptions
        {
            Connection = Connection(servers.ImapsPort, TlsMode.Implicit),
            SaslMechanisms = s_xoauth2,
        };
        ImapClient client = await ImapClient.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable clientScope = client.ConfigureAwait(false);
        await client.AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
        await client.SelectAsync("INBOX", cancellationToken: cancellationToken).ConfigureAwait(false);

        // Postfix hands the message to Dovecot asynchronously, so it appears in INBOX a moment after the send.
        uint uid = await PollAsync(async () =>
        {
            SearchResult found = await client.SearchAsync(SearchQuery.Subject(subject), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return found.Max;
        }, "IMAP INBOX", cancellationToken).ConfigureAwait(false);

        using var body = new MemoryStream();
        long size = await client.DownloadBodyAsync(uid, body, cancellationToken: cancellationToken).ConfigureAwait(false);
        body.Position = 0;
        using MimeMessage message = await MimeParser.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        RequireSubject(message.Subject, subject, "IMAP");
        await client.LogoutAsync(cancellationToken).ConfigureAwait(false);
        return $"UID {uid.ToString(CultureInfo.InvariantCulture)}, {size.ToString(CultureInfo.InvariantCulture)} bytes, " +
            $"subject \"{message.Subject}\"";
    }

    private static async Task<uint> PollAsync(Func<Task<uint?>> probe, string where, CancellationToken cancellationToken)
    {
        DateTimeOffset deadline = DateTimeOffset.UtcNow + s_deliveryLimit;
        while (true)
        {
            if (await probe().ConfigureAwait(false) is { } found)
            {
                return found;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new CliException(ExitCodes.Other,
                    $"The message did not arrive in {where} within {s_deliveryLimit.TotalSeconds} s.");
            }

            await Task.Delay(s_pollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
