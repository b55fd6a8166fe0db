namespace RawMail.Protocols.Smtp;

/// <summary>The outcome of a message the server accepted for at least one recipient.</summary>
public sealed class SendResult
{
    public SendResult(
        IReadOnlyList<SmtpRecipient> accepted,
        IReadOnlyList<SmtpRefusedRecipient> refused,
        SmtpReply reply)
    {
        Accepted = accepted;
        Refused = refused;
        Reply = reply;
    }

    /// <summary>The recipients the server accepted with a 2xx reply to RCPT TO.</summary>
    public IReadOnlyList<SmtpRecipient> Accepted { get; }

    /// <summary>The recipients the server refused, each with its reply; the message was not sent to them.</summary>
    public IReadOnlyList<SmtpRefusedRecipient> Refused { get; }

    /// <summary>The reply to the end of the message data, often with a queue id ("250 2.0.0 Ok: queued as ...").</summary>
    public SmtpReply Reply { get; }
}

/// <summary>A recipient the server refused, with the reply to its RCPT TO.</summary>
public sealed record SmtpRefusedRecipient(SmtpRecipient Recipient, SmtpReply Reply);
