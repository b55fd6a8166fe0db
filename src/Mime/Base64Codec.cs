using System.Buffers;
using System.Buffers.Text;

namespace RawMail.Mime;

/// <summary>
/// Base64 content transfer encoding (RFC 2045 section 6.8): 76-character lines on output, and a
/// streaming decoder that tolerates whitespace and missing padding.
/// </summary>
public static class Base64Codec
{
    /// <summary>Input bytes that encode to exactly one 76-character line.</summary>
    public const int BytesPerLine = 57;

    /// <summary>Maximum encoded characters on one line, excluding CRLF.</summary>
    public const int MaxLineLength = 76;

    /// <summary>
    /// Encodes <paramref name="input"/> as CRLF-terminated lines of at most 76 characters.
    /// A final partial line is terminated too, so output from consecutive calls concatenates
    /// only when every call but the last passes a multiple of <see cref="BytesPerLine"/> bytes.
    /// </summary>
    public static void EncodeLines(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        while (!input.IsEmpty)
        {
            int take = Math.Min(BytesPerLine, input.Length);
            Span<byte> line = output.GetSpan(MaxLineLength + 2);
            Base64.EncodeToUtf8(input[..take], line, out _, out int written);
            line[written] = (byte)'\r';
            line[written + 1] = (byte)'\n';
            output.Advance(written + 2);
            input = input[take..];
        }
    }

    /// <summary>Encodes a whole buffer and returns the text, for tests and small payloads.</summary>
    public static string EncodeLines(ReadOnlySpan<byte> input)
    {
        var buffer = new ArrayBufferWriter<byte>();
        EncodeLines(input, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    /// <summary>Decodes a whole buffer; <paramref name="hasProblem"/> reports invalid characters.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> input, out bool hasProblem)
    {
        var decoder = new Base64Decoder();
        var output = new ArrayBufferWriter<byte>(input.Length + 3);
        decoder.Decode(input, output);
        decoder.Finish(output);
        hasProblem = decoder.HasProblem;
        return output.WrittenSpan.ToArray();
    }
}

/// <summary>Decoders of content transfer encodings, fed in arbitrary chunks.</summary>
internal interface IContentDecoder
{
    /// <summary>True when the input contained bytes the encoding does not allow.</summary>
    bool HasProblem { get; }

    /// <summary>Decodes a chunk; state carries over to the next call.</summary>
    void Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output);

    /// <summary>Flushes state held back at the end of input.</summary>
    void Finish(IBufferWriter<byte> output);
}

/// <summary>Passes bytes through unchanged, for 7bit, 8bit and binary.</summary>
internal sealed class IdentityDecoder : IContentDecoder
{
    public bool HasProblem => false;

    public void Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output) => output.Write(input);

    public void Finish(IBufferWriter<byte> output)
    {
    }
}

/// <summary>
/// Streaming base64 decoder. Whitespace is skipped silently; other characters outside the
/// alphabet are skipped and set <see cref="HasProblem"/>. Padding is optional, and data after
/// padding starts a new quantum, because some senders concatenate separately encoded blocks.
/// </summary>
internal sealed class Base64Decoder : IContentDecoder
{
    private static readonly sbyte[] s_values = BuildValues();
    private static readonly SearchValues<byte> s_alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8);

    private int _quantum;
    private int _count;

    public bool HasProblem { get; private set; }

    public void Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        Span<byte> chunk = output.GetSpan((input.Length / 4 * 3) + 3);
        int written = 0;
        while (!input.IsEmpty)
        {
            // Whole quanta between line breaks go to the vectorised decoder. Step handles only the line
            // breaks, padding, stray bytes and a quantum split by them.
            if (_count == 0)
            {
                int run = input.IndexOfAnyExcept(s_alphabet);
                int whole = (run < 0 ? input.Length : run) & ~3;
                if (whole > 0
                    && Base64.DecodeFromUtf8(input[..whole], chunk[written..], out int consumed, out int decoded)
                        == OperationStatus.Done)
                {
                    written += decoded;
                    input = input[consumed..];
                    continue;
                }
            }

            written += Step(input[0], chunk[written..]);
            input = input[1..];
        }

        output.Advance(written);
    }

    private int Step(byte b, Span<byte> output)
    {
        int value = s_values[b];
        if (value >= 0)
        {
            _quantum = (_quantum << 6) | value;
            _count++;
            if (_count < 4)
            {
                return 0;
            }

            output[0] = (byte)(_quantum >> 16);
            output[1] = (byte)(_quantum >> 8);
            output[2] = (byte)_quantum;
            _quantum = 0;
            _count = 0;
            return 3;
        }

        if (b == (byte)'=')
        {
            return Flush(output);
        }

        if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            HasProblem = true;
        }

        return 0;
    }

    public void Finish(IBufferWriter<byte> output)
    {
        output.Advance(Flush(output.GetSpan(3)));
    }

    private int Flush(Span<byte> output)
    {
        int written = 0;
        switch (_count)
        {
            case 1:
                // One sextet carries no whole byte: the input was cut.
                HasProblem = true;
                break;
            case 2:
                output[written++] = (byte)(_quantum >> 4);
                break;
            case 3:
                output[written++] = (byte)(_quantum >> 10);
                output[written++] = (byte)(_quantum >> 2);
                break;
        }

        _quantum = 0;
        _count = 0;
        return written;
    }

    private static sbyte[] BuildValues()
    {
        var values = new sbyte[256];
        Array.Fill(values, (sbyte)-1);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < Alphabet.Length; i++)
        {
            values[Alphabet[i]] = (sbyte)i;
        }

        return values;
    }
}
