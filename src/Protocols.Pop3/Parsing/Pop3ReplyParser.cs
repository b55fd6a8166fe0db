using System.Buffers;
using System.Text;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3;

/// <summary>
/// Pure parser for POP3 status lines (RFC 1939 section 3) and SASL continuations (RFC 5034 section 4).
/// </summary>
internal static class Pop3ReplyParser
{
    // Maximum length of server text shown in an exception message.
    private const int MaxShownLength = 100;

    /// <summary>
    /// Reads one status line, or returns false with the reader unmoved when no complete line is buffered.
    /// </summary>
    /// <exception cref="MailProtocolException">
    /// <see cref="ProtocolErrorReason.MalformedResponse"/> when the line is neither +OK, -ERR nor, if allowed, a
    /// continuation; <see cref="ProtocolErrorReason.LineTooLong"/> past <paramref name="maxLineLength"/>.
    /// </exception>
    public static bool TryParse(
        ref SequenceReader<byte> reader,
        int maxLineLength,
        LineEnding lineEnding,
        bool allowContinuation,
        out Pop3Reply reply)
    {
        if (!LineReader.TryReadLine(ref reader, maxLineLength, out ReadOnlySequence<byte> line, lineEnding))
        {
            reply = null!;
            return false;
        }

        reply = Parse(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), allowContinuation);
        return true;
    }

    /// <summary>Parses a status line without its line end.</summary>
    public static Pop3Reply Parse(ReadOnlySpan<byte> line, bool allowContinuation)
    {
        if (TryMatchStatus(line, "+OK"u8, out ReadOnlySpan<byte> text))
        {
            return new Pop3Reply(Pop3ReplyKind.Ok, text.ToArray(), Pop3ResponseCode.None);
        }

        if (TryMatchStatus(line, "-ERR"u8, out text))
        {
            return new Pop3Reply(Pop3ReplyKind.Error, text.ToArray(), ParseResponseCode(text));
        }

        if (allowContinuation && TryMatchStatus(line, "+"u8, out text))
        {
            return new Pop3Reply(Pop3ReplyKind.Continuation, text.ToArray(), Pop3ResponseCode.None);
        }

        TransportThrow.MalformedResponse(
            $"The server sent '{ProtocolText.Escape(line, MaxShownLength)}' where a POP3 status line (+OK or -ERR) "
                + "was expected.");
        return null;
    }

    /// <summary>
    /// Reads the bracketed code at the start of an -ERR text (RFC 2449 section 8). Hierarchical codes such as
    /// SYS/TEMP compare whole; an unknown code is <see cref="Pop3ResponseCode.Unknown"/>.
    /// </summary>
    public static Pop3ResponseCode ParseResponseCode(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text[0] != (byte)'[')
        {
            return Pop3ResponseCode.None;
        }

        int end = text.IndexOf((byte)']');
        if (end < 0)
        {
            return Pop3ResponseCode.None;
        }

        ReadOnlySpan<byte> code = text[1..end];
        if (Ascii.EqualsIgnoreCase(code, "IN-USE"u8))
        {
            return Pop3ResponseCode.InUse;
        }

        if (Ascii.EqualsIgnoreCase(code, "LOGIN-DELAY"u8))
        {
            return Pop3ResponseCode.LoginDelay;
        }

        if (Ascii.EqualsIgnoreCase(code, "SYS/TEMP"u8))
        {
            return Pop3ResponseCode.SystemTemporary;
        }

        if (Ascii.EqualsIgnoreCase(code, "SYS/PERM"u8))
        {
            return Pop3ResponseCode.SystemPermanent;
        }

        if (Ascii.EqualsIgnoreCase(code, "AUTH"u8))
        {
            return Pop3ResponseCode.Authentication;
        }

        return Ascii.EqualsIgnoreCase(code, "UTF8"u8) ? Pop3ResponseCode.Utf8 : Pop3ResponseCode.Unknown;
    }

    // Matches "status" alone or "status SP text". RFC 1939 section 3 requires servers to send the status in upper
    // case. The client accepts any case, which costs nothing and cannot be mistaken for another reply.
    private static bool TryMatchStatus(ReadOnlySpan<byte> line, ReadOnlySpan<byte> status, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (line.Length < status.Length || !Ascii.EqualsIgnoreCase(line[..status.Length], status))
        {
            return false;
        }

        if (line.Length == status.Length)
        {
            return true;
        }

        if (line[status.Length] != (byte)' ')
        {
            return false;
        }

        text = line[(status.Length + 1)..];
        return true;
    }
}
