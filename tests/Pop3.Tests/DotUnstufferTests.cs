using System.Buffers;
using System.Text;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class DotUnstufferTests
{
    // A RETR body as the server sends it: stuffed lines, a bare LF with a dot line inside a CRLF line, terminator.
    private const string StuffedBody =
        "Subject: dots\r\n\r\nnormal line\r\n..hidden\r\n..\r\ntail with bare LF\n.\nstill body\r\n.\r\n";

    private const string UnstuffedBody =
        "Subject: dots\r\n\r\nnormal line\r\n.hidden\r\n.\r\ntail with bare LF\n.\nstill body\r\n";

    [Fact]
    public void StuffedBody_Unstuffed()
    {
        (bool complete, string body, long remaining) = Decode(Encoding.ASCII.GetBytes(StuffedBody + "+OK next"));

        Assert.True(complete);
        Assert.Equal(UnstuffedBody, body);
        Assert.Equal("+OK next".Length, remaining);
    }

    [Fact]
    public void BareLfDotLf_IsDataNotTerminator()
    {
        byte[] input = Encoding.ASCII.GetBytes("tail with bare LF\n.\nstill body\r\n.\r\n");

        (bool complete, string body, _) = Decode(input);

        Assert.True(complete);
        Assert.Equal("tail with bare LF\n.\nstill body\r\n", body);
    }

    [Fact]
    public void BodyLines_MatchExpected()
    {
        (_, string body, _) = Decode(Encoding.ASCII.GetBytes(StuffedBody));

        string[] lines = body.Split("\r\n");

        Assert.Equal(
            ["Subject: dots", "", "normal line", ".hidden", ".", "tail with bare LF\n.\nstill body", ""],
            lines);
    }

    [Fact]
    public void LenientLineEnding_BareLfDotLfEnds()
    {
        byte[] input = Encoding.ASCII.GetBytes("line one\n..two\n.\nafter");

        (bool complete, string body, long remaining) = Decode(input, LineEnding.CrLfOrLf);

        Assert.True(complete);
        Assert.Equal("line one\n.two\n", body);
        Assert.Equal(5, remaining);
    }

    [Fact]
    public void EmptyBody_OnlyTerminator()
    {
        (bool complete, string body, long remaining) = Decode(".\r\n"u8.ToArray());

        Assert.True(complete);
        Assert.Equal("", body);
        Assert.Equal(0, remaining);
    }

    [Theory]
    [InlineData("line\r\n.")]
    [InlineData("line\r\n.\r")]
    [InlineData("line\r\n")]
    [InlineData("line\r")]
    public void Incomplete_NeedsMoreData(string input)
    {
        (bool complete, string body, _) = Decode(Encoding.ASCII.GetBytes(input));

        Assert.False(complete);
        Assert.StartsWith("line", body);
    }

    [Fact]
    public void DotThenText_DotRemoved()
    {
        // A server that forgot to stuff ".x" still loses the first dot, as RFC 1939 section 3 prescribes.
        (_, string body, _) = Decode(".x\r\n.\rnot end\r\n.\r\n"u8.ToArray());

        Assert.Equal("x\r\n\rnot end\r\n", body);
    }

    [Fact]
    public void TerminatorSplitAtEveryOffset_SameResult()
    {
        byte[] input = Encoding.ASCII.GetBytes(StuffedBody);
        foreach (ReadOnlySequence<byte> sequence in Segmenter.EverySplit(input))
        {
            (bool complete, string body) = DecodeResumed(sequence, LineEnding.CrLf);

            Assert.True(complete);
            Assert.Equal(UnstuffedBody, body);
        }
    }

    [Fact]
    public void OneBytePerRead_SameResult()
    {
        byte[] input = Encoding.ASCII.GetBytes(StuffedBody);

        (bool complete, string body) = DecodeResumed(Segmenter.OneBytePerSegment(input), LineEnding.CrLf);

        Assert.True(complete);
        Assert.Equal(UnstuffedBody, body);
    }

    [Theory]
    [InlineData("a\r", "\n..b\r\n.\r\n")]
    [InlineData("a\r\n", "..b\r\n.\r\n")]
    [InlineData("a\r\n.", ".b\r\n.\r\n")]
    public void CrLfSplitBeforeDotLine_DotRemoved(string first, string second)
    {
        ReadOnlySequence<byte> input = Segmenter.Split(Encoding.ASCII.GetBytes(first + second), first.Length);
        var unstuffer = new DotUnstuffer(LineEnding.CrLf);
        var output = new ArrayBufferWriter<byte>();
        var reader = new SequenceReader<byte>(input);

        bool complete = unstuffer.Decode(ref reader, output);

        Assert.True(complete);
        Assert.Equal("a\r\n.b\r\n", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void LongBodyWithoutDots_CopiedWhole()
    {
        string line = new('x', 70);
        string body = string.Concat(Enumerable.Repeat(line + "\r\n", 1000));

        (bool complete, string decoded, long remaining) = Decode(Encoding.ASCII.GetBytes(body + ".\r\n"));

        Assert.True(complete);
        Assert.Equal(body, decoded);
        Assert.Equal(0, remaining);
    }

    private static (bool Complete, string Body, long Remaining) Decode(
        byte[] input,
        LineEnding ending = LineEnding.CrLf)
    {
        var unstuffer = new DotUnstuffer(ending);
        var output = new ArrayBufferWriter<byte>();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        bool complete = unstuffer.Decode(ref reader, output);
        return (complete, Encoding.ASCII.GetString(output.WrittenSpan), reader.Remaining);
    }

    /// <summary>
    /// Feeds the sequence one segment at a time, as network reads arrive, keeping the unconsumed bytes as a
    /// connection would.
    /// </summary>
    internal static (bool Complete, string Body) DecodeResumed(ReadOnlySequence<byte> sequence, LineEnding ending)
    {
        var unstuffer = new DotUnstuffer(ending);
        var output = new ArrayBufferWriter<byte>();
        var pending = new List<byte>();
        foreach (ReadOnlyMemory<byte> segment in sequence)
        {
            pending.AddRange(segment.ToArray());
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(pending.ToArray()));
            bool complete = unstuffer.Decode(ref reader, output);
            pending.RemoveRange(0, (int)reader.Consumed);
            if (complete)
            {
                return (true, Encoding.Latin1.GetString(output.WrittenSpan));
            }
        }

        return (false, Encoding.Latin1.GetString(output.WrittenSpan));
    }
}
