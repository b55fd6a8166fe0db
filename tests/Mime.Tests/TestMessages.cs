using System.IO.Pipelines;
using System.Text;
using RawMail.Mime;

namespace RawMail.Mime.Tests;

/// <summary>Helpers to parse bytes in chosen chunk sizes and to describe a parsed message.</summary>
internal static class TestMessages
{
    /// <summary>Returns the text with lone surrogates replaced, so it encodes to UTF-8 and back.</summary>
    public static string ValidText(string? text) => string.Concat((text ?? string.Empty).EnumerateRunes());

    /// <summary>Returns valid text without CR, LF and NUL, which header values reject.</summary>
    public static string HeaderText(string? text) =>
        new string(ValidText(text).Where(c => c is not ('\r' or '\n' or '\0')).ToArray());

    public static MimeMessage Parse(string text, MimeParserOptions? options = null) =>
        Parse(Encoding.UTF8.GetBytes(text), [int.MaxValue], options);

    public static MimeMessage Parse(byte[] bytes, IReadOnlyList<int> chunkSizes, MimeParserOptions? options = null)
    {
        var stream = new ChunkedStream(bytes, chunkSizes);
        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096, minimumReadSize: 1));
        return MimeParser.ParseAsync(reader, options).GetAwaiter().GetResult();
    }

    /// <summary>Describes everything the parser produced, so two parses compare as strings.</summary>
    public static string Describe(MimeMessage message)
    {
        var text = new StringBuilder();
        text.Append("from=").AppendJoin(",", message.From.Select(a => a.ToHeaderString())).Append('\n');
        text.Append("to=").AppendJoin(",", message.To.Select(a => a.ToHeaderString())).Append('\n');
        text.Append("subject=").Append(message.Subject).Append('\n');
        text.Append("text=").Append(message.TextBody).Append('\n');
        text.Append("html=").Append(message.HtmlBody).Append('\n');
        foreach (Header header in message.RawHeaders)
        {
            text.Append("header=").Append(header.Name).Append(':').Append(header.Value).Append('\n');
        }

        DescribeEntity(message.Body, text, 0);
        return text.ToString();
    }

    private static void DescribeEntity(MimeEntity? entity, StringBuilder text, int depth)
    {
        text.Append(' ', depth * 2);
        switch (entity)
        {
            case Multipart multipart:
                text.Append("multipart/").Append(multipart.Subtype).Append(" preamble=").Append(multipart.Preamble)
                    .Append(" epilogue=").Append(multipart.Epilogue);
                AppendProblems(entity, text);
                foreach (MimeEntity child in multipart.Children)
                {
                    DescribeEntity(child, text, depth + 1);
                }

                break;
            case MessagePart messagePart:
                text.Append("message\n").Append(Describe(messagePart.Message));
                break;
            case MimePart part:
                text.Append(part.ContentType.MimeType).Append(' ').Append(Convert.ToHexString(part.Content.ToArray()));
                AppendProblems(entity, text);
                break;
        }
    }

    private static void AppendProblems(MimeEntity entity, StringBuilder text)
    {
        text.Append(" problems=").AppendJoin(",", entity.Problems.Select(p => p.Kind)).Append('\n');
    }
}

/// <summary>A read-only stream that returns at most the next chunk size from each read.</summary>
internal sealed class ChunkedStream(byte[] data, IReadOnlyList<int> chunkSizes) : Stream
{
    private int _position;
    private int _chunk;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => data.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int size = chunkSizes.Count == 0 ? count : Math.Max(1, chunkSizes[_chunk++ % chunkSizes.Count]);
        int take = Math.Min(Math.Min(size, count), data.Length - _position);
        Array.Copy(data, _position, buffer, offset, take);
        _position += take;
        return take;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
