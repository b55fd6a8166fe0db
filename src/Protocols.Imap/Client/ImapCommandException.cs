using RawMail.Protocols.Imap.Model;
using RawMail.Transport;

namespace RawMail.Protocols.Imap;

/// <summary>The server completed a command with a tagged NO or BAD. The connection stays usable.</summary>
public sealed class ImapCommandException : MailCommandException
{
    public ImapCommandException(CommandErrorReason reason, string message, string responseText, ResponseCode? code)
        : base(reason, message, System.Text.Encoding.UTF8.GetBytes(responseText))
    {
        Code = code;
    }

    /// <summary>The response code of the completion, for example TRYCREATE (RFC 9051 section 7.1), or null.</summary>
    public ResponseCode? Code { get; }

    /// <summary>The kind of <see cref="Code"/>, or <see cref="ResponseCodeKind.Unknown"/> when there is none.</summary>
    public ResponseCodeKind CodeKind => Code?.Kind ?? ResponseCodeKind.Unknown;
}
