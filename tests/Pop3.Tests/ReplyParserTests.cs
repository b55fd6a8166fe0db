using System.Buffers;
using System.Text;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class ReplyParserTests
{
    [Theory]
    [InlineData("+OK", Pop3ReplyKind.Ok, "")]
    [InlineData("+OK ", Pop3ReplyKind.Ok, "")]
    [InlineData("+OK 2 320", Pop3ReplyKind.Ok, "2 320")]
    [InlineData("+ok lower case", Pop3ReplyKind.Ok, "lower case")]
    [InlineData("-ERR", Pop3ReplyKind.Error, "")]
    [InlineData("-ERR no such message", Pop3ReplyKind.Error, "no such message")]
    public void StatusLine_KindAndText(string line, object kind, string text)
    {
        Pop3Reply reply = Pop3ReplyParser.Parse(Encoding.ASCII.GetBytes(line), allowContinuation: false);

        Assert.Equal((Pop3ReplyKind)kind, reply.Kind);
        Assert.Equal(text, reply.Text);
    }

    [Theory]
    [InlineData("+", "")]
    [InlineData("+ ", "")]
    [InlineData("+ eyJzdGF0dXMiOiI0MDEifQ==", "eyJzdGF0dXMiOiI0MDEifQ==")]
    public void Continuation_WhenAllowed(string line, string text)
    {
        Pop3Reply reply = Pop3ReplyParser.Parse(Encoding.ASCII.GetBytes(line), allowContinuation: true);

        Assert.Equal(Pop3ReplyKind.Continuation, reply.Kind);
        Assert.Equal(text, reply.Text);
    }

    [Theory]
    [InlineData("+")]
    [InlineData("+OKAY")]
    [InlineData("-ERROR")]
    [InlineData("* OK IMAP")]
    [InlineData("1 000001a1457b5a851")]
    [InlineData("")]
    public void Malformed_ThrowsProtocolError(string line)
    {
        var ex = Assert.Throws<MailProtocolException>(
            () => Pop3ReplyParser.Parse(Encoding.ASCII.GetBytes(line), allowContinuation: false));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, ex.Reason);
    }

    [Theory]
    [InlineData("[IN-USE] Mailbox locked", Pop3ResponseCode.InUse)]
    [InlineData("[LOGIN-DELAY] wait", Pop3ResponseCode.LoginDelay)]
    [InlineData("[AUTH] Authentication failed.", Pop3ResponseCode.Authentication)]
    [InlineData("[SYS/TEMP] Temporary authentication failure.", Pop3ResponseCode.SystemTemporary)]
    [InlineData("[SYS/PERM] disk gone", Pop3ResponseCode.SystemPermanent)]
    [InlineData("[UTF8] enable UTF8 first", Pop3ResponseCode.Utf8)]
    [InlineData("[XYZ] other", Pop3ResponseCode.Unknown)]
    [InlineData("no code", Pop3ResponseCode.None)]
    [InlineData("[unterminated", Pop3ResponseCode.None)]
    [InlineData("", Pop3ResponseCode.None)]
    public void ErrorText_ResponseCode(string text, Pop3ResponseCode code)
    {
        Pop3Reply reply = Pop3ReplyParser.Parse(Encoding.ASCII.GetBytes("-ERR " + text), allowContinuation: false);

        Assert.Equal(code, reply.Code);
    }

    [Fact]
    public void PartialLine_NeedsMoreData()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>("+OK ready\r"u8.ToArray()));

        bool complete = Pop3ReplyParser.TryParse(ref reader, 512, LineEnding.CrLf, false, out _);

        Assert.False(complete);
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void LongLine_ThrowsLineTooLong()
    {
        byte[] input = Encoding.ASCII.GetBytes("+OK " + new string('x', 600));
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));

        MailProtocolException? error = null;
        try
        {
            Pop3ReplyParser.TryParse(ref reader, 512, LineEnding.CrLf, false, out _);
        }
        catch (MailProtocolException ex)
        {
            error = ex;
        }

        Assert.Equal(ProtocolErrorReason.LineTooLong, error?.Reason);
    }
}
