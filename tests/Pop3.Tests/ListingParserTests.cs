using System.Text;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class ListingParserTests
{
    [Theory]
    [InlineData("1   000001a1457b5a851", 1, "000001a1457b5a851")]
    [InlineData("2\t000001a1457b5a852", 2, "000001a1457b5a852")]
    [InlineData("3 QhdPYR:00WBw1Ph7x7 extra", 3, "QhdPYR:00WBw1Ph7x7")]
    [InlineData("  4 id4", 4, "id4")]
    public void UidlLine_SplitsOnWhitespaceRuns(string line, int number, string uniqueId)
    {
        Pop3UniqueId parsed = Pop3ListingParser.ParseUniqueIdListing(Encoding.ASCII.GetBytes(line));

        Assert.Equal(number, parsed.Number);
        Assert.Equal(uniqueId, parsed.UniqueId);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("x abc")]
    [InlineData("0 abc")]
    [InlineData("-1 abc")]
    [InlineData("1 caf\u00e9")]
    public void UidlLine_Malformed(string line)
    {
        var ex = Assert.Throws<MailProtocolException>(
            () => Pop3ListingParser.ParseUniqueIdListing(Encoding.UTF8.GetBytes(line)));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, ex.Reason);
    }

    [Fact]
    public void UidlLine_SeventyOneCharacters_Malformed()
    {
        byte[] line = Encoding.ASCII.GetBytes("1 " + new string('a', 71));

        var ex = Assert.Throws<MailProtocolException>(() => Pop3ListingParser.ParseUniqueIdListing(line));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, ex.Reason);
    }

    [Theory]
    [InlineData("2 000001a1457b5a852")]
    [InlineData("000001a1457b5a852")]
    [InlineData("2   000001a1457b5a852")]
    public void SingleUidl_BothForms(string text)
    {
        bool parsed = Pop3ListingParser.TryParseSingleUniqueId(Encoding.ASCII.GetBytes(text), 2, out Pop3UniqueId id);

        Assert.True(parsed);
        Assert.Equal(2, id.Number);
        Assert.Equal("000001a1457b5a852", id.UniqueId);
    }

    [Fact]
    public void SingleUidl_Empty_ListingFollows()
    {
        bool parsed = Pop3ListingParser.TryParseSingleUniqueId([], 2, out _);

        Assert.False(parsed);
    }

    [Fact]
    public void SingleUidl_OtherNumber_Unexpected()
    {
        var ex = Assert.Throws<MailProtocolException>(
            () => Pop3ListingParser.TryParseSingleUniqueId("3 abc"u8.ToArray(), 2, out _));

        Assert.Equal(ProtocolErrorReason.UnexpectedResponse, ex.Reason);
    }

    [Theory]
    [InlineData("1 120", 1, 120L)]
    [InlineData("12  4096 extra info", 12, 4096L)]
    public void ScanListing_NumberAndSize(string line, int number, long size)
    {
        Pop3MessageInfo info = Pop3ListingParser.ParseScanListing(Encoding.ASCII.GetBytes(line));

        Assert.Equal(number, info.Number);
        Assert.Equal(size, info.Size);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1 +5")]
    [InlineData("1 99999999999999999999999")]
    [InlineData("a 5")]
    public void ScanListing_Malformed(string line)
    {
        var ex = Assert.Throws<MailProtocolException>(
            () => Pop3ListingParser.ParseScanListing(Encoding.ASCII.GetBytes(line)));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, ex.Reason);
    }

    [Fact]
    public void Stat_CountAndSize()
    {
        StatResult stat = Pop3ListingParser.ParseStat("2 320"u8);

        Assert.Equal(new StatResult(2, 320), stat);
    }

    [Fact]
    public void Stat_Empty_Malformed()
    {
        var ex = Assert.Throws<MailProtocolException>(() => Pop3ListingParser.ParseStat([]));

        Assert.Equal(ProtocolErrorReason.MalformedResponse, ex.Reason);
    }
}
