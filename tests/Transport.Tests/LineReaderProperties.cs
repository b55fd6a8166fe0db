using System.Buffers;
using FsCheck.Xunit;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Transport.Tests;

public sealed class LineReaderProperties
{
    private const int MaxLength = 16;

    [Property(MaxTest = 300)]
    public bool SameLinesForEverySegmentation(byte[] data, int[] splits, bool lenient)
    {
        LineEnding ending = lenient ? LineEnding.CrLfOrLf : LineEnding.CrLf;
        string whole = Describe(ReadAll(new ReadOnlySequence<byte>(data), ending));
        string split = Describe(ReadAll(Segmenter.SplitAtAny(data, splits), ending));
        string single = Describe(ReadAll(Segmenter.OneBytePerSegment(data), ending));
        return whole == split && whole == single;
    }

    [Property(MaxTest = 300)]
    public bool LinesAndTerminatorsRebuildConsumedInput(byte[] data)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(data));
        var rebuilt = new List<byte>();
        try
        {
            while (LineReader.TryReadLine(ref reader, MaxLength, out ReadOnlySequence<byte> line))
            {
                rebuilt.AddRange(line.ToArray());
                rebuilt.AddRange("\r\n"u8.ToArray());
            }
        }
        catch (MailProtocolException ex) when (ex.Reason == ProtocolErrorReason.LineTooLong)
        {
        }

        return rebuilt.SequenceEqual(data.Take(rebuilt.Count));
    }

    /// <summary>Reads lines until the buffer contains no complete line; a typed limit error ends the list.</summary>
    private static List<string> ReadAll(ReadOnlySequence<byte> sequence, LineEnding ending)
    {
        var lines = new List<string>();
        var reader = new SequenceReader<byte>(sequence);
        try
        {
            while (LineReader.TryReadLine(ref reader, MaxLength, out ReadOnlySequence<byte> line, ending))
            {
                lines.Add(Convert.ToHexString(line.ToArray()));
            }

            lines.Add("rest:" + reader.Remaining);
        }
        catch (MailProtocolException ex)
        {
            lines.Add("error:" + ex.Reason);
        }

        return lines;
    }

    private static string Describe(List<string> lines)
    {
        return string.Join("|", lines);
    }
}
