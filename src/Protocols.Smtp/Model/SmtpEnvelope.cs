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

    public IReadOnlyList<SmtpRecipient> Recipients { get; }
}
