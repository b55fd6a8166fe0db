using System.Globalization;
using System.Text;

namespace RawMail.Transport.Diagnostics;

public sealed partial class ProtocolLog
{
    private void EmitClientLine()
    {
        string text = _client.TakeLine();
        bool endsWithLiteral = EndsWithLiteral(text, out _);

        if (_authenticationScopes > 0 || _authenticationCommandOpen)
        {
            // A SASL response line (or the "*" that cancels the exchange): all of it is the secret.
            text = Mask;
        }
        else if (_maskUntilLiteralEnds)
        {
            // The argument lines of an IMAP LOGIN that sends its arguments as literals (RFC 3501 section 6.2.3).
            _maskUntilLiteralEnds = endsWithLiteral;
            text = Mask;
        }
        else
        {
            text = MaskKnownCommands(text);
        }

        Write("C: ", text);
    }

    private void EmitServerLine()
    {
        string text = _server.TakeLine();
        bool continuation = IsContinuation(text, out int textStart);
        bool untagged = text.StartsWith('*');
        bool authenticating = _authenticationScopes > 0 || _authenticationCommandOpen;

        if (authenticating && continuation && textStart < text.Length)
        {
            // The challenge text of a SASL exchange (RFC 3501 section 7.5, RFC 4954 section 4).
            text = string.Concat(text.AsSpan(0, textStart), Mask);
        }
        else if (!continuation && !untagged)
        {
            // A completion (tagged reply, SMTP reply code, POP3 +OK/-ERR) ends any AUTH command exchange.
            _authenticationCommandOpen = false;
        }

        Write("S: ", text);

        if (EndsWithLiteral(text, out long literalLength) && literalLength > 0)
        {
            _serverLiteralRemaining = literalLength;
            _serverLiteralLength = literalLength;
        }
    }

    /// <summary>
    /// The safety net: masks the secret arguments of the known command shapes whether or not the caller marked them.
    /// </summary>
    private string MaskKnownCommands(string line)
    {
        ReadOnlySpan<char> rest = line;
        ReadOnlySpan<char> first = NextToken(ref rest);

        if (first.Equals("AUTH", StringComparison.OrdinalIgnoreCase))
        {
            // SMTP (RFC 4954 section 4) and POP3 (RFC 5034 section 4): AUTH mechanism [initial-response].
            return MaskAuthenticate(line, ref rest);
        }

        if (first.Equals("PASS", StringComparison.OrdinalIgnoreCase))
        {
            return rest.IsEmpty ? line : "PASS " + Mask;
        }

        if (first.Equals("APOP", StringComparison.OrdinalIgnoreCase))
        {
            // APOP name digest (RFC 1939 section 7): the digest is a password equivalent for this greeting.
            ReadOnlySpan<char> name = NextToken(ref rest);
            return rest.IsEmpty ? line : string.Concat("APOP ", name, " ", Mask);
        }

        ReadOnlySpan<char> command = NextToken(ref rest);
        if (command.Equals("AUTHENTICATE", StringComparison.OrdinalIgnoreCase))
        {
            // IMAP: tag AUTHENTICATE mechanism [initial-response] (RFC 3501 section 6.2.2, RFC 4959).
            return MaskAuthenticate(line, ref rest);
        }

        if (command.Equals("LOGIN", StringComparison.OrdinalIgnoreCase))
        {
            return MaskImapLogin(line, rest);
        }

        return line;
    }

    private string MaskAuthenticate(string line, ref ReadOnlySpan<char> rest)
    {
        _authenticationCommandOpen = true;
        NextToken(ref rest);
        if (rest.IsEmpty)
        {
            return line;
        }

        int prefixLength = line.Length - rest.Length;
        return string.Concat(line.AsSpan(0, prefixLength), Mask);
    }

    /// <summary>
    /// Keeps "tag LOGIN user" and masks the password, which may be an atom, a quoted string or a literal.
    /// </summary>
    private string MaskImapLogin(string line, ReadOnlySpan<char> arguments)
    {
        int argumentsStart = line.Length - arguments.Length;
        int userLength = MeasureImapString(arguments);
        if (userLength < 0)
        {
            // The user name is a literal, so the rest of the command arrives on the following lines.
            _maskUntilLiteralEnds = true;
            return string.Concat(line.AsSpan(0, argumentsStart), Mask);
        }

        ReadOnlySpan<char> password = arguments[userLength..].TrimStart(' ');
        if (password.IsEmpty)
        {
            return line;
        }

        if (password[0] == '{')
        {
            _maskUntilLiteralEnds = true;
        }

        return string.Concat(line.AsSpan(0, argumentsStart + userLength), " ", Mask);
    }

    /// <summary>Returns the length of the IMAP atom or quoted string at the start, or -1 for a literal.</summary>
    private static int MeasureImapString(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return 0;
        }

        if (text[0] == '{')
        {
            return -1;
        }

        if (text[0] != '"')
        {
            int space = text.IndexOf(' ');
            return space < 0 ? text.Length : space;
        }

        // A quoted string (RFC 3501 section 4.3) in escaped form: an original backslash reads "\\\\" and a
        // control byte reads "\\xNN", "\\r", "\\n" or "\\t".
        int i = 1;
        while (i < text.Length)
        {
            if (text[i] == '"')
            {
                return i + 1;
            }

            bool quotingBackslash = text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\\';
            i += EscapedCharLength(text, i);
            if (quotingBackslash && i < text.Length)
            {
                i += EscapedCharLength(text, i);
            }
        }

        return text.Length;
    }

    private static int EscapedCharLength(ReadOnlySpan<char> text, int index)
    {
        if (text[index] != '\\' || index + 1 >= text.Length)
        {
            return 1;
        }

        return text[index + 1] == 'x' ? 4 : 2;
    }

    private static ReadOnlySpan<char> NextToken(ref ReadOnlySpan<char> rest)
    {
        rest = rest.TrimStart(' ');
        int space = rest.IndexOf(' ');
        ReadOnlySpan<char> token = space < 0 ? rest : rest[..space];
        rest = space < 0 ? [] : rest[(space + 1)..];
        return token;
    }

    /// <summary>
    /// Recognizes a continuation: IMAP and POP3 "+" or "+ text" (not POP3 "+OK"), SMTP "334" or "334 text".
    /// </summary>
    private static bool IsContinuation(string line, out int textStart)
    {
        if (line == "+" || line == "334")
        {
            textStart = line.Length;
            return true;
        }

        if (line.StartsWith("+ ", StringComparison.Ordinal))
        {
            textStart = 2;
            return true;
        }

        if (line.StartsWith("334 ", StringComparison.Ordinal) || line.StartsWith("334-", StringComparison.Ordinal))
        {
            textStart = 4;
            return true;
        }

        textStart = 0;
        return false;
    }

    /// <summary>Detects an IMAP literal announcement "{n}" or "{n+}" at the end of a line (RFC 7888).</summary>
    private static bool EndsWithLiteral(string line, out long length)
    {
        length = 0;
        if (!line.EndsWith('}'))
        {
            return false;
        }

        int open = line.LastIndexOf('{');
        if (open < 0)
        {
            return false;
        }

        ReadOnlySpan<char> digits = line.AsSpan(open + 1, line.Length - open - 2).TrimEnd('+');
        return digits.Length is > 0 and <= 18
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out length);
    }

    /// <summary>One direction's partial line: escaped text so far, with secrets already replaced.</summary>
    private sealed class LineState
    {
        private readonly StringBuilder _text = new();
        private int _bytes;
        private long _droppedBytes;
        private bool _endsWithSecret;
        private bool _sawCarriageReturn;

        public void AppendText(ReadOnlySpan<byte> data, int maxLength = int.MaxValue)
        {
            if (data.IsEmpty)
            {
                return;
            }

            // A CR is held back until the next byte shows whether it starts the CRLF terminator.
            if (data.Length == 1 && data[0] == (byte)'\n')
            {
                return;
            }

            FlushCarriageReturn(maxLength);
            if (data[^1] == (byte)'\n')
            {
                data = data[..^1];
                if (!data.IsEmpty && data[^1] == (byte)'\r')
                {
                    data = data[..^1];
                }
            }
            else if (data[^1] == (byte)'\r')
            {
                data = data[..^1];
                _sawCarriageReturn = true;
            }

            int room = Math.Max(0, maxLength - _bytes);
            int kept = Math.Min(room, data.Length);
            ProtocolText.AppendEscaped(_text, data[..kept], int.MaxValue);
            _bytes += kept;
            _droppedBytes += data.Length - kept;
            _endsWithSecret &= data.IsEmpty;
        }

        public void AppendSecret(int length)
        {
            FlushCarriageReturn(int.MaxValue);
            if (length > 0 && !_endsWithSecret)
            {
                _text.Append(Mask);
                _endsWithSecret = true;
            }
        }

        public string TakeLine()
        {
            // A CR still held here came right before the LF, so it was the terminator.
            _sawCarriageReturn = false;
            if (_droppedBytes > 0)
            {
                _text.Append(CultureInfo.InvariantCulture, $"...<{_droppedBytes} more bytes>");
            }

            string line = _text.ToString();
            _text.Clear();
            _bytes = 0;
            _droppedBytes = 0;
            _endsWithSecret = false;
            return line;
        }

        private void FlushCarriageReturn(int maxLength)
        {
            if (!_sawCarriageReturn)
            {
                return;
            }

            _sawCarriageReturn = false;
            if (_bytes < maxLength)
            {
                _text.Append("\\r");
                _bytes++;
            }
            else
            {
                _droppedBytes++;
            }
        }
    }
}
