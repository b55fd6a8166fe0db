using System.Runtime.CompilerServices;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RawMail.Mime;
using RawMail.Protocols.Pop3;
using RawMail.Protocols.Smtp;
using RawMail.Sasl;
using RawMail.Transport;
using RawMail.Transport.Diagnostics;

namespace RawMail.Cli.Demo;

/// <summary>The demo's mail steps: submission over SMTP, then reading back over IMAP and POP3, each with XOAUTH2.</summary>
internal sealed partial class DemoMail(
    ServersState servers, X509Certificate2Collection trusted, ProtocolLog? log, SaslCredentials credentials)
{
    private static readonly string[] s_xoauth2 = ["XOAUTH2"];

    public async Task<string> SendAsync(string subject, CancellationToken cancellationToken)
    {
        var options = new SmtpClientOptions
        {
            Connection = Connection(servers.SubmissionPort, TlsMode.StartTls),
            MechanismOrder = s_xoauth2,
        };
        SmtpClient client = await SmtpClient.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable clientScope = client.ConfigureAwait(false);
        await client.AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
        using var message = new MimeMessage
        {
            Subject = subject,
            Date = DateTimeOffset.Now,
            TextBody = "Sent by rawmail demo through Postfix with SASL XOAUTH2.\r\n",
        };
        message.From.Add(new Mime.MailboxAddress("RawMail demo", servers.UserEmail));
        message.To.Add(new Mime.MailboxAddress(servers.UserEmail));
        SendResult sent = await client.SendAsync(message, cancellationToken: cancellationToken).ConfigureAwait(false);
        await client.QuitAsync(cancellationToken).ConfigureAwait(false);
        return $"{sent.Accepted.Count} recipient accepted, server reply {sent.Reply.Code} {sent.Reply.Text}";
    }

    public async Task<string> ReadWithPop3Async(string subject, CancellationToken cancellationToken)
    {
        var options = new Pop3ClientOptions
        {
            Host = servers.Host,
            Port = servers.Pop3sPort,
            TlsMode = TlsMode.Implicit,
            TrustedCertificateAuthorities = trusted,
            ProtocolLog = log,
            MechanismSelector = new SaslMechanismSelector(s_xoauth2),
        };
        Pop3Client client = await Pop3Client.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        await using ConfiguredAsyncDisposable clientScope = client.ConfigureAwait(false);
        await client.AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
        StatResult stat = await client.GetStatusAsync(cancellationToken).ConfigureAwait(false);

        // The newest message is last; TOP n 0 reads only the header while looking for the subject.
        for (int number = stat.MessageCount; number >= 1; number--)
        {
            using var header = new MemoryStream();
            await client.RetrieveTopAsync(number, 0, header, cancellationToken).ConfigureAwait(false);
            if (!Encoding.UTF8.GetString(header.ToArray()).Contains(subject, StringComparison.Ordinal))
            {
                continue;
            }

            using MimeMessage message = await client.RetrieveMessageAsync(number, null, cancellationToken).ConfigureAwait(false);
            RequireSubject(message.Subject, subject, "POP3");
            await client.QuitAsync(cancellationToken).ConfigureAwait(false);
            return $"message {number.ToString(CultureInfo.InvariantCulture)} of " +
                $"{stat.MessageCount.ToString(CultureInfo.InvariantCulture)}, " +
                $"subject \"{message.Subject}\"";
        }

        throw new CliException(ExitCodes.Other, $"POP3 shows {stat.MessageCount} messages, none with the subject \"{subject}\".");
    }

    private MailConnectionOptions Connection(int port, TlsMode tlsMode) => new()
    {
        Host = servers.Host,
        Port = port,
        TlsMode = tlsMode,
        TrustedCertificateAuthorities = trusted,
        ProtocolLog = log,
    };

    private static void RequireSubject(string? actual, string expected, string protocol)
    {
        if (actual != expected)
        {
            throw new CliException(
                ExitCodes.Other,
                $"{protocol} returned a message with the subject \"{actual}\", expected \"{expected}\".");
        }
    }
}
