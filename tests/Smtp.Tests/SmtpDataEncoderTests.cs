using System.Text;

namespace RawMail.Protocols.Smtp.Tests;

public sealed class SmtpDataEncoderTests
{
    internal static byte[] Encode(bool stuffDots, params byte[][] chunks)
    {
        var encoder = new SmtpDataEncoder(stuffDots);
        var output = new List<byte>();
        foreach (byte[] chunk in chunks)
        {
            byte[] buffer = new byte[SmtpDataEncoder.MaxEncodedLength(chunk.Length)];
            int written = encoder.Encode(chunk, buffer);
            output.AddRange(buffer.AsSpan(0, written).ToArray());
        }

        byte[] trailer = new byte[SmtpDataEncoder.MaxTrailerLength];
        int trailerLength = encoder.Complete(trailer);
        output.AddRange(trailer.AsSpan(0, trailerLength).ToArray());
        return [.. output];
    }

    private static string EncodeText(bool stuffDots, params string[] chunks) =>
        Encoding.Latin1.GetString(Encode(stuffDots, [.. chunks.Select(c => Encoding.Latin1.GetBytes(c))]));

    [Theory]
    [InlineData("", ".\r\n")]
    [InlineData("a", "a\r\n.\r\n")]
    [InlineData("a\r\n", "a\r\n.\r\n")]
    [InlineData(".", "..\r\n.\r\n")]
    [InlineData("a\n.\nb", "a\r\n..\r\nb\r\n.\r\n")]
    [InlineData("a\r.b", "a\r\n..b\r\n.\r\n")]
    [InlineData("a\r\r\nb", "a\r\n\r\nb\r\n.\r\n")]
    [InlineData("a.b\r\n..c", "a.b\r\n...c\r\n.\r\n")]
    [InlineData("\n\n", "\r\n\r\n.\r\n")]
    [InlineData("x\r", "x\r\n.\r\n")]
    public void Data_StuffsAndNormalises(string body, string expected)
    {
        Assert.Equal(expected, EncodeText(true, body));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData(".", ".\r\n")]
    [InlineData("a\n.\nb", "a\r\n.\r\nb\r\n")]
    public void Chunking_NormalisesWithoutStuffing(string body, string expected)
    {
        Assert.Equal(expected, EncodeText(false, body));
    }

    [Fact]
    public void CrLfSplitAcrossChunks()
    {
        Assert.Equal("a\r\n..b\r\n.\r\n", EncodeText(true, "a\r", "\n.b"));
    }

    [Fact]
    public void DotAfterChunkBoundaryAtLineStart()
    {
        Assert.Equal("a\r\n..\r\n.\r\n", EncodeText(true, "a\r\n", ".", "\r\n"));
    }
}
