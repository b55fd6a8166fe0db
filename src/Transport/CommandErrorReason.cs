namespace RawMail.Transport;

/// <summary>
/// Why the server rejected a command. Every <see cref="MailCommandException"/> carries one.
/// </summary>
public enum CommandErrorReason
{
    /// <summary>IMAP tagged NO: the command was understood but failed.</summary>
    No,

    /// <summary>IMAP tagged BAD: the server did not accept the command syntax or arguments.</summary>
    Bad,

    /// <summary>SMTP 4xx: a transient failure; the same command may succeed later.</summary>
    TransientFailure,

    /// <summary>SMTP 5xx or POP3 -ERR: a permanent failure.</summary>
    PermanentFailure,

    /// <summary>The server rejected the credentials or the SASL exchange.</summary>
    AuthenticationFailed,

    /// <summary>The command needs a server capability that the server does not announce.</summary>
    NotSupported,
}
