using System.Buffers;
using System.Globalization;
using System.Text;
using RawMail.Transport;

namespace RawMail.Protocols.Imap.Commands;

/// <summary>What one piece of a command is and how it is sent and logged.</summary>
internal enum CommandPartKind
{
    /// <summary>Command text, logged as sent.</summary>
    Text,

    /// <summary>A literal's octets held in memory, logged as their length.</summary>
    Literal,

    /// <summary>A literal's octets that are secret (a LOGIN password), logged as a mask.</summary>
    SecretLiteral,

    /// <summary>A literal read from a caller's stream in chunks, logged as its length.</summary>
    StreamLiteral,
}

/// <summary>One piece of a command; <paramref name="IsLiteral8"/> announces a literal as <c>~{n}</c> (RFC 3516).</summary>
internal sealed record CommandPart(CommandPartKind Kind, byte[]? Bytes, Stream? Stream, long Length,
    bool IsLiteral8 = false);

/// <summary>
/// One command as text pieces and literals, built before anything is sent so that a caller argument with CR, LF
/// or NUL is rejected before the first byte reaches the wire.
/// </summary>
/// <remarks>
/// Every caller string is sent as an atom, a quoted string or a literal, whichever the grammar of RFC 9051
/// section 4.3 allows for its characters. The tag and the final CRLF are added by the client.
/// </remarks>
internal sealed class ImapCommand
{
    private readonly List<CommandPart> _parts = [];
    private readonly ArrayBufferWriter<byte> _text = new(64);

    public ImapCommand(string name)
    {
        Name = name;
        AppendRaw(name);
    }

    /// <summary>The command name for error messages, for example <c>SELECT</c>.</summary>
    public string Name { get; }

    /// <summary>Whether string arguments may carry UTF-8 in quoted strings (RFC 6855 section 3).</summary>
    public bool Utf8 { get; init; }

    /// <summary>
    /// The wire form of mailbox names the server listed in a form other than the canonical encoding, by name.
    /// </summary>
    public IReadOnlyDictionary<string, string>? WireNames { get; init; }

    public IReadOnlyList<CommandPart> Parts
    {
        get
        {
            FlushText();
            return _parts;
        }
    }

    /// <summary>Appends protocol text that the client itself produced; it must be printable ASCII.</summary>
    public ImapCommand AppendRaw(string text)
    {
        ProtocolText.ThrowIfContainsLineBreakOrNul(text, nameof(text));
        Encoding.ASCII.GetBytes(text, _text);
        return this;
    }

    public ImapCommand Space() => AppendRaw(" ");

    public ImapCommand AppendNumber(ulong value) => AppendRaw(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Appends a caller string as an atom when it is one, else as a quoted string or a literal.</summary>
    public ImapCommand AppendAString(string value)
    {
        ProtocolText.ThrowIfContainsLineBreakOrNul(value, nameof(value));
        return ImapQuoting.IsAString(value) ? AppendRaw(value) : AppendString(value, secret: false);
    }

    /// <summary>Appends a caller string as a quoted string or, when it cannot be quoted, a literal.</summary>
    public ImapCommand AppendString(string value, bool secret = false)
    {
        ProtocolText.ThrowIfContainsLineBreakOrNul(value, nameof(value));
        if (ImapQuoting.IsQuotable(value, Utf8))
        {
            // A quoted string carries UTF-8 only under UTF8=ACCEPT; IsQuotable lets non-ASCII through only then.
            Encoding.UTF8.GetBytes(ImapQuoting.Quote(value), _text);
            return this;
        }

        return AppendLiteral(Encoding.UTF8.GetBytes(value), secret);
    }

    /// <summary>
    /// Appends a mailbox name in modified UTF-7 (RFC 3501 section 5.1.3) unless UTF-8 is enabled. A name the server
    /// listed in a non-canonical encoding is sent back in the server's own form, because re-encoding it would name
    /// a different mailbox.
    /// </summary>
    public ImapCommand AppendMailbox(string name)
    {
        ProtocolText.ThrowIfContainsLineBreakOrNul(name, nameof(name));
        return AppendAString(EncodeMailbox(name));
    }

    /// <summary>Returns the wire form of a mailbox name, as <see cref="AppendMailbox"/> sends it.</summary>
    public string EncodeMailbox(string name)
    {
        if (name.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return "INBOX";
        }

        if (WireNames is not null && WireNames.TryGetValue(name, out string? wire))
        {
            return wire;
        }

        return Utf8 ? name : ModifiedUtf7.Encode(name);
    }

    public ImapCommand AppendLiteral(byte[] data, bool secret = false)
    {
        FlushText();
        _parts.Add(new CommandPart(secret ? CommandPartKind.SecretLiteral : CommandPartKind.Literal, data, null,
            data.Length));
        return this;
    }

    /// <summary>
    /// Appends a literal read from <paramref name="data"/>; <paramref name="literal8"/> announces it as a literal8,
    /// which may carry any octet including NUL (RFC 3516 section 4.2, used by UTF8 APPEND in RFC 6855 section 4).
    /// </summary>
    public ImapCommand AppendLiteral(Stream data, long length, bool literal8 = false)
    {
        FlushText();
        _parts.Add(new CommandPart(CommandPartKind.StreamLiteral, null, data, length, literal8));
        return this;
    }

    public override string ToString() => Name;

    private void FlushText()
    {
        if (_text.WrittenCount == 0)
        {
            return;
        }

        _parts.Add(new CommandPart(CommandPartKind.Text, _text.WrittenSpan.ToArray(), null, _text.WrittenCount));
        _text.ResetWrittenCount();
    }
}
