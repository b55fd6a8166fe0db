using System.Text;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Imap.Tests;

/// <summary>
/// Values the parser shares or decodes without temporary strings: part numbers, recently read strings and
/// RFC 2047 words. Each must read the same as a freshly decoded value.
/// </summary>
public sealed class SharedValueTests
{
    private static FetchResponse ParseFetch(string text)
    {
        return Assert.IsType<FetchResponse>(Assert.Single(ParseHarness.ParseAll(text)));
    }

    /// <summary>Returns a FETCH response with an envelope of this subject and From address list.</summary>
    private static string Envelope(string subject, string fromList)
    {
        return "* 1 FETCH (ENVELOPE (NIL " + subject + " " + fromList + " NIL NIL NIL NIL NIL NIL NIL))\r\n";
    }

    [Fact]
    public void PartNumbersPastSharedRange()
    {
        var children = new StringBuilder();
        for (int i = 0; i < 18; i++)
        {
            children.Append("(\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)");
        }

        string inner = "(" + children + " \"mixed\")";
        FetchResponse fetch = ParseFetch("* 1 FETCH (BODYSTRUCTURE (" + children + inner + " \"mixed\"))\r\n");

        var outer = Assert.IsType<Multipart>(fetch.BodyStructure);
        Assert.Equal(19, outer.Children.Count);
        Assert.Equal("16", outer.Children[15].PartSpecifier);
        Assert.Equal("17", outer.Children[16].PartSpecifier);
        Assert.Equal("18", outer.Children[17].PartSpecifier);
        var nested = Assert.IsType<Multipart>(outer.Children[18]);
        Assert.Equal("19", nested.PartSpecifier);
        Assert.Equal("19.1", nested.Children[0].PartSpecifier);
        Assert.Equal("19.18", nested.Children[17].PartSpecifier);
    }

    [Fact]
    public void NestedPartNumbersInSharedRange()
    {
        FetchResponse fetch = ParseFetch("* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)"
            + "((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1)(\"text\" \"html\" NIL NIL NIL \"7bit\" 1 1) \"alternative\")"
            + " \"mixed\"))\r\n");

        var outer = Assert.IsType<Multipart>(fetch.BodyStructure);
        var alternative = Assert.IsType<Multipart>(outer.Children[1]);
        Assert.Equal("2.1", alternative.Children[0].PartSpecifier);
        Assert.Equal("2.2", alternative.Children[1].PartSpecifier);
    }

    [Fact]
    public void RepeatedHostAcrossResponses()
    {
        string line = Envelope("NIL", "((NIL NIL \"ann\" \"example.com\"))");
        List<object> responses = ParseHarness.ParseAll(line + line.Replace("* 1", "* 2", StringComparison.Ordinal));

        var first = (MailboxAddress)Assert.IsType<FetchResponse>(responses[0]).Envelope!.From[0];
        var second = (MailboxAddress)Assert.IsType<FetchResponse>(responses[1]).Envelope!.From[0];
        Assert.Equal("ann@example.com", first.Address);
        Assert.Equal("ann@example.com", second.Address);
    }

    [Fact]
    public void HostNotAscii()
    {
        FetchResponse fetch = ParseFetch(Envelope("NIL", "((NIL NIL \"jörg\" \"bücher.example\"))"));

        Assert.Equal("jörg@bücher.example", ((MailboxAddress)fetch.Envelope!.From[0]).Address);
    }

    [Fact]
    public void HostLongerThanCache()
    {
        string host = new string('h', 70) + ".example";
        FetchResponse fetch = ParseFetch(Envelope("NIL", "((NIL NIL \"a\" \"" + host + "\"))"));

        Assert.Equal(host, ((MailboxAddress)fetch.Envelope!.From[0]).Host);
    }

    [Theory]
    [InlineData("\"=?utf-8?B?SGk?=\"", "Hi")]
    [InlineData("\"=?utf-8?q?caf=c3=a9_bar?=\"", "café bar")]
    [InlineData("\"=?x-unknown?Q?abc?= tail\"", "=?x-unknown?Q?abc?= tail")]
    [InlineData("\"=?windows-1252?Q?=80?= =?windows-1252?Q?=80?=\"", "€€")]
    [InlineData("\"a =?utf-8?B?w6k=?= b\"", "a é b")]
    [InlineData("\"=?utf-8?X?abc?=\"", "=?utf-8?X?abc?=")]
    [InlineData("\"=?utf-8*en?Q?hi?=\"", "hi")]
    public void SubjectEncodedWords(string subject, string expected)
    {
        FetchResponse fetch = ParseFetch(Envelope(subject, "((NIL NIL \"a\" \"b\"))"));

        Assert.Equal(expected, fetch.Envelope!.Subject);
    }

    [Fact]
    public void SubjectEncodedWordInLiteral()
    {
        FetchResponse fetch = ParseFetch(Envelope("{21}\r\n=?utf-8?Q?=C3=BC?= é", "((NIL NIL \"a\" \"b\"))"));

        Assert.Equal("ü é", fetch.Envelope!.Subject);
    }

    [Fact]
    public void GroupStartedTwice()
    {
        FetchResponse fetch = ParseFetch(Envelope("NIL",
            "((NIL NIL \"g1\" NIL)(NIL NIL \"a\" \"x.org\")(NIL NIL \"g2\" NIL)(NIL NIL \"b\" \"y.org\")(NIL NIL NIL NIL))"));

        var group = Assert.IsType<GroupAddress>(Assert.Single(fetch.Envelope!.From));
        Assert.Equal("g2", group.DisplayName);
        Assert.Equal("b@y.org", Assert.Single(group.Members).Address);
    }
}
