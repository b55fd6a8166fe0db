using System.Buffers;

namespace RawMail.Mime;

/// <summary>
/// Quoted-printable content transfer encoding (RFC 2045 section 6.7).
/// </summary>
public static class QuotedPrintableCodec
{
    /// <summary>Maximum encoded line length, including the '=' of a soft line break.</summary>
    public const int MaxLineLength = 76;

    /// <summary>Encodes a whole buffer of CRLF text and returns the encoded text.</summary>
    public static string Encode(ReadOnlySpan<byte> input)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var encoder = new QuotedPrintableEncoder();
        encoder.Encode(input, buffer);
        encoder.Finish(buffer);
        return System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    /// <summary>Decodes a whole buffer; <paramref name="hasProblem"/> reports invalid escapes.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> input, out bool hasProblem)
    {
        var decoder = new QuotedPrintableDecoder();
        var output = new ArrayBufferWriter<byte>(input.Length + 3);
        decoder.Decode(input, output);
        decoder.Finish(output);
        hasProblem = decoder.HasProblem;
        return output.WrittenSpan.ToArray();
    }
}

/// <summary>
/// Streaming quoted-printable encoder for text whose line breaks are CRLF. A CRLF pair becomes a
/// hard line break, and a lone CR or LF is escaped. A space or tab before a line break or at the
/// end is escaped, so no line ends in whitespace (RFC 2045 section 6.7, rule 3).
/// </summary>
public sealed class QuotedPrintableEncoder
{
    private int _lineLength;
    private int _pendingWhitespace = -1;
    private bool _pendingCr;

    /// <summary>Encodes a chunk; state carries over to the next call.</summary>
    public void Encode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        foreach (byte b in input)
        {
            if (_pendingCr)
            {
                _pendingCr = false;
                if (b == (byte)'\n')
                {
                    FlushWhitespace(output, beforeBreak: true);
                    WriteRaw(output, "\r\n"u8);
                    _lineLength = 0;
                    continue;
                }

                FlushWhitespace(output, beforeBreak: false);
                WriteEscaped(output, (byte)'\r');
            }

            if (b == (byte)'\r')
            {
                _pendingCr = true;
                continue;
            }

            FlushWhitespace(output, beforeBreak: false);
            if (b is (byte)' ' or (byte)'\t')
            {
                _pendingWhitespace = b;
            }
            else if (b is >= 33 and <= 126 && b != (byte)'=')
            {
                WriteToken(output, [b]);
            }
            else
            {
                WriteEscaped(output, b);
            }
        }
    }

    /// <summary>Writes state held back at the end of input.</summary>
    public void Finish(IBufferWriter<byte> output)
    {
        if (_pendingCr)
        {
            _pendingCr = false;
            FlushWhitespace(output, beforeBreak: false);
            WriteEscaped(output, (byte)'\r');
        }

        FlushWhitespace(output, beforeBreak: true);
        _lineLength = 0;
    }

    private void FlushWhitespace(IBufferWriter<byte> output, bool beforeBreak)
    {
        if (_pendingWhitespace < 0)
        {
            return;
        }

        byte whitespace = (byte)_pendingWhitespace;
        _pendingWhitespace = -1;
        if (beforeBreak)
        {
            WriteEscaped(output, whitespace);
        }
        else
        {
            WriteToken(output, [whitespace]);
        }
    }

    private void WriteEscaped(IBufferWriter<byte> output, byte value)
    {
        const string Hex = "0123456789ABCDEF";
        WriteToken(output, [(byte)'=', (byte)Hex[value >> 4], (byte)Hex[value & 0xF]]);
    }

    private void WriteToken(IBufferWriter<byte> output, ReadOnlySpan<byte> token)
    {
        // Leave room for the '=' of a soft line break so no line exceeds 76 characters.
        if (_lineLength + token.Length > MaxLineLengthWithoutSoftBreak)
        {
            WriteRaw(output, "=\r\n"u8);
            _lineLength = 0;
        }

        WriteRaw(output, token);
        _lineLength += token.Length;
    }

    private const int MaxLineLengthWithoutSoftBreak = QuotedPrintableCodec.MaxLineLength - 1;

    private static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}

/// <summary>
/// Streaming quoted-printable decoder. Soft line breaks are removed, whitespace at the end of a
/// line is dropped (RFC 2045 section 6.7, rule 3), and an '=' not followed by two hex digits is
/// kept literally and sets <see cref="HasProblem"/>.
/// </summary>
internal sealed class QuotedPrintableDecoder : IContentDecoder
{
    private const int MaxHeldWhitespace = 1024;
    private static readonly SearchValues<byte> s_special = SearchValues.Create("=\r\n"u8);

    // Whitespace not yet written, because a line break after it would drop it.
    private byte[]? _heldWhitespace;
    private int _heldCount;

    // 0 outside an escape, 1 after '=', 2 after '=' and one more byte (_escapeFirst).
    private int _escapeLength;
    private byte _escapeFirst;

    public bool HasProblem { get; private set; }

    public void Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        // Output never exceeds the input plus the held whitespace and the two bytes of an escape
        // begun in an earlier call, so one span is asked for up front.
        Span<byte> destination = output.GetSpan(input.Length + _heldCount + 2);
        output.Advance(Decode(input, destination));
    }

    public void Finish(IBufferWriter<byte> output)
    {
        // A lone '=' at the very end is a soft break with no line after it; a partial escape is kept.
        if (_escapeLength == 2)
        {
            HasProblem = true;
            Span<byte> destination = output.GetSpan(2);
            destination[0] = (byte)'=';
            destination[1] = _escapeFirst;
            output.Advance(2);
        }

        _escapeLength = 0;
        _heldCount = 0;
    }

    private int Decode(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        int written = 0;
        while (!input.IsEmpty)
        {
            if (_escapeLength > 0)
            {
                written += StepEscape(input[0], destination[written..]);
                input = input[1..];
                continue;
            }

            // Everything up to the next '=' or line break is literal text. Whitespace before an '=' is
            // kept, so only text before a line break or the end of the input needs WriteText.
            int special = input.IndexOfAny(s_special);
            if (special < 0)
            {
                written += WriteText(input, destination[written..]);
                break;
            }

            byte b = input[special];
            if (b != (byte)'=')
            {
                // Whitespace before a line break was added in transport, so it is dropped.
                written += WriteText(input[..special], destination[written..]);
                _heldCount = 0;
                destination[written++] = b;
                input = input[(special + 1)..];
                continue;
            }

            written += WriteHeld(destination[written..]);
            input[..special].CopyTo(destination[written..]);
            written += special;
            input = input[(special + 1)..];
            if (input.Length >= 2 && IsHex(input[0]) && IsHex(input[1]))
            {
                destination[written++] = (byte)((HexValue(input[0]) << 4) | HexValue(input[1]));
                input = input[2..];
            }
            else if (input.StartsWith("\r\n"u8))
            {
                input = input[2..];
            }
            else
            {
                _escapeLength = 1;
            }
        }

        return written;
    }

    private int WriteText(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        int written = 0;
        int last = text.IsEmpty || text[^1] is (byte)' ' or (byte)'\t'
            ? text.LastIndexOfAnyExcept((byte)' ', (byte)'\t')
            : text.Length - 1;
        if (last >= 0)
        {
            written += WriteHeld(destination);
            text[..(last + 1)].CopyTo(destination[written..]);
            written += last + 1;
            text = text[(last + 1)..];
        }

        while (!text.IsEmpty)
        {
            int room = MaxHeldWhitespace - _heldCount;
            if (text.Length <= room)
            {
                _heldWhitespace ??= new byte[MaxHeldWhitespace];
                text.CopyTo(_heldWhitespace.AsSpan(_heldCount));
                _heldCount += text.Length;
                break;
            }

            // This is far longer than any line from a conforming encoder, so the held whitespace and
            // one more byte are written out to bound memory.
            written += WriteHeld(destination[written..]);
            text[..(room + 1)].CopyTo(destination[written..]);
            written += room + 1;
            text = text[(room + 1)..];
        }

        return written;
    }

    private int StepEscape(byte b, Span<byte> destination)
    {
        if (_escapeLength == 1)
        {
            if (IsHex(b) || b == (byte)'\r')
            {
                _escapeFirst = b;
                _escapeLength = 2;
            }
            else if (b == (byte)'\n')
            {
                _escapeLength = 0;
            }
            else if (b is not ((byte)' ' or (byte)'\t'))
            {
                // "=" then padding whitespace then a line break is still a soft break, so only other bytes end it.
                return NotAnEscape([b], destination);
            }

            return 0;
        }

        byte first = _escapeFirst;
        _escapeLength = 0;
        if (first == (byte)'\r' && b == (byte)'\n')
        {
            return 0;
        }

        if (IsHex(first) && IsHex(b))
        {
            destination[0] = (byte)((HexValue(first) << 4) | HexValue(b));
            return 1;
        }

        return NotAnEscape([first, b], destination);
    }

    // Keeps the '=' literally and decodes the bytes after it again.
    private int NotAnEscape(ReadOnlySpan<byte> rest, Span<byte> destination)
    {
        HasProblem = true;
        _escapeLength = 0;
        destination[0] = (byte)'=';
        return 1 + Decode(rest, destination[1..]);
    }

    private int WriteHeld(Span<byte> destination)
    {
        int count = _heldCount;
        _heldWhitespace.AsSpan(0, count).CopyTo(destination);
        _heldCount = 0;
        return count;
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
