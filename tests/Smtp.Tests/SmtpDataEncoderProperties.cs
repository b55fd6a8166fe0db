using FsCheck.Xunit;
using RawMail.TestSupport;

namespace RawMail.Protocols.Smtp.Tests;

public sealed class SmtpDataEncoderProperties
{
    [Property(MaxTest = 500)]
    public bool Data_UnstuffGivesNormalisedBody(byte[] body, int[] splits)
    {
        byte[] encoded = SmtpDataEncoderTests.Encode(true, Chunks(body, splits));
        byte[]? unstuffed = Unstuff(encoded);
        return unstuffed is not null && unstuffed.AsSpan().SequenceEqual(Normalise(body));
    }

    [Property(MaxTest = 500)]
    public bool Data_SameBytesForEveryChunking(byte[] body, int[] splits)
    {
        byte[] whole = SmtpDataEncoderTests.Encode(true, body);
        byte[] chunked = SmtpDataEncoderTests.Encode(true, Chunks(body, splits));
        byte[] single = SmtpDataEncoderTests.Encode(true, [.. body.Select(b => new[] { b })]);
        return whole.AsSpan().SequenceEqual(chunked) && whole.AsSpan().SequenceEqual(single);
    }

    [Property(MaxTest = 500)]
    public bool Chunking_GivesNormalisedBody(byte[] body, int[] splits)
    {
        byte[] encoded = SmtpDataEncoderTests.Encode(false, Chunks(body, splits));
        return encoded.AsSpan().SequenceEqual(Normalise(body));
    }

    [Property(MaxTest = 500)]
    public bool Data_OutputHasOnlyCrLfLineEnds(byte[] body)
    {
        byte[] encoded = SmtpDataEncoderTests.Encode(true, body);
        for (int i = 0; i < encoded.Length; i++)
        {
            bool badCr = encoded[i] == '\r' && (i + 1 == encoded.Length || encoded[i + 1] != '\n');
            bool badLf = encoded[i] == '\n' && (i == 0 || encoded[i - 1] != '\r');
            if (badCr || badLf)
            {
                return false;
            }
        }

        return true;
    }

    private static byte[][] Chunks(byte[] body, int[] splits)
    {
        var chunks = new List<byte[]>();
        foreach (ReadOnlyMemory<byte> segment in Segmenter.SplitAtAny(body, splits))
        {
            chunks.Add(segment.ToArray());
        }

        return [.. chunks];
    }

    /// <summary>Every CRLF, bare CR and bare LF becomes CRLF, and a last line without a line end gets one.</summary>
    private static byte[] Normalise(byte[] body)
    {
        var output = new List<byte>();
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] == '\r')
            {
                output.Add((byte)'\r');
                output.Add((byte)'\n');
                if (i + 1 < body.Length && body[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (body[i] == '\n')
            {
                output.Add((byte)'\r');
                output.Add((byte)'\n');
            }
            else
            {
                output.Add(body[i]);
            }
        }

        if (output.Count > 0 && output[^1] != '\n')
        {
            output.Add((byte)'\r');
            output.Add((byte)'\n');
        }

        return [.. output];
    }

    /// <summary>
    /// The receiver's side (RFC 5321 section 4.5.2): reads CRLF lines up to the lone ".", dropping one leading dot
    /// from each. Returns null when the end-of-data line is missing or data follows it.
    /// </summary>
    private static byte[]? Unstuff(byte[] encoded)
    {
        var output = new List<byte>();
        int start = 0;
        while (start < encoded.Length)
        {
            int lineEnd = encoded.AsSpan(start).IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return null;
            }

            ReadOnlySpan<byte> line = encoded.AsSpan(start, lineEnd);
            start += lineEnd + 2;
            if (line.SequenceEqual("."u8))
            {
                return start == encoded.Length ? [.. output] : null;
            }

            output.AddRange((line.Length > 0 && line[0] == '.' ? line[1..] : line).ToArray());
            output.Add((byte)'\r');
            output.Add((byte)'\n');
        }

        return null;
    }
}
