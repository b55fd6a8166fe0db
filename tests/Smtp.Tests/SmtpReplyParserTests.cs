using System.Buffers;
using System.Text;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp.Tests;

public sealed class SmtpReplyParserTests
{
    internal static SmtpReply? Parse(ReadOnlySequence<byte> input, out long consumed, int maxLineLength = 512)
    {
        var reader = new SequenceReader<byte>(input);
        bool complete = SmtpReplyParser.TryParse(ref reader, maxLineLength, out SmtpReply reply);
        consumed = reader.Consumed;
        return complete ? reply : null;
    }

    private static SmtpReply? Parse(string input) =>
        Parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(input)), out _);

    [Fact]
    public void SingleLine()
    {
        SmtpReply reply = Parse("250 2.1.0 Ok\r\n")!;

        Assert.Equal(250, reply.Code);
        Assert.Equal(["2.1.0 Ok"], reply.Lines);
        Assert.Equal(new SmtpEnhancedStatusCode(2, 1, 0), reply.EnhancedStatusCode);
    }

    [Fact]
    public void MultiLine()
    {
        SmtpReply reply = Parse("250-mx.example.com\r\n250-PIPELINING\r\n250 8BITMIME\r\n")!;

        Assert.Equal(250, reply.Code);
        Assert.Equal(["mx.example.com", "PIPELINING", "8BITMIME"], reply.Lines);
        Assert.Null(reply.EnhancedStatusCode);
    }

    [Fact]
    public void CodeOnlyLine()
    {
        SmtpReply reply = Parse("334\r\n")!;

        Assert.Equal(334, reply.Code);
        Assert.Equal([""], reply.Lines);
    }

    [Fact]
    public void CodeOnlyContinuationLine()
    {
        SmtpReply reply = Parse("250-\r\n250 done\r\n")!;

        Assert.Equal(["", "done"], reply.Lines);
    }

    [Fact]
    public void MixedCodes_LastLineCounts()
    {
        SmtpReply reply = Parse("220-blocked.example.net ESMTP\r\n521 5.7.1 Service unavailable\r\n")!;

        Assert.Equal(521, reply.Code);
        Assert.Equal(new SmtpEnhancedStatusCode(5, 7, 1), reply.EnhancedStatusCode);
    }

    [Fact]
    public void IncompleteMultiLine_ConsumesNothing()
    {
        SmtpReply? reply = Parse(new ReadOnlySequence<byte>("250-one\r\n250 tw"u8.ToArray()), out long consumed);

        Assert.Null(reply);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void SecondReply_LeftUnread()
    {
        SmtpReply? reply = Parse(new ReadOnlySequence<byte>("250 ok\r\n421 bye\r\n"u8.ToArray()), out long consumed);

        Assert.Equal(250, reply!.Code);
        Assert.Equal(8, consumed);
    }

    [Theory]
    [InlineData("2.1.5 Ok", 250, "2.1.5")]
    [InlineData("5.7.8  text", 535, "5.7.8")]
    [InlineData("4.444.999", 451, "4.444.999")]
    public void EnhancedStatusCode_Parsed(string text, int code, string expected)
    {
        Assert.Equal(expected, SmtpReplyParser.ParseEnhancedStatusCode(text, code)?.ToString());
    }

    [Theory]
    [InlineData("5.1.1 wrong class", 250)]
    [InlineData("2.1000.0 Ok", 250)]
    [InlineData("2.1.0Ok", 250)]
    [InlineData("2..0 Ok", 250)]
    [InlineData("mx.example.com", 250)]
    public void EnhancedStatusCode_Absent(string text, int code)
    {
        Assert.Null(SmtpReplyParser.ParseEnhancedStatusCode(text, code));
    }

    [Theory]
    [InlineData("hello\r\n")]
    [InlineData("25\r\n")]
    [InlineData("2500 ok\r\n")]
    [InlineData("250_ok\r\n")]
    [InlineData("650 ok\r\n")]
    [InlineData("150 ok\r\n")]
    [InlineData("2a0 ok\r\n")]
    [InlineData("\r\n")]
    public void Malformed_ThrowsProtocolError(string input)
    {
        var exception = Assert.Throws<MailProtocolException>(() => Parse(input));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, exception.Reason);
    }

    [Fact]
    public void LineTooLong_ThrowsBeforeLineEnd()
    {
        byte[] input = Encoding.ASCII.GetBytes("250 " + new string('x', 600));

        var exception = Assert.Throws<MailProtocolException>(
            () => Parse(new ReadOnlySequence<byte>(input), out _, maxLineLength: 512));

        Assert.Equal(ProtocolErrorReason.LineTooLong, exception.Reason);
    }

    [Fact]
    public void TooManyLines_Throws()
    {
        string input = string.Concat(Enumerable.Repeat("250-x\r\n", SmtpReplyParser.MaxLines + 1));

        var exception = Assert.Throws<MailProtocolException>(() => Parse(input));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, exception.Reason);
    }

    [Fact]
    public void OneBytePerSegment_SameReply()
    {
        byte[] input = "250-mx.example.com\r\n250-SIZE 1000\r\n250 2.0.0 SMTPUTF8\r\n"u8.ToArray();

        SmtpReply reply = Parse(Segmenter.OneBytePerSegment(input), out long consumed)!;

        Assert.Equal(["mx.example.com", "SIZE 1000", "2.0.0 SMTPUTF8"], reply.Lines);
        Assert.Equal(input.Length, consumed);
    }
}
