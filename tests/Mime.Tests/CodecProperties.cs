using System.Text;
using FsCheck;
using FsCheck.Xunit;
using RawMail.Mime;

namespace RawMail.Mime.Tests;

public class CodecProperties
{
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
        byte[] data = Encoding.UTF8.GetBytes(MimeWriter.NormalizeLineEndings(TestMessages.ValidText(text)));
        byte[] decoded = QuotedPrintableCodec.Decode(Encoding.ASCII.GetBytes(QuotedPrintableCodec.Encode(data)), out _);
        return decoded.AsSpan().SequenceEqual(data);
    }

    [Property]
    public bool FoldedHeaderUnfolds(string text)
    {
        string value = new string(TestMessages.ValidText(text).Where(c => c is not ('\r' or '\n')).ToArray());
        string folded = HeaderFolding.Fold("X-Test", value);
        string expected = value.Length == 0 ? "X-Test:" : "X-Test: " + value;
        return HeaderFolding.Unfold(folded) == expected;
    }

    [Property]
    public bool EncodedWordsDecodeToOriginal(string text, bool phrase)
    {
        string value = TestMessages.ValidText(text);
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
        string value = new string(TestMessages.ValidText(text).Where(c => c is not ('\r' or '\n' or '\0')).ToArray());
        return EncodedWordDecoder.Decode(MimeWriter.EncodeUnstructured(value)) == value;
    }

    [Property]
    public bool Rfc2231RoundTrips(string text)
    {
        string value = new string(TestMessages.ValidText(text).Where(c => c is not ('\r' or '\n' or '\0')).ToArray());
        var type = new ContentType("application", "octet-stream");
        type.Parameters.Add(new MimeParameter("name", value));
        return ContentType.Parse(type.ToString()).Name == value;
    }
}

public class WriterProperties
{
    private static MimeWriterOptions FixedOptions() => new()
    {
        BoundaryGenerator = () => "=_fixed",
        MessageIdGenerator = _ => "id@example.test",
        Clock = () => new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    private static byte[] Write(byte[] data, Func<Stream> open, string type)
    {
        string[] parts = type.Split('/');
        var message = new MimeMessage();
        message.Attachments.Add(new Attachment("f", new ContentType(parts[0], parts[1]), MimeContent.FromStream(open)));
        using var stream = new MemoryStream();
        message.WriteToAsync(stream, FixedOptions()).GetAwaiter().GetResult();
        return stream.ToArray();
    }

    [Property]
    public bool ChunkedReadsGiveSameOutput(byte[] data, PositiveInt chunk, bool text)
    {
        string type = text ? "text/plain" : "application/octet-stream";
        byte[] whole = Write(data, () => new MemoryStream(data), type);
        byte[] chunked = Write(data, () => new ChunkedStream(data, [chunk.Get % 100 + 1, 57]), type);
        return whole.AsSpan().SequenceEqual(chunked);
    }

    [Property]
    public bool MailboxFormatsAndParsesBack(string name, string local)
    {
        string displayName = TestMessages.HeaderText(name).Trim();
        string localPart = new string(TestMessages.HeaderText(local).Where(c => c > ' ' && c != '@').ToArray());
        var mailbox = new MailboxAddress(displayName, (localPart.Length == 0 ? "x" : localPart) + "@example.test");
        IReadOnlyList<InternetAddress> parsed = AddressParser.ParseList(mailbox.ToHeaderString());
        return parsed.Count == 1 && mailbox.Equals(parsed[0]);
    }
}

public class HeaderParserProperties
{
    [Property(MaxTest = 500)]
    public bool ArbitraryHeaderTextParses(string text)
    {
        string value = text ?? string.Empty;
        _ = AddressParser.ParseList(value);
        _ = ContentType.Parse(value);
        _ = ContentDisposition.Parse(value);
        _ = DateFormat.Parse(value);
        _ = EncodedWordDecoder.Decode(value);
        return true;
    }

    [Property(MaxTest = 500)]
    public bool ArbitraryHeaderBytesParse(byte[] data, bool asAddress)
    {
        string name = asAddress ? "From" : "Content-Type";
        byte[] input = [.. Encoding.ASCII.GetBytes(name + ": "), .. data, .. "\r\n\r\nbody"u8.ToArray()];
        using MimeMessage message = TestMessages.Parse(input, [int.MaxValue]);
        return message.Body is not null;
    }
}
