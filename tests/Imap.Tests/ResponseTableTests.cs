using System.Text;
using RawMail.Protocols.Imap.Model;
using RawMail.Protocols.Imap.Parsing;

namespace RawMail.Imap.Tests;

public sealed class ResponseTableTests
{
    private static T ParseSingle<T>(string text, ImapParserOptions? options = null)
    {
        return Assert.IsType<T>(Assert.Single(ParseHarness.ParseAll(text, options)));
    }

    [Fact]
    public void TaggedNoWithCode()
    {
        var completion = ParseSingle<TaggedCompletion>("a001 NO [TRYCREATE] Mailbox does not exist\r\n");

        Assert.Equal("a001", completion.Tag);
        Assert.Equal(ImapResponseStatus.No, completion.Status);
        Assert.Equal(ResponseCodeKind.TryCreate, completion.Code?.Kind);
        Assert.Equal("Mailbox does not exist", completion.Text);
    }

    [Theory]
    [InlineData("* OK [ALERT] Disk full\r\n", ResponseCodeKind.Alert)]
    [InlineData("* OK [READ-ONLY] ok\r\n", ResponseCodeKind.ReadOnly)]
    [InlineData("* NO [AUTHENTICATIONFAILED] Invalid credentials\r\n", ResponseCodeKind.AuthenticationFailed)]
    [InlineData("* OK [UIDNOTSTICKY] ok\r\n", ResponseCodeKind.UidNotSticky)]
    [InlineData("* OK [X-UNKNOWN-CODE a b] ok\r\n", ResponseCodeKind.Unknown)]
    public void CodeKinds(string text, ResponseCodeKind kind)
    {
        Assert.Equal(kind, ParseSingle<UntaggedStatusResponse>(text).Code?.Kind);
    }

    [Theory]
    [InlineData("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n", ResponseCodeKind.UidValidity, 3857529045UL)]
    [InlineData("* OK [UIDNEXT 4392] Predicted next UID\r\n", ResponseCodeKind.UidNext, 4392UL)]
    [InlineData("* OK [UNSEEN 12] Message 12 is first unseen\r\n", ResponseCodeKind.Unseen, 12UL)]
    [InlineData("* OK [HIGHESTMODSEQ 715194045007] Highest\r\n", ResponseCodeKind.HighestModSeq, 715194045007UL)]
    public void NumberCodes(string text, ResponseCodeKind kind, ulong value)
    {
        var code = Assert.IsType<NumberResponseCode>(ParseSingle<UntaggedStatusResponse>(text).Code);

        Assert.Equal(kind, code.Kind);
        Assert.Equal(value, code.Value);
    }

    [Fact]
    public void PermanentFlagsCode()
    {
        var response = ParseSingle<UntaggedStatusResponse>(
            "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n");

        var code = Assert.IsType<FlagsResponseCode>(response.Code);
        Assert.Equal(MessageFlags.Deleted | MessageFlags.Seen | MessageFlags.Wildcard, code.Flags);
        Assert.Empty(code.Keywords);
        Assert.Equal("Limited", response.Text);
    }

    [Fact]
    public void CapabilityCode()
    {
        var response = ParseSingle<UntaggedStatusResponse>("* OK [CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN] ready\r\n");

        var code = Assert.IsType<CapabilityResponseCode>(response.Code);
        Assert.Equal(["IMAP4rev1", "IDLE", "AUTH=PLAIN"], code.Capabilities);
    }

    [Fact]
    public void AppendUidCode()
    {
        var completion = ParseSingle<TaggedCompletion>("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n");

        var code = Assert.IsType<AppendUidResponseCode>(completion.Code);
        Assert.Equal(38505u, code.UidValidity);
        Assert.Equal([3955u], code.Uids!.Enumerate());
    }

    [Fact]
    public void CopyUidCodeRanges()
    {
        var completion = ParseSingle<TaggedCompletion>("A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n");

        var code = Assert.IsType<CopyUidResponseCode>(completion.Code);
        Assert.Equal([304u, 319u, 320u], code.SourceUids!.Enumerate());
        Assert.Equal([3956u, 3957u, 3958u], code.TargetUids!.Enumerate());
        Assert.Equal("304,319:320", code.SourceUids.ToString());
    }

    [Fact]
    public void PreAuthGreeting()
    {
        var response = ParseSingle<UntaggedStatusResponse>("* PREAUTH IMAP4rev2 server logged in as Smith\r\n");

        Assert.Equal(ImapResponseStatus.PreAuth, response.Status);
        Assert.Equal("IMAP4rev2 server logged in as Smith", response.Text);
    }

    [Fact]
    public void Capability()
    {
        var response = ParseSingle<CapabilityResponse>("* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\n");

        Assert.False(response.IsEnabled);
        Assert.Equal(["IMAP4rev1", "STARTTLS", "AUTH=GSSAPI", "LOGINDISABLED"], response.Capabilities);
    }

    [Fact]
    public void Enabled()
    {
        var response = ParseSingle<CapabilityResponse>("* ENABLED CONDSTORE QRESYNC\r\n");

        Assert.True(response.IsEnabled);
        Assert.Equal(["CONDSTORE", "QRESYNC"], response.Capabilities);
    }

    [Theory]
    [InlineData("* 23 EXISTS\r\n", NumberResponseKind.Exists, 23u)]
    [InlineData("* 5 RECENT\r\n", NumberResponseKind.Recent, 5u)]
    [InlineData("* 8 EXPUNGE\r\n", NumberResponseKind.Expunge, 8u)]
    public void NumberResponses(string text, NumberResponseKind kind, uint value)
    {
        var response = ParseSingle<NumberResponse>(text);

        Assert.Equal(kind, response.Kind);
        Assert.Equal(value, response.Value);
    }

    [Fact]
    public void Flags()
    {
        var response = ParseSingle<FlagsResponse>("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n");

        Assert.Equal(MessageFlags.Answered | MessageFlags.Flagged | MessageFlags.Deleted | MessageFlags.Seen
            | MessageFlags.Draft, response.Flags);
        Assert.Equal(["$Forwarded"], response.Keywords);
    }

    [Fact]
    public void ListWithExtendedData()
    {
        var mailbox = ParseSingle<MailboxInfo>(
            "* LIST (\\Subscribed \\HasChildren \\X-Custom) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\") \"OLDNAME\" (\"B&AOQ-r\"))\r\n");

        Assert.False(mailbox.IsLsub);
        Assert.Equal(MailboxAttributes.Subscribed | MailboxAttributes.HasChildren, mailbox.Attributes);
        Assert.Equal(["\\X-Custom"], mailbox.OtherAttributes);
        Assert.Equal('/', mailbox.Delimiter);
        Assert.Equal("Foo", mailbox.Name);
        Assert.Equal(["SUBSCRIBED"], mailbox.ChildInfo);
        Assert.Equal("Bär", mailbox.OldName);
    }

    [Fact]
    public void ListNilDelimiterAndLiteralName()
    {
        var mailbox = ParseSingle<MailboxInfo>("* LSUB () NIL {4}\r\nA\"b)\r\n");

        Assert.True(mailbox.IsLsub);
        Assert.Null(mailbox.Delimiter);
        Assert.Equal("A\"b)", mailbox.Name);
    }

    [Fact]
    public void ListSpecialUse()
    {
        var mailbox = ParseSingle<MailboxInfo>("* LIST (\\HasNoChildren \\Sent) \".\" Sent\r\n");

        Assert.Equal(MailboxAttributes.HasNoChildren | MailboxAttributes.Sent, mailbox.Attributes);
        Assert.Equal('.', mailbox.Delimiter);
        Assert.Equal("Sent", mailbox.Name);
    }

    [Fact]
    public void ListUtf8Accept()
    {
        var parser = new ImapResponseParser { Utf8Accept = true };
        byte[] input = Encoding.UTF8.GetBytes("* LIST () \"/\" \"Entwürfe&AP\"\r\n");
        var reader = new System.Buffers.SequenceReader<byte>(new System.Buffers.ReadOnlySequence<byte>(input));

        parser.TryParse(ref reader, out ImapResponse? response);

        Assert.Equal("Entwürfe&AP", Assert.IsType<MailboxInfo>(response).Name);
    }

    [Fact]
    public void Status()
    {
        var status = ParseSingle<MailboxStatus>(
            "* STATUS \"blurdybloop\" (MESSAGES 231 UIDNEXT 44292 UIDVALIDITY 1 UNSEEN 3 RECENT 0 HIGHESTMODSEQ 7011231777 SIZE 99 DELETED 2 )\r\n");

        Assert.Equal("blurdybloop", status.Name);
        Assert.Equal(231u, status.Messages);
        Assert.Equal(44292u, status.UidNext);
        Assert.Equal(1u, status.UidValidity);
        Assert.Equal(3u, status.Unseen);
        Assert.Equal(0u, status.Recent);
        Assert.Equal(7011231777UL, status.HighestModSeq);
        Assert.Equal(99UL, status.Size);
        Assert.Equal(2u, status.Deleted);
        Assert.Null(status.AppendLimit);
    }

    [Fact]
    public void Search()
    {
        var search = ParseSingle<SearchResponse>("* SEARCH 2 84 882 (MODSEQ 917162500)\r\n");

        Assert.Equal([2u, 84u, 882u], search.Numbers);
        Assert.Equal(917162500UL, search.ModSeq);
    }

    [Fact]
    public void SearchEmpty()
    {
        var search = ParseSingle<SearchResponse>("* SEARCH\r\n");

        Assert.Empty(search.Numbers);
        Assert.Null(search.ModSeq);
    }

    [Fact]
    public void ESearch()
    {
        var search = ParseSingle<ESearchResponse>("* ESEARCH (TAG \"A282\") UID MIN 2 COUNT 3 ALL 2,10:11 MAX 11\r\n");

        Assert.Equal("A282", search.Tag);
        Assert.True(search.IsUid);
        Assert.Equal(2u, search.Min);
        Assert.Equal(11u, search.Max);
        Assert.Equal(3u, search.Count);
        Assert.Equal([2u, 10u, 11u], search.All!.Enumerate());
    }

    [Fact]
    public void VanishedEarlier()
    {
        var vanished = ParseSingle<VanishedResponse>("* VANISHED (EARLIER) 300:303,405\r\n");

        Assert.True(vanished.IsEarlier);
        Assert.Equal([300u, 301u, 302u, 303u, 405u], vanished.Uids.Enumerate());
    }

    [Fact]
    public void Vanished()
    {
        var vanished = ParseSingle<VanishedResponse>("* VANISHED 405,407:*\r\n");

        Assert.False(vanished.IsEarlier);
        Assert.Equal(new SequenceRange(407, uint.MaxValue), vanished.Uids.Ranges[1]);
    }

    [Fact]
    public void Id()
    {
        var id = ParseSingle<IdResponse>("* ID (\"name\" \"Cyrus\" \"version\" \"1.5\" \"os\" NIL)\r\n");

        Assert.Equal(3, id.Fields.Count);
        Assert.Equal("Cyrus", id.Fields[0].Value);
        Assert.Null(id.Fields[2].Value);
    }

    [Fact]
    public void IdNil()
    {
        Assert.Empty(ParseSingle<IdResponse>("* ID NIL\r\n").Fields);
    }

    [Fact]
    public void Namespace()
    {
        var ns = ParseSingle<NamespaceResponse>(
            "* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\" \"X-PARAM\" (\"FLAG1\"))(\"#public/\" NIL))\r\n");

        Assert.Equal(new NamespaceEntry("", '/'), Assert.Single(ns.Personal));
        Assert.Equal(new NamespaceEntry("~", '/'), Assert.Single(ns.OtherUsers));
        Assert.Equal(2, ns.Shared.Count);
        Assert.Null(ns.Shared[1].Delimiter);
    }

    [Fact]
    public void UnknownUntagged()
    {
        var unknown = ParseSingle<UnknownResponse>("* XAPPLEPUSHSERVICE aps-version 2 {3}\r\nabc\r\n");

        Assert.Equal("XAPPLEPUSHSERVICE", unknown.Name);
        Assert.Equal("aps-version 2 {3}\r\nabc", unknown.RawArguments);
    }

    [Fact]
    public void UnknownNumbered()
    {
        var unknown = ParseSingle<UnknownResponse>("* 3 XNOTE something\r\n");

        Assert.Equal("3 XNOTE", unknown.Name);
        Assert.Equal("something", unknown.RawArguments);
    }

    [Fact]
    public void FetchAllItems()
    {
        var fetch = ParseSingle<FetchResponse>(
            "* 12 FETCH (FLAGS (\\Seen $Label1) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 "
            + "UID 99 MODSEQ (624140003) X-GM-MSGID 1278455344230334865 X-GM-THRID 1266894439832287888 "
            + "EMAILID (M6d99ac3275bb4e) THREADID NIL BINARY.SIZE[1] 20 XUNKNOWN (a \"b\") "
            + "BODY[HEADER.FIELDS (SUBJECT)]<0> {11}\r\nSubject: x\n BINARY[1] ~{3}\r\n\0\u0001\u0002 RFC822.HEADER NIL)\r\n");

        Assert.Equal(12u, fetch.SequenceNumber);
        Assert.Equal(MessageFlags.Seen, fetch.Flags);
        Assert.Equal(["$Label1"], fetch.Keywords);
        Assert.Equal(new DateTimeOffset(1996, 7, 17, 2, 44, 25, TimeSpan.FromHours(-7)), fetch.InternalDate);
        Assert.Equal(4286, fetch.Size);
        Assert.Equal(99u, fetch.Uid);
        Assert.Equal(624140003UL, fetch.ModSeq);
        Assert.Equal(1278455344230334865UL, fetch.GmailMessageId);
        Assert.Equal(1266894439832287888UL, fetch.GmailThreadId);
        Assert.Equal("M6d99ac3275bb4e", fetch.EmailId);
        Assert.Null(fetch.ThreadId);
        Assert.Equal(new KeyValuePair<string, long>("1", 20), Assert.Single(fetch.BinarySizes));
        Assert.Equal(new KeyValuePair<string, string>("XUNKNOWN", "(a \"b\")"), Assert.Single(fetch.OtherItems));
        Assert.Equal(3, fetch.Sections.Count);
        Assert.Equal("BODY[HEADER.FIELDS (SUBJECT)]", fetch.Sections[0].ItemName);
        Assert.Equal("HEADER.FIELDS (SUBJECT)", fetch.Sections[0].Section);
        Assert.Equal(0u, fetch.Sections[0].Origin);
        Assert.Equal("Subject: x\n", Encoding.ASCII.GetString(fetch.Sections[0].Data!));
        Assert.Equal("BINARY[1]", fetch.Sections[1].ItemName);
        Assert.Equal(new byte[] { 0, 1, 2 }, fetch.Sections[1].Data);
        Assert.Equal("RFC822.HEADER", fetch.Sections[2].ItemName);
        Assert.Null(fetch.Sections[2].Data);
    }

    [Fact]
    public void InternalDateSpacePaddedDay()
    {
        var fetch = ParseSingle<FetchResponse>("* 1 FETCH (INTERNALDATE \" 7-Feb-2024 23:59:59 +0100\")\r\n");

        Assert.Equal(new DateTimeOffset(2024, 2, 7, 23, 59, 59, TimeSpan.FromHours(1)), fetch.InternalDate);
    }

    [Fact]
    public void EnvelopeGroupsAndEncodedWords()
    {
        var fetch = ParseSingle<FetchResponse>(
            "* 1 FETCH (ENVELOPE (\"Mon, 7 Feb 1994 21:52:25 -0800 (PST)\" \"=?ISO-8859-1?Q?Caf=E9?= =?UTF-8?B?4pyT?= ok\" "
            + "((\"=?utf-8?q?J=C3=B6rg?=\" NIL \"joerg\" \"example.com\")) NIL NIL "
            + "((NIL NIL \"undisclosed\" NIL)(\"A\" NIL \"a\" \"x.org\")(NIL NIL NIL NIL)(NIL NIL \"b\" \"y.org\")) "
            + "NIL NIL \"<parent@x>\" \"<id@x>\"))\r\n");

        Envelope envelope = fetch.Envelope!;
        Assert.Equal(new DateTimeOffset(1994, 2, 7, 21, 52, 25, TimeSpan.FromHours(-8)), envelope.Date);
        Assert.Equal("Café✓ ok", envelope.Subject);
        Assert.Equal("Jörg", Assert.IsType<MailboxAddress>(envelope.From[0]).DisplayName);
        var group = Assert.IsType<GroupAddress>(envelope.To[0]);
        Assert.Equal("undisclosed", group.DisplayName);
        Assert.Equal("a@x.org", Assert.Single(group.Members).Address);
        Assert.Equal("b@y.org", Assert.IsType<MailboxAddress>(envelope.To[1]).Address);
        Assert.Equal("<parent@x>", envelope.InReplyTo);
        Assert.Equal("<id@x>", envelope.MessageId);
    }

    [Fact]
    public void BodyStructureMessagePart()
    {
        var fetch = ParseSingle<FetchResponse>(
            "* 1 FETCH (BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)"
            + "(\"message\" \"rfc822\" NIL NIL NIL \"7bit\" 300 (NIL \"inner\" NIL NIL NIL NIL NIL NIL NIL NIL) "
            + "((\"text\" \"plain\" NIL NIL NIL \"7bit\" 5 1)(\"text\" \"html\" NIL NIL NIL \"7bit\" 9 1) \"alternative\") 12 "
            + "\"d41d8cd98f00b204e9800998ecf8427e\" (\"attachment\" (\"filename\" \"m.eml\")) (\"en\" \"de\") \"http://x/\") "
            + "\"mixed\" (\"boundary\" \"b\") NIL \"en\"))\r\n");

        var mixed = Assert.IsType<Multipart>(fetch.BodyStructure);
        Assert.Equal(["en"], mixed.Languages);
        var message = Assert.IsType<MessagePart>(mixed.Children[1]);
        Assert.Equal("2", message.PartSpecifier);
        Assert.Equal(300, message.Size);
        Assert.Equal(12, message.Lines);
        Assert.Equal("inner", message.Envelope!.Subject);
        var inner = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("2.2", inner.Children[1].PartSpecifier);
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", message.Md5);
        Assert.Equal("attachment", message.Disposition?.Type);
        Assert.Equal(["en", "de"], message.Languages);
        Assert.Equal("http://x/", message.Location);
    }

    [Fact]
    public void BodyNonExtensible()
    {
        var fetch = ParseSingle<FetchResponse>("* 1 FETCH (BODY (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n");

        var part = Assert.IsType<SinglePart>(fetch.BodyStructure);
        Assert.Equal("text", part.MediaType);
        Assert.Equal("US-ASCII", part.GetParameter("charset"));
        Assert.Equal(92, part.Lines);
        Assert.Equal("1", part.PartSpecifier);
    }

    [Fact]
    public void QuotedEscapes()
    {
        var response = ParseSingle<MailboxInfo>("* LIST () \"\\\\\" \"a\\\\b\\\"c\"\r\n");

        Assert.Equal('\\', response.Delimiter);
        Assert.Equal("a\\b\"c", response.Name);
    }

    [Theory]
    [InlineData("\"a\\x\"", "a\\x")]
    [InlineData("\"\\\\\\\"\"", "\\\"")]
    [InlineData("\"\"", "")]
    public void QuotedBackslashes(string wire, string expected)
    {
        var response = ParseSingle<MailboxInfo>("* LIST () NIL " + wire + "\r\n");

        Assert.Equal(expected, response.Name);
    }

    [Fact]
    public void UnterminatedQuotedString()
    {
        var error = Assert.Throws<ImapParseException>(() => ParseHarness.ParseAll("* LIST () NIL \"abc\\\"\r\n"));

        Assert.Equal(ImapParseErrorReason.InvalidQuotedString, error.Reason);
    }

    [Fact]
    public void BareLineFeed()
    {
        var response = ParseSingle<NumberResponse>("* 4 EXISTS\n");

        Assert.Equal(4u, response.Value);
    }
}
