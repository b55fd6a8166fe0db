using System.Text;
using RawMail.Mime;

namespace RawMail.Mime.Tests;

public class WriterEightBitTests
{
    private static async Task<byte[]> WriteAsync(MimeMessage message, bool allowEightBit)
    {
        int next = 0;
        var options = new MimeWriterOptions
        {
            BoundaryGenerator = () => "=_b" + (++next),
            MessageIdGenerator = _ => "id1@example.test",
            Clock = () => new DateTimeOffset(2026, 12, 4, 16, 35, 8, TimeSpan.Zero),
            AllowEightBitText = allowEightBit,
        };
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream, options);
        return stream.ToArray();
    }

    [Fact]
    public async Task EightBitTextWrittenRaw()
    {
        var message = new MimeMessage { TextBody = "Grüße\r\nzweite Zeile" };

        byte[] written = await WriteAsync(message, allowEightBit: true);
        string text = Encoding.UTF8.GetString(written);
        using MimeMessage parsed = TestMessages.Parse(written, [int.MaxValue]);

        Assert.Contains("Content-Transfer-Encoding: 8bit\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\nGrüße\r\nzweite Zeile", text, StringComparison.Ordinal);
        Assert.Equal("Grüße\r\nzweite Zeile", parsed.TextBody);
    }

    [Fact]
    public async Task EightBitOffByDefault()
    {
        var message = new MimeMessage { TextBody = "Grüße aus Berlin und Hamburg" };

        string text = Encoding.UTF8.GetString(await WriteAsync(message, allowEightBit: false));

        Assert.Contains("Content-Transfer-Encoding: quoted-printable\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Gr=C3=BC=C3=9Fe aus Berlin und Hamburg", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LineOver998OctetsNotEightBit()
    {
        var message = new MimeMessage { TextBody = "ü" + new string('a', 997) };

        string text = Encoding.UTF8.GetString(await WriteAsync(message, allowEightBit: true));

        Assert.Contains("Content-Transfer-Encoding: quoted-printable\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EightBitPartAvoidsBoundary()
    {
        var message = new MimeMessage { TextBody = "ü\r\n--=_b1\r\nend", HtmlBody = "<p>ü</p>" };

        string text = Encoding.UTF8.GetString(await WriteAsync(message, allowEightBit: true));

        Assert.Contains("boundary=\"=_b2\"", text, StringComparison.Ordinal);
        Assert.Contains("\r\n--=_b1\r\nend\r\n--=_b2\r\n", text, StringComparison.Ordinal);
    }
}
