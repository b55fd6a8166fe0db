using System.Text;

namespace RawMail.Protocols.Pop3.Tests;

public sealed class ApopTests
{
    [Theory]
    [InlineData("POP3 server ready <1896.697170952@dbc.mtview.ca.us>", "<1896.697170952@dbc.mtview.ca.us>")]
    [InlineData(
        "mail.example.test POP3 ready <F201706231210.AA102635@mail.example.test>",
        "<F201706231210.AA102635@mail.example.test>")]
    [InlineData("<a.b.c> then <1.2@host>", "<1.2@host>")]
    public void Greeting_TimestampFound(string greeting, string timestamp)
    {
        Assert.Equal(timestamp, ApopDigest.FindTimestamp(Encoding.ASCII.GetBytes(greeting)));
    }

    [Theory]
    [InlineData("Example POP3 server ready <mail.example.net>")]
    [InlineData("Dovecot ready.")]
    [InlineData("ready <@host>")]
    [InlineData("ready <user@>")]
    [InlineData("ready <a b@host>")]
    [InlineData("ready <1@host")]
    public void Greeting_NoTimestamp(string greeting)
    {
        Assert.Null(ApopDigest.FindTimestamp(Encoding.ASCII.GetBytes(greeting)));
    }

    [Fact]
    public void Digest_MatchesRfc1939Example()
    {
        // RFC 1939 section 7: timestamp <1896.697170952@dbc.mtview.ca.us>, secret "tanstaaf".
        string digest = ApopDigest.Compute("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf");

        Assert.Equal("c4c9334bac560ecc979e58001b3e22fb", digest);
    }
}
