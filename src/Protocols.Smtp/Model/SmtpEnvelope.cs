using RawMail.Mime;

namespace RawMail.Protocols.Smtp;

/// <summary>
/// The SMTP envelope of one message (RFC 5321 section 2.3.1): the reverse path for MAIL FROM and the forward paths
/// for RCPT TO. It is independent of the From, To and Cc headers inside the message.
/// </summary>
public sealed class SmtpEnvelope
{
    /// <param name="from">The sender's address without angle brackets; empty for the null reverse path "&lt;&gt;".</param>
    /// <param name="recipients">One or more recipients.</param>
    public SmtpEnvelope(string from, IEnumerable<SmtpRecipient> recipients)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(recipients);
        From = from;
        Recipients = [.. recipients];
        if (Recipients.Count == 0)
        {
            throw new ArgumentException("The envelope needs at least one recipient.", nameof(recipients));
        }
    }

    /// <inheritdoc cref="SmtpEnvelope(string, IEnumerable{SmtpRecipient})"/>
    public SmtpEnvelope(string from, params IEnumerable<string> recipients)
        : this(from, (recipients ?? throw new ArgumentNullException(nameof(recipients)))
            .Select(address => new SmtpRecipient(address)))
    {
    }

    public string From { get; }

    /// <summary>
    /// Builds the envelope a message's headers imply: the Sender mailbox, else the first From mailbox, as the
    /// reverse path, and every To, Cc and Bcc mailbox (group members included) once, compared case-insensitively.
    /// </summary>
    /// <exception cref="ArgumentException">The message has no sender or no recipient.</exception>
    public static SmtpEnvelope FromMessage(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string from = message.Sender?.Address
            ?? message.From.SelectMany(address => address.Mailboxes).FirstOrDefault()?.Address
            ?? throw new ArgumentException("The message has no Sender or From mailbox for MAIL FROM.", nameof(message));
        string[] recipients = [.. message.To.Concat(message.Cc).Concat(message.Bcc)
            .SelectMany(address => address.Mailboxes)
            .Select(mailbox => mailbox.Address)
            .Distinct(StringComparer.OrdinalIgnoreCase)];
        if (recipients.Length == 0)
        {
            throw new ArgumentException("The message has no To, Cc or Bcc mailbox.", nameof(message));
        }

        return new SmtpEnvelope(from, recipients);
    }

    public IReadOnlyList<SmtpRecipient> Recipients { get; }
}
