using System.Text;
using RawMail.Protocols.Imap;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Imap.Tests;

/// <summary>Responses real servers send that bend RFC 3501 / RFC 9051, and what the parser makes of them.</summary>
public sealed class ServerQuirkTests
{
    internal const string ExchangeExtensionFields =
        "* 37 FETCH (UID 67 BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"ISO-8859-1\") NIL NIL \"QUOTED-PRINTABLE\" 850 31 NIL \"inline\" NIL NIL)(\"text\" \"html\" (\"charset\" \"ISO-8859-1\") NIL NIL \"QUOTED-PRINTABLE\" 14692 502 NIL \"inline\" NIL NIL) \"alternative\" (\"boundary\" \"----=_Part_1_1000\") NIL NIL NIL))\r\n"
        + "* 38 FETCH (UID 68 BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 21 0 NIL (\"inline\" NIL) NIL NIL)(\"application\" \"octet-stream\" (\"name\" \"notes.txt\") NIL NIL \"base64\" 690 NIL (\"attachment\" (\"filename\" \"notes.txt\")) NIL NIL) \"mixed\" (\"boundary\" \"----=_Part_0_2000\") \"S/MIME Encrypted Message\" NIL))\r\n"
        + "A7 OK FETCH completed.\r\n";

    internal const string InvalidNumbers =
        "* 5 FETCH (UID 581 BODYSTRUCTURE (((\"text\" \"plain\" (\"charset\" \"US-ASCII\") NIL NIL \"7bit\" 6 3 NIL NIL NIL NIL)(\"text\" \"html\" (\"charset\" \"US-ASCII\") NIL NIL \"quoted-printable\" 314 5 NIL NIL NIL NIL) \"alternative\" (\"boundary\" \"B_1\") NIL NIL)(\"multipart\" \"appledouble\" (\"boundary\" \"B_2\") NIL NIL \"7BIT\" -1 NIL NIL NIL NIL) \"mixed\" (\"boundary\" \"B_3\") NIL NIL))\r\n"
        + "* 6 FETCH (UID 582 BODYSTRUCTURE (\"multipart\" \"signed\" (\"boundary\" \"_sig_0001_\") NIL NIL \"7BIT\" -1 NIL NIL NIL NIL))\r\n"
        + "* 7 FETCH (UID 583 BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"base64\" 1024 14 NIL NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"scan.pdf\") NIL NIL \"base64\" 9.3736e+06 NIL (\"attachment\" (\"filename\" \"scan.pdf\")) NIL NIL) \"mixed\" (\"boundary\" \"b4\") NIL NIL NIL))\r\n"
        + "A12 OK FETCH completed\r\n";

    internal const string DispositionAsLiteral =
        "* 1 FETCH (UID 3 BODYSTRUCTURE ((((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7bit\" 3 1) \"ALTERNATIVE\" (\"boundary\" \"==boundary-2\"))(\"IMAGE\" \"GIF\" (\"name\" \"image1.gif\") \"<img-1@example.com>\" NIL \"base64\" 6 NIL ({8}\r\n"
        + "\"inline\" NIL)) \"RELATED\" (\"boundary\" \"==boundary-3\")) \"MIXED\" (\"boundary\" \"==boundary-1\")))\r\n"
        + "B20 OK FETCH completed\r\n";

    internal const string EmptyParenthesizedAddressList =
        "* 1 FETCH (ENVELOPE (\"Wed, 11 Oct 2023 02:11:04 +0000\" \"Weekly digest\" ((\"News Team\" NIL \"news\" \"lists.example.com\")) NIL NIL () NIL NIL NIL \"<msg-1@lists.example.com>\"))\r\n"
        + "A3 OK FETCH completed.\r\n";

    internal const string CharacterCountLiteral =
        "* 15327 FETCH (UID 16410 ENVELOPE (\"Thu, 29 Apr 2021 10:57:07 +0000\" \"=?utf-8?B?0J/QsNGA0LrQvtCy0LrQsA==?=\" (({24}\r\n"
        + "Приёмная \"Офис Север\" №6 NIL \"reception\" \"example.com\")) NIL NIL ((\"Team\" NIL \"team\" \"example.com\")) NIL NIL NIL \"<a1b2@example.com>\"))\r\n"
        + "E7 OK FETCH completed.\r\n";

    internal const string GmailLabels =
        "* 3 FETCH (X-GM-LABELS (\"()\" \"(foo)\" \"[bar]\" \"\\\\Draft\" \"\\\\Important\" \"\\\\Sent\" fav [Mailbox] +IMNews \"Work (old\" \"say \\\"hi\\\"\") UID 6 FLAGS (\\Flagged \\Seen))\r\n"
        + "A6 OK Success\r\n";

    internal const string MicrosoftResponseCodes =
        "* OK The Microsoft Exchange IMAP4 service is ready. [QQBCAEMAMQAyADMA]\r\n"
        + "A1 OK [Error=\"Microsoft.Exchange.Data.Storage.WrongServerException:Cross Server access is not allowed for mailbox 00000000-0000-0000-0000-000000000000\" AuthResultFromPopImapEnd=0 Proxy=AB1PR01MB0001.EURPRD01.PROD.OUTLOOK.COM:1993:SSL MailboxBE=AB1PR01MB0001.EURPRD01.PROD.OUTLOOK.COM Service=Imap4] AUTHENTICATE completed.\r\n"
        + "* OK [COPYUID 14  ]\r\n"
        + "A7 OK MOVE completed.\r\n"
        + "[COPYUID 124 10 233]\r\n"
        + "A8 OK MOVE completed.\r\n";

    internal const string ByeResponses =
        "* OK IMAP4rev1 server ready\r\n"
        + "* BYE Autologout; idle for too long\r\n"
        + "* BYE Autologout; idle for too long\r\n"
        + "A6 BYE IMAP4rev1 Server logging out\r\n";

    internal const string Continuations =
        "* OK ready\r\n"
        + "+\r\n"
        + "A1 OK AUTHENTICATE completed.\r\n"
        + "+ Ready for additional command text\r\n"
        + "A2 OK APPEND completed\r\n";

    internal const string LiteralLooksLikeProtocol =
        "* 1 FETCH (UID 42 BODY[] {122}\r\n"
        + "From: <alice@example.com>\r\n"
        + "Subject: notes\r\n"
        + "X-Spam-Flag: NO\r\n"
        + "\r\n"
        + "* 2 EXISTS\r\n"
        + "+ This line starts with plus\r\n"
        + "A3 OK not really\r\n"
        + ")\r\n"
        + "A3 OK FETCH completed.\r\n";

    internal const string SplitAcrossReads =
        "* 12 FETCH (FLAGS (\\Seen) UID 14 BODY[1.1] {24}\r\n"
        + "See attached.\r\n"
        + "\r\n"
        + ":-)\r\n"
        + "\r\n"
        + ")\r\n"
        + "A18 OK Completed (0.000 sec)\r\n";

    internal const string NonCanonicalMailboxNames =
        "* LIST (\\HasNoChildren) \"|\" \"INBOX\"\r\n"
        + "* LIST (\\HasNoChildren \\Marked) \"|\" \"&BBQEPgQ8ACYEIQQwBDQ-\"\r\n"
        + "* LIST (\\HasNoChildren) \"|\" \"R&-D\"\r\n"
        + "A2 OK LIST completed\r\n";

    internal const string EightBitStrings =
        "* 2 FETCH (UID 4 FLAGS (\\Seen) ENVELOPE (\"Thu, 22 Aug 2024 07:48:03 +0000\" \"Test\" ((\"Clément Exemple\" NIL \"clement\" \"example.org\")) ((\"Clément Exemple\" NIL \"clement\" \"example.org\")) ((\"Clément Exemple\" NIL \"clement\" \"example.org\")) ((\"Wrȯng Name\" NIL \"to\" \"example.net\")) NIL NIL NIL \"<x1@example.org>\") BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"utf-8\" \"name\" \"résumé.txt\") NIL NIL \"7bit\" 9 1 NIL NIL NIL NIL))\r\n"
        + "A4 OK FETCH completed\r\n"
        + "A5 OK [READ-WRITE] Entwürfe selected\r\n";

    public static TheoryData<string> AllTranscripts =>
    [
        ExchangeExtensionFields, InvalidNumbers, DispositionAsLiteral, EmptyParenthesizedAddressList,
        CharacterCountLiteral, GmailLabels, MicrosoftResponseCodes, ByeResponses, Continuations,
        LiteralLooksLikeProtocol, SplitAcrossReads, NonCanonicalMailboxNames, EightBitStrings,
    ];

    [Fact]
    public void ExchangeBareInlineDisposition()
    {
        List<object> results = ParseHarness.ParseAll(ExchangeExtensionFields);

        var first = Assert.IsType<FetchResponse>(results[0]);
        Assert.Equal(67u, first.Uid);
        var alternative = Assert.IsType<Multipart>(first.BodyStructure);
        Assert.Equal("alternative", alternative.MediaSubtype);
        Assert.Equal("----=_Part_1_1000", alternative.GetParameter("boundary"));
        Assert.Null(alternative.Disposition);
        Assert.Equal(2, alternative.Children.Count);
        var plain = Assert.IsType<SinglePart>(alternative.Children[0]);
        Assert.Equal("plain", plain.MediaSubtype);
        Assert.Equal("QUOTED-PRINTABLE", plain.Encoding);
        Assert.Equal(850, plain.Size);
        Assert.Equal(31, plain.Lines);
        Assert.Equal("inline", plain.Disposition?.Type);
        Assert.Empty(plain.Disposition!.Parameters);
        var html = Assert.IsType<SinglePart>(alternative.Children[1]);
        Assert.Equal("html", html.MediaSubtype);
        Assert.Equal(14692, html.Size);
        Assert.Equal(502, html.Lines);
        Assert.Equal("inline", html.Disposition?.Type);
    }

    [Fact]
    public void ExchangeDescriptionInMultipartDisposition()
    {
        List<object> results = ParseHarness.ParseAll(ExchangeExtensionFields);

        var second = Assert.IsType<FetchResponse>(results[1]);
        Assert.Equal(68u, second.Uid);
        var mixed = Assert.IsType<Multipart>(second.BodyStructure);
        Assert.Equal("mixed", mixed.MediaSubtype);
        Assert.Equal("----=_Part_0_2000", mixed.GetParameter("boundary"));
        Assert.Null(mixed.Disposition);
        Assert.Empty(mixed.Languages);
        var attachment = Assert.IsType<SinglePart>(mixed.Children[1]);
        Assert.Equal("attachment", attachment.Disposition?.Type);
        Assert.Equal("notes.txt", attachment.Disposition!.Parameters[0].Value);
        Assert.Equal(690, attachment.Size);
        var completion = Assert.IsType<TaggedCompletion>(results[2]);
        Assert.Equal("A7", completion.Tag);
    }

    [Fact]
    public void MultipartInOnePartFormIsOpaque()
    {
        List<object> results = ParseHarness.ParseAll(InvalidNumbers);

        Assert.Equal(4, results.Count);
        var first = Assert.IsType<FetchResponse>(results[0]);
        Assert.Equal(581u, first.Uid);
        var mixed = Assert.IsType<Multipart>(first.BodyStructure);
        Assert.Equal("B_3", mixed.GetParameter("boundary"));
        var appleDouble = Assert.IsType<SinglePart>(mixed.Children[1]);
        Assert.Equal("multipart", appleDouble.MediaType);
        Assert.Equal("appledouble", appleDouble.MediaSubtype);
        Assert.Null(appleDouble.Size);
        Assert.Equal("2", appleDouble.PartSpecifier);
        var second = Assert.IsType<FetchResponse>(results[1]);
        Assert.Equal(582u, second.Uid);
        var signed = Assert.IsType<SinglePart>(second.BodyStructure);
        Assert.Equal("multipart", signed.MediaType);
        Assert.Equal("signed", signed.MediaSubtype);
        Assert.Null(signed.Size);
    }

    [Fact]
    public void FloatSizeIsRounded()
    {
        List<object> results = ParseHarness.ParseAll(InvalidNumbers);

        var third = Assert.IsType<FetchResponse>(results[2]);
        Assert.Equal(583u, third.Uid);
        var mixed = Assert.IsType<Multipart>(third.BodyStructure);
        var pdf = Assert.IsType<SinglePart>(mixed.Children[1]);
        Assert.Equal(9373600, pdf.Size);
        Assert.Equal("attachment", pdf.Disposition?.Type);
        Assert.Equal("scan.pdf", pdf.Disposition!.Parameters[0].Value);
    }

    [Fact]
    public void DispositionLiteralIsNormalised()
    {
        List<object> results = ParseHarness.ParseAll(DispositionAsLiteral);

        var fetch = Assert.IsType<FetchResponse>(results[0]);
        Assert.Equal(3u, fetch.Uid);
        var mixed = Assert.IsType<Multipart>(fetch.BodyStructure);
        Assert.Equal("mixed", mixed.MediaSubtype);
        var related = Assert.IsType<Multipart>(Assert.Single(mixed.Children));
        Assert.Equal("related", related.MediaSubtype);
        var alternative = Assert.IsType<Multipart>(related.Children[0]);
        Assert.Equal("alternative", alternative.MediaSubtype);
        var plain = Assert.IsType<SinglePart>(Assert.Single(alternative.Children));
        Assert.Equal("text", plain.MediaType);
        Assert.Equal("1.1.1", plain.PartSpecifier);
        var gif = Assert.IsType<SinglePart>(related.Children[1]);
        Assert.Equal("image", gif.MediaType);
        Assert.Equal("gif", gif.MediaSubtype);
        Assert.Equal("<img-1@example.com>", gif.ContentId);
        Assert.Equal("inline", gif.Disposition?.Type);
        Assert.Empty(gif.Disposition!.Parameters);
        Assert.IsType<TaggedCompletion>(results[1]);
    }

    [Fact]
    public void EmptyAddressListIsLikeNil()
    {
        List<object> results = ParseHarness.ParseAll(EmptyParenthesizedAddressList);

        Envelope envelope = Assert.IsType<FetchResponse>(results[0]).Envelope!;
        Assert.Empty(envelope.To);
        Assert.Empty(envelope.Sender);
        Assert.Empty(envelope.ReplyTo);
        var from = Assert.IsType<MailboxAddress>(Assert.Single(envelope.From));
        Assert.Equal("News Team", from.DisplayName);
        Assert.Equal("news@lists.example.com", from.Address);
        Assert.Equal("<msg-1@lists.example.com>", envelope.MessageId);
        Assert.Equal("Weekly digest", envelope.Subject);
        Assert.IsType<TaggedCompletion>(results[1]);
    }

    [Fact]
    public void CharacterCountLiteralRecovers()
    {
        List<object> results = ParseHarness.ParseAll(CharacterCountLiteral);

        var fetch = Assert.IsType<FetchResponse>(results[0]);
        Assert.Equal(16410u, fetch.Uid);
        Assert.Equal("Парковка", fetch.Envelope!.Subject);
        var from = Assert.IsType<MailboxAddress>(Assert.Single(fetch.Envelope.From));
        Assert.Equal("Приёмная \"Офис Север\" №6", from.DisplayName);
        Assert.Equal("reception@example.com", from.Address);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(fetch.Envelope.To));
        Assert.Equal("team@example.com", to.Address);
        Assert.Equal("<a1b2@example.com>", fetch.Envelope.MessageId);
        Assert.Equal("E7", Assert.IsType<TaggedCompletion>(results[1]).Tag);
    }

    [Fact]
    public void CharacterCountLiteralStrictFails()
    {
        var options = new ImapParserOptions { AllowLiteralCharacterCount = false };

        var error = Assert.Throws<ImapParseException>(() => ParseHarness.ParseAll(CharacterCountLiteral, options));

        Assert.True(error.IsResponseConsumed);
    }

    [Fact]
    public void GmailLabelsMixedQuoting()
    {
        List<object> results = ParseHarness.ParseAll(GmailLabels);

        var fetch = Assert.IsType<FetchResponse>(results[0]);
        string[] expected =
            ["()", "(foo)", "[bar]", "\\Draft", "\\Important", "\\Sent", "fav", "[Mailbox]", "+IMNews", "Work (old", "say \"hi\""];
        Assert.Equal(expected, fetch.GmailLabels);
        Assert.Equal(6u, fetch.Uid);
        Assert.Equal(MessageFlags.Flagged | MessageFlags.Seen, fetch.Flags);
        Assert.Equal("A6", Assert.IsType<TaggedCompletion>(results[1]).Tag);
    }

    [Fact]
    public void GreetingBracketIsText()
    {
        List<object> results = ParseHarness.ParseAll(MicrosoftResponseCodes);

        var greeting = Assert.IsType<UntaggedStatusResponse>(results[0]);
        Assert.Null(greeting.Code);
        Assert.Equal("The Microsoft Exchange IMAP4 service is ready. [QQBCAEMAMQAyADMA]", greeting.Text);
    }

    [Fact]
    public void QuotedStringInsideCodeIsRaw()
    {
        List<object> results = ParseHarness.ParseAll(MicrosoftResponseCodes);

        var authenticated = Assert.IsType<TaggedCompletion>(results[1]);
        Assert.Equal(ImapResponseStatus.Ok, authenticated.Status);
        Assert.Equal(ResponseCodeKind.Unknown, authenticated.Code?.Kind);
        Assert.StartsWith("ERROR=\"MICROSOFT", authenticated.Code!.Name, StringComparison.Ordinal);
        Assert.EndsWith("Service=Imap4", authenticated.Code.RawArguments, StringComparison.Ordinal);
        Assert.Equal("AUTHENTICATE completed.", authenticated.Text);
    }

    [Fact]
    public void CopyUidWithoutSets()
    {
        List<object> results = ParseHarness.ParseAll(MicrosoftResponseCodes);

        var untagged = Assert.IsType<UntaggedStatusResponse>(results[2]);
        var code = Assert.IsType<CopyUidResponseCode>(untagged.Code);
        Assert.Equal(14u, code.UidValidity);
        Assert.Null(code.SourceUids);
        Assert.Null(code.TargetUids);
        Assert.Equal("A7", Assert.IsType<TaggedCompletion>(results[3]).Tag);
    }

    [Fact]
    public void BareCodeLineIsUntaggedOk()
    {
        List<object> results = ParseHarness.ParseAll(MicrosoftResponseCodes);

        var bare = Assert.IsType<UntaggedStatusResponse>(results[4]);
        Assert.Equal(ImapResponseStatus.Ok, bare.Status);
        var code = Assert.IsType<CopyUidResponseCode>(bare.Code);
        Assert.Equal(124u, code.UidValidity);
        Assert.Equal([10u], code.SourceUids!.Enumerate());
        Assert.Equal([233u], code.TargetUids!.Enumerate());
        var completion = Assert.IsType<TaggedCompletion>(results[5]);
        Assert.Equal("A8", completion.Tag);
        Assert.Equal(ImapResponseStatus.Ok, completion.Status);
    }

    [Fact]
    public void UntaggedAndTaggedBye()
    {
        List<object> results = ParseHarness.ParseAll(ByeResponses);

        var bye = Assert.IsType<UntaggedStatusResponse>(results[1]);
        Assert.Equal(ImapResponseStatus.Bye, bye.Status);
        Assert.Equal("Autologout; idle for too long", bye.Text);
        var tagged = Assert.IsType<TaggedCompletion>(results[3]);
        Assert.Equal("A6", tagged.Tag);
        Assert.Equal(ImapResponseStatus.Bye, tagged.Status);
        Assert.Equal("IMAP4rev1 Server logging out", tagged.Text);
    }

    [Fact]
    public void ByeWithoutText()
    {
        var bye = Assert.IsType<UntaggedStatusResponse>(Assert.Single(ParseHarness.ParseAll("* BYE\r\n")));

        Assert.Equal(ImapResponseStatus.Bye, bye.Status);
        Assert.Equal(string.Empty, bye.Text);
    }

    [Fact]
    public void ContinuationWithoutSpace()
    {
        List<object> results = ParseHarness.ParseAll(Continuations);

        var empty = Assert.IsType<ContinuationRequest>(results[1]);
        Assert.Equal(string.Empty, empty.Text);
        var text = Assert.IsType<ContinuationRequest>(results[3]);
        Assert.Equal("Ready for additional command text", text.Text);
        Assert.Equal("A2", Assert.IsType<TaggedCompletion>(results[4]).Tag);
    }

    [Fact]
    public void LiteralContentIsOpaque()
    {
        List<object> results = ParseHarness.ParseAll(LiteralLooksLikeProtocol);

        Assert.Equal(2, results.Count);
        var fetch = Assert.IsType<FetchResponse>(results[0]);
        Assert.Equal(42u, fetch.Uid);
        FetchBodySection body = Assert.Single(fetch.Sections);
        Assert.Equal("BODY[]", body.ItemName);
        Assert.Equal(122, body.Data!.Length);
        Assert.EndsWith("A3 OK not really\r\n", Encoding.ASCII.GetString(body.Data), StringComparison.Ordinal);
        var completion = Assert.IsType<TaggedCompletion>(results[1]);
        Assert.Equal("FETCH completed.", completion.Text);
    }

    [Fact]
    public void ReadsAtBadPlaces()
    {
        byte[] input = Encoding.ASCII.GetBytes(SplitAcrossReads);
        int first = SplitAcrossReads.IndexOf("{24}\r\n", StringComparison.Ordinal) + 6;
        int second = first + 24 + 2;
        int third = second + 1 + "A18 O".Length;

        List<object> results = ParseHarness.ParseAll(input, [first, second, third]);

        AssertSplitResult(results);
        Assert.Equal(ParseHarness.DumpAll(ParseHarness.ParseAll(SplitAcrossReads)), ParseHarness.DumpAll(results));
    }

    [Fact]
    public void ReadsOfOneOctet()
    {
        byte[] input = Encoding.ASCII.GetBytes(SplitAcrossReads);

        List<object> results = ParseHarness.ParseAll(input, Enumerable.Range(1, input.Length));

        AssertSplitResult(results);
    }

    private static void AssertSplitResult(List<object> results)
    {
        var fetch = Assert.IsType<FetchResponse>(results[0]);
        Assert.Equal(12u, fetch.SequenceNumber);
        Assert.Equal(14u, fetch.Uid);
        Assert.Equal(MessageFlags.Seen, fetch.Flags);
        FetchBodySection section = Assert.Single(fetch.Sections);
        Assert.Equal("1.1", section.Section);
        Assert.Equal("See attached.\r\n\r\n:-)\r\n\r\n", Encoding.ASCII.GetString(section.Data!));
        Assert.Equal("A18", Assert.IsType<TaggedCompletion>(results[1]).Tag);
    }

    [Fact]
    public void NonCanonicalModifiedUtf7()
    {
        List<object> results = ParseHarness.ParseAll(NonCanonicalMailboxNames);

        var yandex = Assert.IsType<MailboxInfo>(results[1]);
        Assert.Equal("Дом&Сад", yandex.Name);
        Assert.Equal("&BBQEPgQ8ACYEIQQwBDQ-", yandex.EncodedName);
        Assert.Equal('|', yandex.Delimiter);
        Assert.Equal(MailboxAttributes.HasNoChildren | MailboxAttributes.Marked, yandex.Attributes);
        var ampersand = Assert.IsType<MailboxInfo>(results[2]);
        Assert.Equal("R&D", ampersand.Name);
        Assert.False(ModifiedUtf7.IsCanonical("&BBQEPgQ8ACYEIQQwBDQ-"));
        Assert.Equal("&BBQEPgQ8-&-&BCEEMAQ0-", ModifiedUtf7.Encode("Дом&Сад"));
    }

    [Theory]
    [InlineData("&BBQ")]
    [InlineData("&B!Q-")]
    [InlineData("a&AP")]
    public void MalformedModifiedUtf7KeepsRaw(string encoded)
    {
        Assert.Equal(encoded, ModifiedUtf7.DecodeLenient(encoded));
    }

    [Fact]
    public void EightBitQuotedStrings()
    {
        List<object> results = ParseHarness.ParseAll(EightBitStrings);

        var fetch = Assert.IsType<FetchResponse>(results[0]);
        var from = Assert.IsType<MailboxAddress>(Assert.Single(fetch.Envelope!.From));
        Assert.Equal("Clément Exemple", from.DisplayName);
        Assert.Equal("clement@example.org", from.Address);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(fetch.Envelope.To));
        Assert.Equal("Wrȯng Name", to.DisplayName);
        Assert.Equal("to@example.net", to.Address);
        Assert.Equal("résumé.txt", fetch.BodyStructure!.GetParameter("name"));
        var selected = Assert.IsType<TaggedCompletion>(results[2]);
        Assert.Equal(ResponseCodeKind.ReadWrite, selected.Code?.Kind);
        Assert.Equal("Entwürfe selected", selected.Text);
    }

    [Fact]
    public void InvalidUtf8FallsBackToLatin1()
    {
        byte[] input = [.. "* OK caf"u8, 0xE9, .. "\r\n"u8];

        var ok = Assert.IsType<UntaggedStatusResponse>(Assert.Single(ParseHarness.ParseAll(input, [])));

        Assert.Equal("café", ok.Text);
    }

    [Fact]
    public void EmptyInReplyToIsNil()
    {
        var fetch = Assert.IsType<FetchResponse>(Assert.Single(ParseHarness.ParseAll(
            "* 1 FETCH (ENVELOPE (NIL \"\" () () () () () () \"\" \"<id@x>\"))\r\n")));

        Assert.Null(fetch.Envelope!.InReplyTo);
        Assert.Equal(string.Empty, fetch.Envelope.Subject);
        Assert.Empty(fetch.Envelope.From);
        Assert.Equal("<id@x>", fetch.Envelope.MessageId);
    }

    [Fact]
    public void SpacesBetweenMultipartChildren()
    {
        var fetch = Assert.IsType<FetchResponse>(Assert.Single(ParseHarness.ParseAll(
            "* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7bit\" 1 1) (\"text\" \"html\" NIL NIL NIL \"7bit\" 2 1) \"alternative\"))\r\n")));

        var multipart = Assert.IsType<Multipart>(fetch.BodyStructure);
        Assert.Equal(2, multipart.Children.Count);
        Assert.Equal("html", multipart.Children[1].MediaSubtype);
    }
}
