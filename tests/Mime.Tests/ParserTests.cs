using System.Text;
using RawMail.Mime;

namespace RawMail.Mime.Tests;

public class ParserTests
{
    [Fact]
    public void HeaderOverLimitRaises()
    {
        byte[] input = Encoding.ASCII.GetBytes("X-Long: " + new string('a', 10_000));
        var options = new MimeParserOptions { MaxHeaderBytes = 1024 };
        MimeParseException error = Assert.Throws<MimeParseException>(() => TestMessages.Parse(input, [512], options));
        Assert.Equal(MimeParseError.HeaderTooLarge, error.Error);
    }

    [Fact]
    public void NestingOverLimitRaises()
    {
        var text = new StringBuilder();
        for (int i = 0; i < 10; i++)
        {
            text.Append("Content-Type: multipart/mixed; boundary=b").Append(i)
                .Append("\r\n\r\n--b").Append(i).Append("\r\n");
        }

        var options = new MimeParserOptions { MaxDepth = 5 };
        MimeParseException error = Assert.Throws<MimeParseException>(() => TestMessages.Parse(text.ToString(), options));
        Assert.Equal(MimeParseError.NestingTooDeep, error.Error);
    }

    [Fact]
    public void PartsOverLimitRaises()
    {
        string input = "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
            + string.Concat(Enumerable.Repeat("--b\r\n\r\nx\r\n", 20)) + "--b--\r\n";
        var options = new MimeParserOptions { MaxParts = 10 };
        MimeParseException error = Assert.Throws<MimeParseException>(() => TestMessages.Parse(input, options));
        Assert.Equal(MimeParseError.TooManyParts, error.Error);
    }

    [Fact]
    public void NestedMessageParsed()
    {
        MimeMessage message = TestMessages.Parse(
            "Subject: outer\r\nContent-Type: multipart/mixed; boundary=o\r\n\r\n--o\r\n\r\nouter text\r\n--o\r\n"
            + "Content-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: multipart/alternative; boundary=i\r\n"
            + "\r\n--i\r\nContent-Type: text/plain\r\n\r\ninner text\r\n--i--\r\n\r\n--o--\r\n");
        Assert.Equal("outer text", message.TextBody);
        MimeMessage inner = Assert.Single(message.AttachedMessages);
        Assert.Equal("inner", inner.Subject);
        Assert.Equal("inner text", inner.TextBody);
    }

    [Fact]
    public void QuotedPrintableBadEscapeFlagged()
    {
        MimeMessage message = TestMessages.Parse(
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            + "caf=C3=A9 =ZZ soft=\r\nbreak   \r\nend");
        var part = (MimePart)message.Body!;
        Assert.Equal("café =ZZ softbreak\r\nend", message.TextBody);
        Assert.True(part.HasEncodingProblem);
    }

    [Fact]
    public void Latin1BodyDecoded()
    {
        MimeMessage message = TestMessages.Parse(
            "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"u8.ToArray()
                .Concat(new byte[] { 0x72, 0xE9, 0x73 }).ToArray(), [int.MaxValue]);
        Assert.Equal("rés", message.TextBody);
    }

    [Fact]
    public void UnknownCharsetFlagged()
    {
        MimeMessage message = TestMessages.Parse("Content-Type: text/plain; charset=x-nothing\r\n\r\nabc");
        var part = (MimePart)message.Body!;
        Assert.Equal("abc", message.TextBody);
        Assert.Contains(part.Problems, p => p.Kind == MimeProblemKind.UnknownCharset);
    }

    [Fact]
    public void DateObsoleteFormParsed()
    {
        var expected = new DateTimeOffset(1999, 2, 3, 4, 5, 0, TimeSpan.FromHours(-5));
        Assert.Equal(expected, DateFormat.Parse("3 Feb 99 04:05 EST"));
    }

    [Fact]
    public void DateNumericZoneParsed()
    {
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 16, 35, 8, new TimeSpan(5, 30, 0)),
            DateFormat.Parse("Fri, 04 Dec 2026 16:35:08 +0530"));
    }

    [Fact]
    public void LargePartSpillsAndDeletes()
    {
        string base64 = Convert.ToBase64String(new byte[200_000], Base64FormattingOptions.InsertLineBreaks);
        MimeMessage message = TestMessages.Parse(
            Encoding.ASCII.GetBytes(
                "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64),
            [4096], new MimeParserOptions { MemoryThreshold = 10_000 });
        var part = (MimePart)message.Body!;
        Assert.Equal(200_000, part.Content.Length);
        Assert.Equal(new byte[200_000], part.Content.ToArray());
        message.Dispose();
        Assert.ThrowsAny<IOException>(() => part.Content.Open());
    }

    [Fact]
    public async Task ParsedMessageWritesBackOnce()
    {
        MimeMessage message = TestMessages.Parse(
            "From: a@example.test\r\nX-Tag: one\r\nMessage-ID: <m1@example.test>\r\n"
            + "Date: Fri, 04 Dec 2026 16:35:08 +0000\r\n"
            + "Content-Type: text/plain\r\n\r\nbody");
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        string output = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Equal(1, output.Split("X-Tag: one").Length - 1);
        MimeMessage again = TestMessages.Parse(stream.ToArray(), [int.MaxValue]);
        Assert.Equal("body", again.TextBody);
        Assert.Equal("m1@example.test", again.MessageId);
    }

    [Fact]
    public void EncodedDisplayNameParsed()
    {
        MimeMessage message = TestMessages.Parse("From: =?iso-8859-1?q?J=F6rg?= <j@example.test>\r\n\r\nx");
        Assert.Equal(new MailboxAddress("Jörg", "j@example.test"), message.From[0]);
    }

    [Fact]
    public void BareLfInputParsed()
    {
        MimeMessage message = TestMessages.Parse(
            "Subject: lf\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nline1\nline2\n--b--\n");
        Assert.Equal("lf", message.Subject);
        Assert.Equal("line1\nline2", message.TextBody);
    }
}

public class ParserScaleTests
{
    [Fact]
    public void ManyContinuationLinesJoined()
    {
        string header = "X-Many: a" + string.Concat(Enumerable.Repeat("\r\n b", 50_000)) + "\r\n\r\nbody";
        MimeMessage message = TestMessages.Parse(header);
        Assert.Equal(1 + 50_000 * 2, message.Headers.GetFirst("X-Many")!.Length);
    }

    [Fact]
    public void ManyEncodedWordOpenersKept()
    {
        string text = string.Concat(Enumerable.Repeat("=?utf-8?q?abc", 20_000)) + "?=";
        // Only the last opener has a closing "?=" within reach, so only it decodes.
        Assert.Equal(text[..^15] + "abc", EncodedWordDecoder.Decode(text));
    }

    [Fact]
    public void UnfoldKeepsUnfoldedBreaks()
    {
        Assert.Equal("a b\r\nc", HeaderFolding.Unfold("a\r\n b\r\nc"));
    }
}

public class ParsedBodyTests
{
    private const string Message = "Content-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\n"
        + "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        + "caf=E9\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>caf\u00c3\u00a9</p>\r\n--b--\r\n";

    [Fact]
    public void BodiesDecodedWithCharset()
    {
        using MimeMessage message = TestMessages.Parse(Encoding.Latin1.GetBytes(Message), [int.MaxValue]);

        Assert.Equal("café", message.TextBody);
        Assert.Equal("<p>café</p>", message.HtmlBody);
    }

    [Fact]
    public void BodySetAfterParseReplacesPart()
    {
        using MimeMessage message = TestMessages.Parse(Encoding.Latin1.GetBytes(Message), [int.MaxValue]);

        message.TextBody = null;
        message.HtmlBody = "<p>new</p>";

        Assert.Null(message.TextBody);
        Assert.Equal("<p>new</p>", message.HtmlBody);
    }

    [Fact]
    public void SpilledBodyReadableAfterDispose()
    {
        string text = string.Concat(Enumerable.Repeat("0123456789abcdef\r\n", 1000));
        MimeMessage message = TestMessages.Parse(Encoding.ASCII.GetBytes("Subject: big\r\n\r\n" + text),
            [4096], new MimeParserOptions { MemoryThreshold = 1024 });

        message.Dispose();

        Assert.Equal(text, message.TextBody);
    }
}
