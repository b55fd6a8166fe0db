using System.Text;
using FsCheck;
using FsCheck.Xunit;
using RawMail.Mime;

namespace RawMail.Mime.Tests;

public class CodecProperties
{
    private static string ValidText(string? text) => string.Concat((text ?? string.Empty).EnumerateRunes());

    [Property]
    public bool Base64RoundTrips(byte[] data)
    {
        string encoded = Base64Codec.EncodeLines(data);
        byte[] decoded = Base64Codec.Decode(Encoding.ASCII.GetBytes(encoded), out bool problem);
        return !problem && decoded.AsSpan().SequenceEqual(data)
            && encoded.Split("\r\n").All(line => line.Length <= Base64Codec.MaxLineLength);
    }

    [Property]
    public bool QuotedPrintableRoundTrips(byte[] data)
    {
        string encoded = QuotedPrintableCodec.Encode(data);
        byte[] decoded = QuotedPrintableCodec.Decode(Encoding.ASCII.GetBytes(encoded), out bool problem);
        return !problem && decoded.AsSpan().SequenceEqual(data)
            && encoded.Split("\r\n").All(line => line.Length <= QuotedPrintableCodec.MaxLineLength
                && !line.EndsWith(' ') && !line.EndsWith('\t'));
    }

    [Property]
    public bool QuotedPrintableTextRoundTrips(string text)
    {
        byte[] data = Encoding.UTF8.GetBytes(MimeWriter.NormalizeLineEndings(ValidText(text)));
        byte[] decoded = QuotedPrintableCodec.Decode(Encoding.ASCII.GetBytes(QuotedPrintableCodec.Encode(data)), out _);
        return decoded.AsSpan().SequenceEqual(data);
    }

    [Property]
    public bool FoldedHeaderUnfolds(string text)
    {
        string value = new string(ValidText(text).Where(c => c is not ('\r' or '\n')).ToArray());
        string folded = HeaderFolding.Fold("X-Test", value);
        string expected = value.Length == 0 ? "X-Test:" : "X-Test: " + value;
        return HeaderFolding.Unfold(folded) == expected;
    }

    [Property]
    public bool EncodedWordsDecodeToOriginal(string text, bool phrase)
    {
        string value = ValidText(text);
        if (value.Length == 0)
        {
            return true;
        }

        string encoded = EncodedWord.Encode(value, phrase ? EncodedWordContext.Phrase : EncodedWordContext.Text);
        return EncodedWordDecoder.Decode(encoded) == value
            && encoded.Split(' ').All(word => word.Length <= EncodedWord.MaxWordLength);
    }

    [Property]
    public bool UnstructuredEncodingDecodes(string text)
    {
        string value = new string(ValidText(text).Where(c => c is not ('\r' or '\n' or '\0')).ToArray());
        return EncodedWordDecoder.Decode(MimeWriter.EncodeUnstructured(value)) == value;
    }

    [Property]
    public bool Rfc2231RoundTrips(string text)
    {
        string value = new string(ValidText(text).Where(c => c is not ('\r' or '\n' or '\0')).ToArray());
        var type = new ContentType("application", "octet-stream");
        type.Parameters.Add(new MimeParameter("name", value));
        return ContentType.Parse(type.ToString()).Name == value;
    }
}
