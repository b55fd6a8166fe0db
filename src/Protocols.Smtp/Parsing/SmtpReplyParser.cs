using System.Buffers;
using System.Text;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp;

/// <summary>
/// Pure, resumable parser for SMTP replies (RFC 5321 section 4.2). It consumes a reply only when its last line
/// has arrived, so a reply split over any number of reads parses the same.
/// </summary>
public static class SmtpReplyParser
{
    /// <summary>
    /// Default maximum length of one reply line in bytes, without CRLF. RFC 5321 section 4.5.3.1.5 allows 512
    /// octets; real servers send longer banners and EHLO lines, so the default is generous.
    /// </summary>
    public const int DefaultMaxLineLength = 8192;

    /// <summary>Maximum number of lines in one reply, so a server cannot make the client buffer without end.</summary>
    public const int MaxLines = 256;

    /// <summary>
    /// Parses one reply from the front of <paramref name="reader"/>. Returns false, with the reader unmoved, when the
    /// last line has not arrived yet.
    /// </summary>
    /// <exception cref="MailProtocolException">
    /// <see cref="ProtocolErrorReason.MalformedResponse"/> when a line does not start with a reply code followed by
    /// a space, a hyphen or CRLF, or the reply has more than <see cref="MaxLines"/> lines;
    /// <see cref="ProtocolErrorReason.LineTooLong"/> when a line exceeds <paramref name="maxLineLength"/>.
    /// </exception>
    public static bool TryParse(ref SequenceReader<byte> reader, int maxLineLength, out SmtpReply reply)
    {
        SequenceReader<byte> probe = reader;
        var lines = new List<string>();
        while (true)
        {
            if (!LineReader.TryReadLine(ref probe, maxLineLength, out ReadOnlySequence<byte> line))
            {
                reply = null!;
                return false;
            }

            if (lines.Count == MaxLines)
            {
                TransportThrow.MalformedResponse($"The server sent a reply of more than {MaxLines} lines.");
            }

            bool isLast = ParseLine(line, out int code, out string text);
            lines.Add(text);
            if (isLast)
            {
                reply = new SmtpReply(code, lines, ParseEnhancedStatusCode(text, code));
                reader = probe;
                return true;
            }
        }
    }

    /// <summary>Parses one reply with <see cref="DefaultMaxLineLength"/>; fits <see cref="ResponseParser{TResult}"/>.</summary>
    public static bool TryParse(ref SequenceReader<byte> reader, out SmtpReply reply) =>
        TryParse(ref reader, DefaultMaxLineLength, out reply);

    /// <summary>
    /// Reads an enhanced status code (RFC 3463 section 2: class "." subject "." detail, each of one to three
    /// digits) at the start of <paramref name="text"/>. RFC 2034 section 3 requires its class to match the first
    /// digit of the reply code, so a mismatch is ordinary text.
    /// </summary>
    public static SmtpEnhancedStatusCode? ParseEnhancedStatusCode(string text, int replyCode)
    {
        ArgumentNullException.ThrowIfNull(text);
        ReadOnlySpan<char> rest = text;
        if (!TryReadNumber(ref rest, 1, out int statusClass) || statusClass != replyCode / 100
            || !TryReadDot(ref rest)
            || !TryReadNumber(ref rest, 3, out int subject)
            || !TryReadDot(ref rest)
            || !TryReadNumber(ref rest, 3, out int detail)
            || (!rest.IsEmpty && rest[0] != ' '))
        {
            return null;
        }

        return new SmtpEnhancedStatusCode(statusClass, subject, detail);
    }

    // Returns true for the last line of a reply: code followed by a space, or the code alone. RFC 5321 section
    // 4.2 requires the client to accept a code with no text and no space.
    private static bool ParseLine(ReadOnlySequence<byte> line, out int code, out string text)
    {
        Span<byte> head = stackalloc byte[4];
        int headLength = (int)Math.Min(line.Length, head.Length);
        line.Slice(0, headLength).CopyTo(head);
        if (headLength < 3
            || head[0] is < (byte)'2' or > (byte)'5'
            || !char.IsAsciiDigit((char)head[1])
            || !char.IsAsciiDigit((char)head[2]))
        {
            TransportThrow.MalformedResponse(
                $"The server sent a reply line that does not start with a reply code: '{Describe(line)}'.");
        }

        code = ((head[0] - '0') * 100) + ((head[1] - '0') * 10) + (head[2] - '0');
        if (headLength == 3)
        {
            text = string.Empty;
            return true;
        }

        if (head[3] is not ((byte)' ' or (byte)'-'))
        {
            TransportThrow.MalformedResponse(
                $"The server sent a reply code followed by neither a space nor a hyphen: '{Describe(line)}'.");
        }

        text = Encoding.UTF8.GetString(line.Slice(4));
        return head[3] == ' ';
    }

    private static bool TryReadNumber(ref ReadOnlySpan<char> text, int maxDigits, out int value)
    {
        int length = 0;
        value = 0;
        while (length < text.Length && length <= maxDigits && char.IsAsciiDigit(text[length]))
        {
            value = (value * 10) + (text[length] - '0');
            length++;
        }

        if (length == 0 || length > maxDigits)
        {
            return false;
        }

        text = text[length..];
        return true;
    }

    private static bool TryReadDot(ref ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text[0] != '.')
        {
            return false;
        }

        text = text[1..];
        return true;
    }

    private static string Describe(ReadOnlySequence<byte> line)
    {
        const int maxShown = 64;
        ReadOnlySequence<byte> shown = line.Length > maxShown ? line.Slice(0, maxShown) : line;
        return ProtocolText.Escape(shown.ToArray(), maxShown * 4);
    }
}
