using System.Text;
using FsCheck;
using FsCheck.Xunit;
using RawMail.Mime;

namespace RawMail.Mime.Tests;

public class ParserProperties
{
    private static readonly MimeParserOptions s_smallLimits = new()
    {
        MaxHeaderBytes = 4096,
        MaxDepth = 4,
        MaxParts = 16,
        MemoryThreshold = 1024,
        MaxPreambleBytes = 256,
    };

    // Random bytes mixed with MIME syntax, so multipart paths are reached too.
    private static byte[] Noise(byte[] data, bool multipart)
    {
        string prefix = multipart
            ? "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
            : "Subject: x\r\n";
        string middle = "\r\n--b\r\nContent-Transfer-Encoding: base64\r\n\r\nQU=J*\r\n--b\r\n\r\n=4";
        return [.. Encoding.ASCII.GetBytes(prefix), .. data, .. Encoding.ASCII.GetBytes(middle), .. data];
    }

    [Property]
    public bool ArbitraryBytesParseOrHitLimit(byte[] data, bool multipart)
    {
        try
        {
            using MimeMessage message = TestMessages.Parse(Noise(data, multipart), [int.MaxValue], s_smallLimits);
            return message.Body is not null;
        }
        catch (MimeParseException)
        {
            return true;
        }
    }

    [Property]
    public bool SegmentationDoesNotChangeResult(byte[] data, bool multipart, PositiveInt chunk)
    {
        byte[] input = Noise(data, multipart);
        string? whole = DescribeOrError(input, [int.MaxValue]);
        return whole == DescribeOrError(input, [chunk.Get % 17 + 1, chunk.Get % 5 + 1])
            && whole == DescribeOrError(input, [1]);
    }

    // Pieces that exercise the decoders' states: escapes, soft breaks, held whitespace, padding,
    // stray bytes, and lines that start with "--" without being delimiters.
    private static readonly string[] s_bodyPieces =
    [
        "QUJD", "QQ==", "Zm9v", "=", "==", "=4", "=4A", "=C3=BC", "=\r\n", "= \r\n", "=\n", "\r\n", "\n", "\r", " ",
        "\t", "  \r\n", "*", "\u00ff", "text", "\r\n--b-x\r\n", "\r\n--\r\n", "\r\n-\r\n", "\r\n--bb\r\n",
    ];

    [Property]
    public bool EncodedBodiesSegmentIdentically(byte[] choices, PositiveInt chunk)
    {
        string body = string.Concat((choices ?? []).Select(c => s_bodyPieces[c % s_bodyPieces.Length]));
        string message = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
            + "Content-Transfer-Encoding: base64\r\n\r\n" + body + "\r\n--b\r\n"
            + "Content-Transfer-Encoding: quoted-printable\r\n\r\n" + body + "\r\n--b\r\n\r\n" + body
            + "\r\n--b--\r\n";
        byte[] input = Encoding.Latin1.GetBytes(message);
        string whole = DescribeOrError(input, [int.MaxValue]);
        return whole == DescribeOrError(input, [chunk.Get % 23 + 1, chunk.Get % 7 + 1])
            && whole == DescribeOrError(input, [1]);
    }

    private static string DescribeOrError(byte[] input, int[] chunks)
    {
        try
        {
            using MimeMessage message = TestMessages.Parse(input, chunks, s_smallLimits);
            return TestMessages.Describe(message);
        }
        catch (MimeParseException error)
        {
            return error.Error.ToString();
        }
    }

    [Property]
    public bool ComposeThenParseKeepsModel(string subject, string text, string html, string fileName, byte[] data,
        bool inline)
    {
        // Leading whitespace of a header value is not part of it on parsing, so values are trimmed.
        html = TestMessages.HeaderText(html).Trim();
        var message = new MimeMessage { Subject = TestMessages.HeaderText(subject).Trim() };
        message.From.Add(new MailboxAddress(TestMessages.HeaderText(fileName).Trim(), "a@example.test"));
        message.To.Add(new MailboxAddress("b@example.test"));
        message.TextBody = MimeWriter.NormalizeLineEndings(TestMessages.HeaderText(text) + "\r\nline two");
        message.HtmlBody = html.Length % 2 == 0 ? null : "<p>" + html + "</p>";
        message.Headers.Add("X-Custom", html);
        string name = TestMessages.HeaderText(fileName) + ".bin";
        message.Attachments.Add(new Attachment(name, new ContentType("application", "octet-stream"),
            MimeContent.FromBytes(data ?? []))
        {
            ContentId = inline ? "c1@example.test" : null,
            IsInline = inline,
        });

        using var stream = new MemoryStream();
        message.WriteToAsync(stream).GetAwaiter().GetResult();
        bool linesWithinLimit = Encoding.UTF8.GetString(stream.ToArray()).Split("\r\n")
            .All(line => line.Length <= HeaderFolding.MaxLineLength);
        using MimeMessage parsed = TestMessages.Parse(stream.ToArray(), [int.MaxValue]);
        Attachment attachment = parsed.Attachments.Single();
        return linesWithinLimit
            && parsed.Subject == message.Subject
            && parsed.From.Single().Equals(message.From.Single())
            && parsed.To.Single().Equals(message.To.Single())
            && parsed.TextBody == message.TextBody
            && parsed.HtmlBody == message.HtmlBody
            && parsed.Headers.GetFirst("X-Custom") is string custom
            && EncodedWordDecoder.Decode(custom) == html
            && parsed.MessageId == message.MessageId
            && parsed.Date == message.Date!.Value.AddTicks(-(message.Date.Value.Ticks % TimeSpan.TicksPerSecond))
            && attachment.FileName == name
            && attachment.ContentId == message.Attachments[0].ContentId
            && attachment.Content.ToArray().AsSpan().SequenceEqual(data ?? []);
    }
}
