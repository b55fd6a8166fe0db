using System.Text;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp;

/// <summary>The server rejected a command with a 4xx or 5xx reply. The connection stays usable.</summary>
public class SmtpCommandException : MailCommandException
{
    public SmtpCommandException(string message, SmtpReply reply)
        : base(ReasonOf(reply), message, Encoding.UTF8.GetBytes(NotNull(reply).ToString()))
    {
        Reply = reply;
    }

    public SmtpReply Reply { get; }

    /// <summary>4xx maps to <see cref="CommandErrorReason.TransientFailure"/>, anything else to a permanent one.</summary>
    public static CommandErrorReason ReasonOf(SmtpReply? reply) =>
        reply is { IsTransientNegative: true }
            ? CommandErrorReason.TransientFailure
            : CommandErrorReason.PermanentFailure;

    private static SmtpReply NotNull(SmtpReply reply) => reply ?? throw new ArgumentNullException(nameof(reply));
}

/// <summary>
/// The server refused every recipient of a message, so nothing was sent. The connection stays usable for the
/// next message.
/// </summary>
public sealed class SmtpRecipientsRefusedException : SmtpCommandException
{
    public SmtpRecipientsRefusedException(IReadOnlyList<SmtpRefusedRecipient> refused)
        : base("The server refused every recipient", LastReply(refused))
    {
        Refused = refused;
    }

    public IReadOnlyList<SmtpRefusedRecipient> Refused { get; }

    private static SmtpReply LastReply(IReadOnlyList<SmtpRefusedRecipient> refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        if (refused.Count == 0)
        {
            throw new ArgumentException("The list of refused recipients is empty. Pass at least one refused recipient.", nameof(refused));
        }

        return refused[^1].Reply;
    }
}
