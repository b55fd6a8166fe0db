using System.Text;
using RawMail.Mime;

namespace RawMail.Mime.Tests;

public class Rfc2231ParameterTests
{
    [Fact]
    public void Utf8CharacterSplitAcrossSections()
    {
        ContentType type = ContentType.Parse("application/octet-stream;\r\n name*0*=UTF-8''%E2%98;\r\n name*1*=%83.txt");
        Assert.Equal("\u2603.txt", type.Name);
    }

    [Fact]
    public void CharsetInheritedAndLiteralSectionMixed()
    {
        ContentDisposition disposition = ContentDisposition.Parse(
            "attachment;\r\n filename*0*=ISO-8859-1''r%E9sum;\r\n filename*1*=%E9_;\r\n filename*2=\"final.pdf\"");
        Assert.Equal("résumé_final.pdf", disposition.FileName);
    }

    [Fact]
    public void EmptyCharsetAndLanguage()
    {
        ContentDisposition disposition = ContentDisposition.Parse(
            "attachment;\r\n filename*0*=\"''attached%2E\";\r\n filename*1*=\"%62\";\r\n filename*2=at");
        Assert.Equal("attached.bat", disposition.FileName);
    }

    [Fact]
    public void EncodedWordSplitAcrossPlainSections()
    {
        ContentDisposition disposition = ContentDisposition.Parse(
            "attachment;\r\n filename*0=\"=?UTF-8?Q?r=C3=A9sum=C3\";\r\n filename*1=\"=A9.docx?=\"");
        Assert.Equal("résumé.docx", disposition.FileName);
    }

    [Fact]
    public void ThousandsOfSectionsJoinInOrder()
    {
        var header = new StringBuilder("attachment");
        for (int i = 3999; i >= 0; i--)
        {
            header.Append("; filename*").Append(i).Append("*=%41");
        }

        ContentDisposition disposition = ContentDisposition.Parse(header.ToString());
        Assert.Equal(new string('A', 4000), disposition.FileName);
    }

    [Fact]
    public void SectionsInHeaderOfParsedPart()
    {
        MimeMessage message = TestMessages.Parse(
            "Content-Type: application/octet-stream;\r\n name*0*=UTF-8''%E2%98;\r\n name*1*=%83.txt\r\n\r\nx");
        Assert.Equal("\u2603.txt", ((MimePart)message.Body!).FileName);
    }
}

public class MultipartBoundaryTests
{
    private const string PrematureCloseLookAlike =
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"Part\"\r\n\r\n--Part\r\n"
        + "Content-Type: text/plain\r\n\r\nabc\r\n\r\n--Part--More\r\n\r\n--Part--\r\n";

    private const string MissingClose =
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
        + "Content-Type: text/plain\r\n\r\nhello\r\n--b1\r\n"
        + "Content-Type: application/pdf; name=\"a.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + "JVBERi0xLjQK\r\n";

    [Fact]
    public void LookAlikeCloseDelimiterIsBody()
    {
        var root = (Multipart)TestMessages.Parse(PrematureCloseLookAlike).Body!;
        Assert.Single(root.Children);
        var part = (MimePart)root.Children[0];
        Assert.Equal("abc\r\n\r\n--Part--More\r\n", Encoding.ASCII.GetString(part.Content.ToArray()));
        Assert.Empty(root.Problems);
    }

    [Fact]
    public void MissingCloseDelimiterKeepsParts()
    {
        var root = (Multipart)TestMessages.Parse(MissingClose).Body!;
        Assert.Equal(2, root.Children.Count);
        var text = (MimePart)root.Children[0];
        var pdf = (MimePart)root.Children[1];
        Assert.Equal("hello", text.GetText());
        Assert.Equal("a.pdf", pdf.FileName);
        Assert.Equal("%PDF-1.4\n", Encoding.ASCII.GetString(pdf.Content.ToArray()));
        Assert.Contains(root.Problems, p => p.Kind == MimeProblemKind.MissingCloseDelimiter);
    }

    [Fact]
    public void CloseDelimiterStraddlingChunks()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(PrematureCloseLookAlike);
        string whole = TestMessages.Describe(TestMessages.Parse(bytes, [int.MaxValue]));
        int close = PrematureCloseLookAlike.LastIndexOf("--Part--", StringComparison.Ordinal);
        for (int split = close - 2; split <= close + 10; split++)
        {
            string parsed = TestMessages.Describe(TestMessages.Parse(bytes, [split, int.MaxValue]));
            Assert.Equal(whole, parsed);
        }
    }

    [Fact]
    public void OneBytePerReadMatchesWhole()
    {
        byte[] bytes = Encoding.ASCII.GetBytes(MissingClose);
        string whole = TestMessages.Describe(TestMessages.Parse(bytes, [int.MaxValue]));
        Assert.Equal(whole, TestMessages.Describe(TestMessages.Parse(bytes, [1])));
    }
}
