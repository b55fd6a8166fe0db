using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Imap.Tests;

public sealed class EncodedWordTests
{
    [Fact]
    public void Utf7Word_LeftUndecoded()
    {
        // .NET resolves the name UTF-7 but throws NotSupportedException for it.
        const string Subject = "=?utf-7?Q?+AOk-t+AOk-?=";

        Assert.Equal(Subject, EncodedWordDecoder.Decode(Subject));
    }

    [Fact]
    public void Utf8Word_Decoded()
    {
        Assert.Equal("été", EncodedWordDecoder.Decode("=?utf-8?Q?=C3=A9t=C3=A9?="));
    }
}
