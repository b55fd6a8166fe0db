using System.Buffers;
using System.Text;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Imap.Tests;

public sealed class StreamingAndLimitTests
{
    private static readonly ImapParserOptions s_streamFrom16 = new() { StreamingThreshold = 16 };

    private static byte[] BigBodyResponse(int length)
    {
        string payload = new string('x', length - 2) + "\r\n";
        return Encoding.ASCII.GetBytes(
            "* 7 FETCH (UID 70 BODY[] {" + length + "}\r\n" + payload + " FLAGS (\\Seen))\r\nA1 OK done\r\n");
    }

    [Fact]
    public void LargeLiteralIsStreamed()
    {
        List<object> results = ParseHarness.ParseAll(BigBodyResponse(100), [], s_streamFrom16);

        var payload = Assert.IsType<StreamedPayload>(results[0]);
        Assert.Equal(7u, payload.Literal.SequenceNumber);
        Assert.Equal(70u, payload.Literal.Uid);
        Assert.Equal("BODY[]", payload.Literal.ItemName);
        Assert.Equal(100, payload.Literal.Length);
        Assert.Equal(100, payload.Data.Length);
        var fetch = Assert.IsType<FetchResponse>(results[1]);
        Assert.Equal(MessageFlags.Seen, fetch.Flags);
        FetchBodySection section = Assert.Single(fetch.Sections);
        Assert.True(section.IsStreamed);
        Assert.Null(section.Data);
        Assert.Equal(100, section.Length);
        Assert.IsType<TaggedCompletion>(results[2]);
    }

    [Fact]
    public void DeclinedStreamAfterPayloadAddsItemsOnce()
    {
        // The second large literal is not a body payload, so the rest of the response is parsed again with it.
        string text = "* 1 FETCH (BODY[1] {20}\r\n" + new string('a', 20) + " BODY[2] {3}\r\nabc BINARY.SIZE[2] 3 "
            + "X-FOO {40}\r\n" + new string('x', 40) + ")\r\n";

        List<object> results = ParseHarness.ParseAll(text, s_streamFrom16);

        var fetch = Assert.IsType<FetchResponse>(results[1]);
        Assert.Equal(["BODY[1]", "BODY[2]"], fetch.Sections.Select(s => s.ItemName));
        Assert.Equal("abc", Encoding.ASCII.GetString(fetch.Sections[1].Data!));
        Assert.Equal("2", Assert.Single(fetch.BinarySizes).Key);
        Assert.Equal("X-FOO", Assert.Single(fetch.OtherItems).Key);
    }

    [Fact]
    public void PartSizeAbove32Bits()
    {
        var fetch = (FetchResponse)ParseHarness.ParseAll(
            "* 1 FETCH (BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 5000000000 4294967296))\r\n")[0];

        var part = Assert.IsType<SinglePart>(fetch.BodyStructure);
        Assert.Equal(5_000_000_000, part.Size);
        Assert.Equal(4_294_967_296, part.Lines);
    }

    [Fact]
    public void StreamedLiteralInOctetReads()
    {
        byte[] input = BigBodyResponse(100);

        List<object> results = ParseHarness.ParseAll(input, Enumerable.Range(1, input.Length), s_streamFrom16);

        Assert.Equal(ParseHarness.DumpAll(ParseHarness.ParseAll(input, [], s_streamFrom16)), ParseHarness.DumpAll(results));
    }

    [Fact]
    public void TwoStreamedLiterals()
    {
        string text = "* 1 FETCH (BODY[1] {20}\r\n" + new string('a', 20) + " BODY[2] {30}\r\n" + new string('b', 30)
            + ")\r\n";

        List<object> results = ParseHarness.ParseAll(text, s_streamFrom16);

        Assert.Equal(new string('a', 20), Encoding.ASCII.GetString(Assert.IsType<StreamedPayload>(results[0]).Data));
        Assert.Equal("BODY[2]", Assert.IsType<StreamedPayload>(results[1]).Literal.ItemName);
        Assert.Equal(2, Assert.IsType<FetchResponse>(results[2]).Sections.Count);
    }

    [Fact]
    public void LargeNonBodyLiteralIsBuffered()
    {
        string name = new string('n', 40);

        var mailbox = Assert.IsType<MailboxInfo>(Assert.Single(
            ParseHarness.ParseAll("* LIST () \"/\" {40}\r\n" + name + "\r\n", s_streamFrom16)));

        Assert.Equal(name, mailbox.Name);
    }

    [Fact]
    public void ParseDuringStreamIsRejected()
    {
        var parser = new ImapResponseParser(s_streamFrom16);
        byte[] input = BigBodyResponse(100);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        Assert.Equal(ImapParseStatus.LiteralStarted, parser.TryParse(ref reader, out _));

        try
        {
            parser.TryParse(ref reader, out _);
            Assert.Fail("TryParse did not reject a call in the middle of a streamed literal.");
        }
        catch (InvalidOperationException)
        {
        }
    }

    [Fact]
    public void LiteralOverLimitRejectedBeforeData()
    {
        var options = new ImapParserOptions { MaxLiteralSize = 1000 };
        var parser = new ImapResponseParser(options);
        byte[] input = "* 1 FETCH (BODY[] {1001}\r\n"u8.ToArray();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));

        try
        {
            parser.TryParse(ref reader, out _);
            Assert.Fail("The literal announcement was accepted.");
        }
        catch (ImapParseException error)
        {
            Assert.Equal(ImapParseErrorReason.LiteralTooLarge, error.Reason);
            Assert.False(error.IsResponseConsumed);
        }
    }

    [Fact]
    public void HugeLiteralDigitsRejected()
    {
        var error = Assert.Throws<ImapParseException>(
            () => ParseHarness.ParseAll("* 1 FETCH (BODY[] {99999999999999999999999}\r\n"));

        Assert.Equal(ImapParseErrorReason.LiteralTooLarge, error.Reason);
    }

    [Fact]
    public void LineOverLimitWithoutLineEnd()
    {
        var options = new ImapParserOptions { MaxLineLength = 64 };

        var error = Assert.Throws<ImapParseException>(() => ParseHarness.ParseAll("* OK " + new string('a', 100), options));

        Assert.Equal(ImapParseErrorReason.LineTooLong, error.Reason);
    }

    [Fact]
    public void ResponseOverLimit()
    {
        var options = new ImapParserOptions { MaxResponseSize = 100, StreamingThreshold = long.MaxValue };

        var error = Assert.Throws<ImapParseException>(
            () => ParseHarness.ParseAll("* 1 FETCH (BODY[] {200}\r\n", options));

        Assert.Equal(ImapParseErrorReason.ResponseTooLarge, error.Reason);
    }

    [Fact]
    public void NestingOverLimit()
    {
        var options = new ImapParserOptions { MaxNestingDepth = 8 };

        var error = Assert.Throws<ImapParseException>(
            () => ParseHarness.ParseAll("* 1 FETCH (XITEM " + new string('(', 20) + new string(')', 20) + ")\r\n", options));

        Assert.Equal(ImapParseErrorReason.NestingTooDeep, error.Reason);
        Assert.True(error.IsResponseConsumed);
    }

    [Fact]
    public void MalformedResponseKeepsStreamInStep()
    {
        var parser = new ImapResponseParser();
        byte[] input = "* 1 FETCH (UID x)\r\n* 2 EXISTS\r\n"u8.ToArray();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));

        try
        {
            parser.TryParse(ref reader, out _);
            Assert.Fail("The malformed FETCH was accepted.");
        }
        catch (ImapParseException error)
        {
            Assert.True(error.IsResponseConsumed);
        }

        Assert.Equal(ImapParseStatus.Response, parser.TryParse(ref reader, out ImapResponse? next));
        Assert.Equal(2u, Assert.IsType<NumberResponse>(next).Value);
    }

    [Fact]
    public void IncompleteResponseNeedsMoreData()
    {
        var parser = new ImapResponseParser();
        byte[] input = "* 1 FETCH (BODY[] {10}\r\nabc"u8.ToArray();
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));

        ImapParseStatus status = parser.TryParse(ref reader, out ImapResponse? response);

        Assert.Equal(ImapParseStatus.NeedMoreData, status);
        Assert.Null(response);
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void AnnouncementInTextIsNotStreamed()
    {
        string text = "* OK hello {40}\r\n" + new string('t', 40) + "\r\n* 3 EXISTS\r\n";
        var parser = new ImapResponseParser(s_streamFrom16);

        var error = Assert.Throws<ImapParseException>(() => ParseOne(parser, text));

        Assert.True(error.IsResponseConsumed);
        Assert.Null(parser.PendingLiteral);
    }

    private static ImapResponse? ParseOne(ImapResponseParser parser, string text)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text)));
        parser.TryParse(ref reader, out ImapResponse? response);
        return response;
    }

    [Fact]
    public void QuotedPayloadKeepsOctets()
    {
        byte[] input = [.. "* 1 FETCH (BODY[1] \"caf"u8, 0xE9, .. "\")\r\n"u8];

        var fetch = Assert.IsType<FetchResponse>(Assert.Single(ParseHarness.ParseAll(input, [])));

        Assert.Equal(new byte[] { 0x63, 0x61, 0x66, 0xE9 }, fetch.Sections[0].Data);
    }

    [Theory]
    [InlineData("Mon, 7 Feb 1994 21:52:25 EST", "1994-02-07T21:52:25-05:00")]
    [InlineData("7 Feb 94 21:52 +0100", "1994-02-07T21:52:00+01:00")]
    [InlineData("Tue, 1 Jul 2003 10:52:37 +0200 (CEST)", "2003-07-01T10:52:37+02:00")]
    [InlineData("1 Jan 2024 00:00:00", "2024-01-01T00:00:00+00:00")]
    public void EnvelopeDates(string date, string expected)
    {
        var fetch = Assert.IsType<FetchResponse>(Assert.Single(ParseHarness.ParseAll(
            "* 1 FETCH (ENVELOPE (\"" + date + "\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n")));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), fetch.Envelope!.Date);
        Assert.Equal(date, fetch.Envelope.DateText);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("31 Feb 2024 10:00:00 +0000")]
    [InlineData("1 Foo 2024 10:00:00 +0000")]
    public void InvalidEnvelopeDateIsNull(string date)
    {
        var fetch = Assert.IsType<FetchResponse>(Assert.Single(ParseHarness.ParseAll(
            "* 1 FETCH (ENVELOPE (\"" + date + "\" NIL NIL NIL NIL NIL NIL NIL NIL NIL))\r\n")));

        Assert.Null(fetch.Envelope!.Date);
    }
}
