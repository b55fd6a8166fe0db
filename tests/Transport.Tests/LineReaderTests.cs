using System.Buffers;
using System.Text;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Transport.Tests;

public sealed class LineReaderTests
{
    [Theory]
    [InlineData("* OK ready\r\n", "* OK ready")]
    [InlineData("\r\n", "")]
    [InlineData("a\rb\r\n", "a\rb")]
    [InlineData("+OK\r\nmore", "+OK")]
    public void TryReadLine_CompleteLine(string input, string expected)
    {
        byte[] data = Encoding.Latin1.GetBytes(input);
        IEnumerable<ReadOnlySequence<byte>> segmentations =
            Segmenter.EverySplit(data).Append(Segmenter.OneBytePerSegment(data));
        foreach (ReadOnlySequence<byte> sequence in segmentations)
        {
            var reader = new SequenceReader<byte>(sequence);

            bool complete = LineReader.TryReadLine(ref reader, 100, out ReadOnlySequence<byte> line);

            Assert.True(complete);
            Assert.Equal(expected, Encoding.Latin1.GetString(line));
            Assert.Equal(expected.Length + 2, reader.Consumed);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("* OK")]
    [InlineData("* OK\r")]
    [InlineData("* OK\n")]
    public void TryReadLine_IncompleteLeavesReaderUnmoved(string input)
    {
        var reader = new SequenceReader<byte>(Segmenter.OneBytePerSegment(Encoding.Latin1.GetBytes(input)));

        bool complete = LineReader.TryReadLine(ref reader, 100, out _);

        Assert.False(complete);
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void TryReadLine_StrictKeepsBareLf()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("a\nb\r\n"u8.ToArray()));

        bool complete = LineReader.TryReadLine(ref reader, 100, out ReadOnlySequence<byte> line, LineEnding.CrLf);

        Assert.True(complete);
        Assert.Equal("a\nb", Encoding.Latin1.GetString(line));
    }

    [Fact]
    public void TryReadLine_LenientSplitsAtBareLf()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("a\nb\r\n"u8.ToArray()));

        bool first = LineReader.TryReadLine(ref reader, 100, out ReadOnlySequence<byte> line1, LineEnding.CrLfOrLf);
        bool second = LineReader.TryReadLine(ref reader, 100, out ReadOnlySequence<byte> line2, LineEnding.CrLfOrLf);

        Assert.True(first);
        Assert.Equal("a", Encoding.Latin1.GetString(line1));
        Assert.True(second);
        Assert.Equal("b", Encoding.Latin1.GetString(line2));
    }

    [Fact]
    public void TryReadLine_ExactlyMaxLengthIsAccepted()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("12345\r\n"u8.ToArray()));

        bool complete = LineReader.TryReadLine(ref reader, 5, out ReadOnlySequence<byte> line);

        Assert.True(complete);
        Assert.Equal(5, line.Length);
    }

    [Fact]
    public void TryReadLine_TooLongCompleteLineThrows()
    {
        var exception = Assert.Throws<MailProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("123456\r\n"u8.ToArray()));
            LineReader.TryReadLine(ref reader, 5, out _);
        });

        Assert.Equal(ProtocolErrorReason.LineTooLong, exception.Reason);
    }

    [Fact]
    public void TryReadLine_PartialLineTooLong()
    {
        // Six bytes without a line end exceed a limit of five: waiting for more would only buffer more.
        var exception = Assert.Throws<MailProtocolException>(() =>
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("123456"u8.ToArray()));
            LineReader.TryReadLine(ref reader, 5, out _);
        });

        Assert.Equal(ProtocolErrorReason.LineTooLong, exception.Reason);
    }

    [Fact]
    public void TryReadLine_PendingCrWaits()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("12345\r"u8.ToArray()));

        bool complete = LineReader.TryReadLine(ref reader, 5, out _);

        Assert.False(complete);
    }

    [Fact]
    public void TryReadExact_ReadsCountBytes()
    {
        var reader = new SequenceReader<byte>(Segmenter.OneBytePerSegment("hello)\r\n"u8.ToArray()));

        bool complete = LineReader.TryReadExact(ref reader, 5, out ReadOnlySequence<byte> data);

        Assert.True(complete);
        Assert.Equal("hello", Encoding.Latin1.GetString(data));
        Assert.Equal(5, reader.Consumed);
    }

    [Fact]
    public void TryReadExact_ShortBufferWaits()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("hell"u8.ToArray()));

        bool complete = LineReader.TryReadExact(ref reader, 5, out _);

        Assert.False(complete);
        Assert.Equal(0, reader.Consumed);
    }
}
