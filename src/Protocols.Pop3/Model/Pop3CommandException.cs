using RawMail.Transport;

namespace RawMail.Protocols.Pop3;

/// <summary>
/// A POP3 command that the server rejected with -ERR. The connection stays usable.
/// </summary>
/// <remarks>
/// Authentication commands that fail without a response code, or with [AUTH], throw
/// <see cref="MailAuthenticationException"/> instead. Those that fail with [IN-USE], [LOGIN-DELAY], [SYS/TEMP] or
/// [SYS/PERM] throw this type, because the credentials may be right and retrying with others would not help.
/// </remarks>
public sealed class Pop3CommandException : MailCommandException
{
    public Pop3CommandException(
        string command,
        Pop3ResponseCode responseCode,
        string message,
        ReadOnlySpan<byte> responseText)
        : base(ReasonFor(responseCode), message, responseText)
    {
        Command = command;
        ResponseCode = responseCode;
    }

    /// <summary>The command keyword that failed, for example "RETR"; arguments are left out.</summary>
    public string Command { get; }

    /// <summary>
    /// The bracketed response code at the start of the -ERR text, or <see cref="Pop3ResponseCode.None"/>.
    /// </summary>
    public Pop3ResponseCode ResponseCode { get; }

    private static CommandErrorReason ReasonFor(Pop3ResponseCode code) => code switch
    {
        Pop3ResponseCode.InUse or Pop3ResponseCode.LoginDelay or Pop3ResponseCode.SystemTemporary =>
            CommandErrorReason.TransientFailure,
        Pop3ResponseCode.Authentication => CommandErrorReason.AuthenticationFailed,
        _ => CommandErrorReason.PermanentFailure,
    };
}
