using System.Text;

namespace RawMail.Protocols.Pop3;

/// <summary>The kind of a POP3 status line.</summary>
internal enum Pop3ReplyKind
{
    /// <summary>"+OK", with or without text.</summary>
    Ok,

    /// <summary>"-ERR", with or without text.</summary>
    Error,

    /// <summary>"+" or "+ text": a SASL challenge (RFC 5034 section 4).</summary>
    Continuation,
}

/// <summary>One status line: its kind, its text after the first space, and the response code of an -ERR.</summary>
internal sealed class Pop3Reply
{
    public Pop3Reply(Pop3ReplyKind kind, byte[] text, Pop3ResponseCode code)
    {
        Kind = kind;
        TextBytes = text;
        Code = code;
    }

    public Pop3ReplyKind Kind { get; }

    /// <summary>The bytes after "+OK ", "-ERR " or "+ ", without the line end.</summary>
    public byte[] TextBytes { get; }

    public Pop3ResponseCode Code { get; }

    public bool IsOk => Kind == Pop3ReplyKind.Ok;

    /// <summary>The text decoded as UTF-8, invalid sequences replaced.</summary>
    public string Text => Encoding.UTF8.GetString(TextBytes);
}
