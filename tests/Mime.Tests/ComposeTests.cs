using System.Text;
using RawMail.Mime;

namespace RawMail.Mime.Tests;

public class ComposeTests
{
    private static MimeWriterOptions FixedOptions()
    {
        int boundary = 0;
        return new MimeWriterOptions
        {
            BoundaryGenerator = () => "=_b" + (++boundary),
            MessageIdGenerator = _ => "id1@example.test",
            Clock = () => new DateTimeOffset(2026, 12, 4, 16, 35, 8, TimeSpan.Zero),
        };
    }

    private static string Write(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteToAsync(stream, FixedOptions()).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void FullMessageExactOutput()
    {
        var message = new MimeMessage
        {
            Subject = "Report",
            TextBody = "Hello\nworld",
            HtmlBody = "<p>Hello <img src=\"cid:logo\"></p>",
        };
        message.From.Add(new MailboxAddress("Ann Example", "ann@example.test"));
        message.To.Add(new MailboxAddress("bob@example.test"));
        message.Bcc.Add(new MailboxAddress("hidden@example.test"));
        var png = new ContentType("image", "png");
        message.Attachments.Add(new Attachment("logo.png", png, MimeContent.FromBytes([1, 2, 3]))
        {
            ContentId = "logo",
            IsInline = true,
        });
        message.Attachments.Add(new Attachment("Überweisung für das Jahr 2026 mit sehr langem Dateinamen.pdf",
            new ContentType("application", "pdf"), MimeContent.FromBytes(Encoding.ASCII.GetBytes("%PDF-1.4\n"))));

        string expected =
            "Date: Fri, 04 Dec 2026 16:35:08 +0000\r\n"
            + "From: Ann Example <ann@example.test>\r\n"
            + "To: bob@example.test\r\n"
            + "Subject: Report\r\n"
            + "Message-ID: <id1@example.test>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"=_b1\"\r\n"
            + "\r\n"
            + "--=_b1\r\n"
            + "Content-Type: multipart/alternative; boundary=\"=_b2\"\r\n"
            + "\r\n"
            + "--=_b2\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n"
            + "\r\n"
            + "Hello\r\nworld\r\n"
            + "--=_b2\r\n"
            + "Content-Type: multipart/related; type=\"text/html\"; boundary=\"=_b3\"\r\n"
            + "\r\n"
            + "--=_b3\r\n"
            + "Content-Type: text/html; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 7bit\r\n"
            + "\r\n"
            + "<p>Hello <img src=\"cid:logo\"></p>\r\n"
            + "--=_b3\r\n"
            + "Content-Type: image/png; name=logo.png\r\n"
            + "Content-Disposition: inline; filename=logo.png\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-ID: <logo>\r\n"
            + "\r\n"
            + "AQID\r\n"
            + "--=_b3--\r\n"
            + "\r\n"
            + "--=_b2--\r\n"
            + "\r\n"
            + "--=_b1\r\n"
            + "Content-Type: application/pdf;\r\n"
            + " name*0*=utf-8''%C3%9Cberweisung%20f%C3%BCr%20das%20Jahr%202026;\r\n"
            + " name*1*=%20mit%20sehr%20langem%20Dateinamen.pdf\r\n"
            + "Content-Disposition: attachment;\r\n"
            + " filename*0*=utf-8''%C3%9Cberweisung%20f%C3%BCr%20das%20Jahr%202026;\r\n"
            + " filename*1*=%20mit%20sehr%20langem%20Dateinamen.pdf\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "\r\n"
            + "JVBERi0xLjQK\r\n"
            + "--=_b1--\r\n";
        Assert.Equal(expected, Write(message));
    }

    [Fact]
    public void SubjectEncodedWordsAndFolding()
    {
        var message = new MimeMessage
        {
            Subject = "Re: Grüße aus Köln und eine sehr lange Betreffzeile, die gefaltet werden muss",
            TextBody = "x",
        };
        string output = Write(message);
        string subject = output.Split("\r\nMessage-ID")[0].Split("Subject: ")[1];
        Assert.Equal(
            "Re: =?utf-8?B?R3LDvMOfZQ==?= aus =?utf-8?B?S8O2bG4=?= und eine sehr\r\n"
            + " lange Betreffzeile, die gefaltet werden muss",
            subject);
    }

    [Fact]
    public void HeaderFoldingExact()
    {
        string folded = HeaderFolding.Fold("X-Long", string.Join(" ", Enumerable.Repeat("word", 20)));
        Assert.Equal(
            "X-Long: word word word word word word word word word word word word word word\r\n"
            + " word word word word word word",
            folded);
    }

    [Fact]
    public void EncodedWordUsesBForMostlyNonAscii()
    {
        Assert.Equal("=?utf-8?B?0J/RgNC40LLQtdGC?=", EncodedWord.Encode("Привет", EncodedWordContext.Text));
    }

    [Fact]
    public void EncodedWordLongTextSplitsAt75()
    {
        string encoded = EncodedWord.Encode(new string('é', 60), EncodedWordContext.Text);
        Assert.All(encoded.Split(' '), word => Assert.True(word.Length <= 75));
        Assert.Equal(new string('é', 60), EncodedWordDecoder.Decode(encoded));
    }

    [Fact]
    public void SubjectWithLineBreakRejected()
    {
        var message = new MimeMessage();
        ArgumentException error = Assert.Throws<ArgumentException>(() => message.Subject = "a\r\nBcc: x@example.test");
        Assert.Contains("Subject", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CustomHeaderWithLineBreakRejected()
    {
        var message = new MimeMessage();
        ArgumentException error = Assert.Throws<ArgumentException>(() => message.Headers.Add("X-Note", "a\nb"));
        Assert.Contains("X-Note", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageIdUsesFromDomain()
    {
        var message = new MimeMessage { TextBody = "x" };
        message.From.Add(new MailboxAddress("ann@mail.example.test"));
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        Assert.EndsWith("@mail.example.test", message.MessageId, StringComparison.Ordinal);
        Assert.Equal(32 + "@mail.example.test".Length, message.MessageId!.Length);
    }

    [Fact]
    public void BccNeverWritten()
    {
        var message = new MimeMessage { TextBody = "x" };
        message.Bcc.Add(new MailboxAddress("hidden@example.test"));
        Assert.DoesNotContain("hidden", Write(message), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeAttachmentStreamsAndRoundTrips()
    {
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(data);
        var message = new MimeMessage { TextBody = "see attached" };
        message.Attachments.Add(new Attachment("big.bin", new ContentType("application", "octet-stream"),
            MimeContent.FromStream(() => new MemoryStream(data, writable: false))));
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream, FixedOptions());
        stream.Position = 0;
        var options = new MimeParserOptions { MemoryThreshold = 64 * 1024 };
        using MimeMessage parsed = await MimeParser.ParseAsync(stream, options);
        Assert.Equal(data, parsed.Attachments[0].Content.ToArray());
    }

    [Fact]
    public void QuotedPrintableChosenForMostlyAscii()
    {
        var message = new MimeMessage { TextBody = "Grüße, this is mostly ASCII text " };
        string output = Write(message);
        Assert.Contains("Content-Transfer-Encoding: quoted-printable\r\n", output, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nGr=C3=BC=C3=9Fe, this is mostly ASCII text=20", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AddressListParsesObsoleteForms()
    {
        IReadOnlyList<InternetAddress> list = AddressParser.ParseList(
            "\"Doe, Jane\" <jane@example.test>, bob@example.test (Bob B), Team: a@x.test, <@route:c@y.test>;, "
            + "=?utf-8?Q?J=C3=B6rg?= <j@z.test>");
        Assert.Equal(4, list.Count);
        Assert.Equal(new MailboxAddress("Doe, Jane", "jane@example.test"), list[0]);
        Assert.Equal(new MailboxAddress("Bob B", "bob@example.test"), list[1]);
        var group = (GroupAddress)list[2];
        Assert.Equal("Team", group.Name);
        Assert.Equal(new MailboxAddress("c@y.test"), group.Members[1]);
        Assert.Equal(new MailboxAddress("Jörg", "j@z.test"), list[3]);
    }

    [Fact]
    public void EncodedWordsJoinSplitCharacter()
    {
        Assert.Equal("é and", EncodedWordDecoder.Decode("=?utf-8?Q?=C3?=  =?utf-8?Q?=A9?= and"));
    }

    [Fact]
    public void InvalidBase64WordKept()
    {
        Assert.Equal("a =?utf-8?B?@@@?= b", EncodedWordDecoder.Decode("=?utf-8?Q?a?= =?utf-8?B?@@@?= b"));
    }

    [Fact]
    public void UnpaddedBase64WordDecoded()
    {
        Assert.Equal("é", EncodedWordDecoder.Decode("=?utf-8?B?w6k?="));
    }

    [Fact]
    public void MalformedEncodedWordKept()
    {
        const string Input = "=?x-unknown?Q?abc?= =?utf-8?Z?abc?=";
        Assert.Equal(Input, EncodedWordDecoder.Decode(Input));
    }

    [Fact]
    public void BadBase64Flagged()
    {
        MimeMessage message = TestMessages.Parse("Content-Transfer-Encoding: base64\r\n\r\nQUJD*RA");
        var part = (MimePart)message.Body!;
        Assert.True(part.HasEncodingProblem);
        Assert.Equal("ABCD", Encoding.ASCII.GetString(part.Content.ToArray()));
    }

    [Fact]
    public void JmapViewProjectsFields()
    {
        MimeMessage message = TestMessages.Parse(
            "From: Ann <ann@example.test>\r\nSubject: =?utf-8?Q?Hi_=C3=A9?=\r\nContent-Type: text/plain\r\n\r\nbody");
        MessageView view = message.ToJmapLike();
        Assert.Equal(new AddressView("Ann", "ann@example.test"), view.From[0]);
        Assert.Equal("Hi é", view.Subject);
        Assert.Equal("body", view.TextBody);
        Assert.Equal(3, view.Headers.Count);
    }
}

public class ComposeNestingTests
{
    [Fact]
    public async Task AttachedMessageRoundTrips()
    {
        var inner = new MimeMessage { Subject = "inner", TextBody = "inner text" };
        var outer = new MimeMessage { Subject = "outer", TextBody = "outer text" };
        outer.AttachedMessages.Add(inner);
        using var stream = new MemoryStream();
        await outer.WriteToAsync(stream);
        MimeMessage parsed = TestMessages.Parse(stream.ToArray(), [int.MaxValue]);
        MimeMessage parsedInner = Assert.Single(parsed.AttachedMessages);
        Assert.Equal("outer text", parsed.TextBody);
        Assert.Equal("inner", parsedInner.Subject);
        Assert.Equal("inner text", parsedInner.TextBody);
    }

    [Fact]
    public async Task LongUrlInCustomHeaderKept()
    {
        string url = "<https://example.test/unsubscribe/" + new string('a', 120) + ">";
        var message = new MimeMessage { TextBody = "x" };
        message.Headers.Add("List-Unsubscribe", url);
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        MimeMessage parsed = TestMessages.Parse(stream.ToArray(), [int.MaxValue]);
        Assert.Equal(url, parsed.Headers.GetFirst("List-Unsubscribe"));
    }

    [Fact]
    public async Task PipeWriterOutputMatchesStream()
    {
        var options = new MimeWriterOptions
        {
            BoundaryGenerator = () => "=_b",
            MessageIdGenerator = _ => "id@example.test",
            Clock = () => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        var message = new MimeMessage { TextBody = "text", HtmlBody = "<b>html</b>" };
        using var viaStream = new MemoryStream();
        await message.WriteToAsync(viaStream, options);
        var pipe = new System.IO.Pipelines.Pipe();
        await new MimeWriter(options).WriteAsync(message, pipe.Writer, CancellationToken.None);
        await pipe.Writer.CompleteAsync();
        using var viaPipe = new MemoryStream();
        await pipe.Reader.CopyToAsync(viaPipe);
        Assert.Equal(viaStream.ToArray(), viaPipe.ToArray());
    }

    [Fact]
    public void QuotedPrintableSoftBreakAt76()
    {
        string encoded = QuotedPrintableCodec.Encode(Encoding.ASCII.GetBytes(new string('a', 80) + " \r\nb"));
        Assert.Equal(new string('a', 75) + "=\r\naaaaa=20\r\nb", encoded);
    }
}
