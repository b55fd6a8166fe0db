using RawMail.Mime;
using RawMail.Protocols.Imap.Model;
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

    [Fact]
    public void SubjectSplitCharacter_Joined()
    {
        var fetch = (FetchResponse)ParseHarness.ParseAll(
            "* 1 FETCH (ENVELOPE (NIL \"=?utf-8?Q?=C3?= =?utf-8?Q?=A9t=C3=A9?=\" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n")[0];

        Assert.Equal("été", fetch.Envelope!.Subject);
    }

    [Fact]
    public void NameWithMalformedWord_KeptReadable()
    {
        var fetch = (FetchResponse)ParseHarness.ParseAll(
            "* 1 FETCH (ENVELOPE (NIL NIL ((\"=?utf-8?B?@@?= Ann\" NIL \"ann\" \"x.org\")) NIL NIL NIL NIL NIL NIL NIL))\r\n")[0];

        Assert.Equal("=?utf-8?B?@@?= Ann", fetch.Envelope!.From[0].DisplayName);
    }
}
