using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using RawMail.TestSupport;
using RawMail.Transport;

namespace RawMail.Protocols.Smtp.Tests;

public sealed class SmtpReplyParserProperties
{
    [Property(MaxTest = 300)]
    public Property SameReplyForEverySegmentation()
    {
        Gen<(byte[] Bytes, int[] Splits)> input =
            from code in Gen.Choose(200, 599)
            from texts in Gen.ListOf(Gen.Elements("", "Ok", "2.1.0 Ok", "PIPELINING", "AUTH PLAIN", "x y z"))
            from last in Gen.Elements("", " done", " 5.7.8 Denied")
            let bytes = Encoding.ASCII.GetBytes(string.Concat(texts.Select(t => $"{code}-{t}\r\n")) + $"{code}{last}\r\n")
            from splits in Segmenter.SplitPoints(bytes.Length)
            select (bytes, splits);

        return Prop.ForAll(input.ToArbitrary(), value =>
        {
            string whole = Describe(new ReadOnlySequence<byte>(value.Bytes));
            return whole == Describe(Segmenter.Split(value.Bytes, value.Splits))
                && whole == Describe(Segmenter.OneBytePerSegment(value.Bytes))
                && whole.StartsWith("reply:", StringComparison.Ordinal);
        });
    }

    [Property(MaxTest = 500)]
    public bool ArbitraryBytes_TypedOutcome(byte[] data, int[] splits)
    {
        string whole = Describe(new ReadOnlySequence<byte>(data));
        return whole == Describe(Segmenter.SplitAtAny(data, splits));
    }

    [Property(MaxTest = 300)]
    public bool ArbitraryBytes_PrefixNeverCompletesLater(byte[] data)
    {
        // A reply found in a prefix is the same reply when more bytes follow, so waiting for data never changes
        // a result already returned.
        string whole = Describe(new ReadOnlySequence<byte>(data));
        for (int length = 0; length < data.Length; length++)
        {
            string prefix = Describe(new ReadOnlySequence<byte>(data, 0, length));
            if (prefix.StartsWith("reply:", StringComparison.Ordinal) && prefix != whole)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses once and describes the outcome: a reply, need-more-data, or a typed error.</summary>
    private static string Describe(ReadOnlySequence<byte> input)
    {
        try
        {
            SmtpReply? reply = SmtpReplyParserTests.Parse(input, out long consumed, maxLineLength: 64);
            return reply is null
                ? $"more:{consumed}"
                : $"reply:{reply.Code}:{reply.EnhancedStatusCode}:{string.Join("|", reply.Lines)}:{consumed}";
        }
        catch (MailProtocolException ex)
        {
            return "error:" + ex.Reason;
        }
    }
}
