using System.Buffers;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class CapabilitiesTests
{
    [Fact]
    public void DovecotList_Parsed()
    {
        Pop3Capabilities capabilities = Pop3Capabilities.Parse(
            ["CAPA", "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "USER",
                "SASL PLAIN LOGIN XOAUTH2 OAUTHBEARER", "LOGIN-DELAY 900", "IMPLEMENTATION Example server"]);

        Assert.True(capabilities.IsAdvertised);
        Assert.True(capabilities.SupportsTop);
        Assert.True(capabilities.SupportsUidl);
        Assert.True(capabilities.SupportsPipelining);
        Assert.True(capabilities.SupportsResponseCodes);
        Assert.True(capabilities.SupportsUser);
        Assert.True(capabilities.SupportsSasl);
        Assert.False(capabilities.SupportsStls);
        Assert.Equal(["PLAIN", "LOGIN", "XOAUTH2", "OAUTHBEARER"], capabilities.SaslMechanisms);
        Assert.Equal(900, capabilities.LoginDelaySeconds);
        Assert.Equal("Example server", capabilities.Implementation);
    }

    [Fact]
    public void KeywordCase_Ignored()
    {
        Pop3Capabilities capabilities = Pop3Capabilities.Parse(["stls", "Sasl plain"]);

        Assert.True(capabilities.SupportsStls);
        Assert.Equal(["plain"], capabilities.SaslMechanisms);
    }

    [Fact]
    public void None_HasNothing()
    {
        Assert.False(Pop3Capabilities.None.IsAdvertised);
        Assert.Empty(Pop3Capabilities.None.SaslMechanisms);
        Assert.False(Pop3Capabilities.None.SupportsPipelining);
    }

    [Fact]
    public void StuffedLine_NotTerminator()
    {
        // Only a line of exactly "." ends a listing; ".capability" is the stuffed "capability".
        var reader = new MultilineLineReader<string>(512, 1000, LineEnding.CrLf, Pop3ListingParser.ParseCapabilityLine);
        var input = new SequenceReader<byte>(new ReadOnlySequence<byte>("TOP\r\n..capability\r\n.\r\n+OK"u8.ToArray()));

        bool consumed = reader.TryReadLines(ref input, out bool complete);

        Assert.True(consumed);
        Assert.True(complete);
        Assert.Equal(["TOP", ".capability"], reader.Items);
        Assert.Equal(3, input.Remaining);
    }
}
