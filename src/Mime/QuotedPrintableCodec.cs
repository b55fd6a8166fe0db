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
    private readonly List<byte> _whitespace = [];
    private readonly List<byte> _escape = [];

    public bool HasProblem { get; private set; }

    public void Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        foreach (byte b in input)
        {
            Step(b, output);
        }
    }

    public void Finish(IBufferWriter<byte> output)
    {
        // A lone '=' at the very end is a soft break with no line after it; a partial escape is kept.
        if (_escape.Count > 1)
        {
            HasProblem = true;
            Write(output, _escape);
        }

        _escape.Clear();
        _whitespace.Clear();
    }

    private void Step(byte b, IBufferWriter<byte> output)
    {
        if (_escape.Count > 0)
        {
            StepEscape(b, output);
            return;
        }

        if (b is (byte)' ' or (byte)'\t')
        {
            _whitespace.Add(b);
            if (_whitespace.Count > MaxHeldWhitespace)
            {
                // Far longer than any line from a conforming encoder: pass it on to bound memory.
                Write(output, _whitespace);
                _whitespace.Clear();
            }

            return;
        }

        if (b is (byte)'\r' or (byte)'\n')
        {
            // Whitespace before a line break was added in transport: drop it.
            _whitespace.Clear();
            output.Write([b]);
            return;
        }

        Write(output, _whitespace);
        _whitespace.Clear();
        if (b == (byte)'=')
        {
            _escape.Add(b);
            return;
        }

        output.Write([b]);
    }

    private void StepEscape(byte b, IBufferWriter<byte> output)
    {
        byte first = _escape.Count > 1 ? _escape[1] : (byte)0;
        if (_escape.Count == 1 && (IsHex(b) || b == (byte)'\r'))
        {
            _escape.Add(b);
            return;
        }

        if (_escape.Count == 1 && b == (byte)'\n')
        {
            _escape.Clear();
            return;
        }

        if (_escape.Count == 1 && b is (byte)' ' or (byte)'\t')
        {
            // "=" then padding whitespace then a line break is still a soft break.
            return;
        }

        if (first == (byte)'\r' && b == (byte)'\n')
        {
            _escape.Clear();
            return;
        }

        if (IsHex(first) && IsHex(b))
        {
            output.Write([(byte)((HexValue(first) << 4) | HexValue(b))]);
            _escape.Clear();
            return;
        }

        // Not an escape: keep '=' literally and reprocess the bytes after it.
        HasProblem = true;
        byte[] rest = [.. _escape.Skip(1), b];
        _escape.Clear();
        output.Write("="u8);
        foreach (byte next in rest)
        {
            Step(next, output);
        }
    }

    private static void Write(IBufferWriter<byte> output, List<byte> bytes)
    {
        if (bytes.Count > 0)
        {
            output.Write(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
        }
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
