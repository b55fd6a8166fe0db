using System.IO.Pipelines;
using System.Text;

namespace RawMail.Mime;

/// <summary>
/// Writes messages in RFC 5322 and MIME (RFC 2045-2049) form: folded headers, encoded-words,
/// RFC 2231 parameters, CRLF line endings, and part content encoded in chunks as it is read.
/// </summary>
public sealed partial class MimeWriter
{
    private const int ReadChunkSize = Base64Codec.BytesPerLine * 64;

    // A word this long cannot be folded under 78 columns once the field name is in front of it.
    private const int MaxPlainWordLength = 70;

    private static readonly HashSet<string> s_reservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "Sender", "Reply-To", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "In-Reply-To",
        "References", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
        "Content-ID",
    };

    private readonly MimeWriterOptions _options;
    private readonly Dictionary<MimePart, TransferEncoding> _encodings = [];

    public MimeWriter(MimeWriterOptions options)
    {
        _options = options;
    }

    private enum TransferEncoding
    {
        SevenBit,
        EightBit,
        QuotedPrintable,
        Base64,
    }

    /// <summary>Writes the message and flushes the writer. Bcc is never written.</summary>
    public async Task WriteAsync(MimeMessage message, PipeWriter writer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writer);
        message.Date ??= _options.Clock();
        message.MessageId ??= _options.MessageIdGenerator(MessageIdDomain(message));
        MimeEntity body = message.Body ?? MessageBodyBuilder.Build(message);

        WriteMessageHeaders(message, writer);
        await WriteEntityAsync(body, writer, cancellationToken).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string MessageIdDomain(MimeMessage message)
    {
        string? address = message.From.SelectMany(a => a.Mailboxes).FirstOrDefault()?.Address;
        int at = address?.LastIndexOf('@') ?? -1;
        string domain = at >= 0 ? address![(at + 1)..] : string.Empty;
        bool usable = domain.Length > 0 && domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
        return usable ? domain : "localhost";
    }

    private static void WriteMessageHeaders(MimeMessage message, PipeWriter writer)
    {
        WriteHeader(writer, "Date", DateFormat.Format(message.Date!.Value));
        WriteAddresses(writer, "From", message.From);
        if (message.Sender is not null)
        {
            WriteHeader(writer, "Sender", message.Sender.ToHeaderString());
        }

        WriteAddresses(writer, "Reply-To", message.ReplyTo);
        WriteAddresses(writer, "To", message.To);
        WriteAddresses(writer, "Cc", message.Cc);
        if (message.Subject is not null)
        {
            WriteHeader(writer, "Subject", EncodeUnstructured(message.Subject, encodeLongWords: true));
        }

        WriteHeader(writer, "Message-ID", "<" + message.MessageId + ">");
        if (message.InReplyTo is not null)
        {
            WriteHeader(writer, "In-Reply-To", "<" + message.InReplyTo + ">");
        }

        if (message.References.Count > 0)
        {
            WriteHeader(writer, "References", string.Join(" ", message.References.Select(r => "<" + r + ">")));
        }

        WriteHeader(writer, "MIME-Version", "1.0");
        WriteCustomHeaders(writer, message.Headers);
    }

    private static void WriteCustomHeaders(PipeWriter writer, HeaderList headers)
    {
        foreach (Header header in headers)
        {
            if (!s_reservedNames.Contains(header.Name))
            {
                HeaderValidation.CheckName(header.Name);
                // Custom fields may be structured (List-Unsubscribe URLs), so long words stay as written.
                WriteHeader(writer, header.Name, EncodeUnstructured(header.Value, encodeLongWords: false));
            }
        }
    }

    private static void WriteAddresses(PipeWriter writer, string name, List<InternetAddress> addresses)
    {
        if (addresses.Count > 0)
        {
            WriteHeader(writer, name, string.Join(", ", addresses.Select(a => a.ToHeaderString())));
        }
    }

    /// <summary>
    /// Encodes unstructured text (RFC 2047 section 5, rule 1). Words with non-ASCII, controls or
    /// a look-alike "=?" become encoded-words, and neighbouring such words share one encoded run.
    /// With <paramref name="encodeLongWords"/>, words too long to fold are encoded too.
    /// </summary>
    public static string EncodeUnstructured(string text, bool encodeLongWords = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] words = text.Split(' ');
        bool Needs(string word) => EncodedWord.NeedsEncoding(word) || word.Contains("=?", StringComparison.Ordinal)
            || (encodeLongWords && word.Length > MaxPlainWordLength);

        if (!words.Any(Needs))
        {
            return text;
        }

        // Empty words (doubled, leading or trailing spaces) next to encoded-words would be lost,
        // because whitespace between encoded-words is dropped on decoding. So the whole text is encoded.
        if (words.Any(w => w.Length == 0) || text.Contains('\t', StringComparison.Ordinal))
        {
            return EncodedWord.Encode(text, EncodedWordContext.Text);
        }

        var result = new List<string>();
        var run = new List<string>();
        foreach (string word in words)
        {
            if (Needs(word))
            {
                run.Add(word);
                continue;
            }

            FlushRun(result, run);
            result.Add(word);
        }

        FlushRun(result, run);
        return string.Join(" ", result);
    }

    private static void FlushRun(List<string> result, List<string> run)
    {
        if (run.Count > 0)
        {
            result.Add(EncodedWord.Encode(string.Join(" ", run), EncodedWordContext.Text));
            run.Clear();
        }
    }

    private static void WriteHeader(PipeWriter writer, string name, string value)
    {
        HeaderValidation.Check(name, value);
        string folded = HeaderFolding.Fold(name, value);
        int length = Encoding.UTF8.GetByteCount(folded);
        Span<byte> span = writer.GetSpan(length + 2);
        Encoding.UTF8.GetBytes(folded, span);
        span[length] = (byte)'\r';
        span[length + 1] = (byte)'\n';
        writer.Advance(length + 2);
    }

    private static void WriteAscii(PipeWriter writer, string text)
    {
        Span<byte> span = writer.GetSpan(Encoding.UTF8.GetByteCount(text));
        writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private async Task WriteEntityAsync(MimeEntity entity, PipeWriter writer, CancellationToken cancellationToken)
    {
        switch (entity)
        {
            case Multipart multipart:
                await WriteMultipartAsync(multipart, writer, cancellationToken).ConfigureAwait(false);
                break;
            case MessagePart messagePart:
                WriteHeader(writer, "Content-Type", "message/rfc822");
                WriteCustomHeaders(writer, messagePart.Headers);
                WriteAscii(writer, "\r\n");
                await WriteAsync(messagePart.Message, writer, cancellationToken).ConfigureAwait(false);
                break;
            case MimePart part:
                await WritePartAsync(part, writer, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task WriteMultipartAsync(Multipart multipart, PipeWriter writer, CancellationToken cancellationToken)
    {
        string boundary = await ChooseBoundaryAsync(multipart, cancellationToken).ConfigureAwait(false);
        var contentType = new ContentType("multipart", multipart.Subtype);
        foreach (MimeParameter parameter in multipart.ContentType.Parameters)
        {
            if (!parameter.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))
            {
                contentType.Parameters.Add(parameter);
            }
        }

        contentType.Parameters.Add(new MimeParameter("boundary", boundary));
        WriteHeader(writer, "Content-Type", contentType.ToString());
        WriteCustomHeaders(writer, multipart.Headers);
        WriteAscii(writer, "\r\n");
        if (multipart.Preamble is not null)
        {
            WriteAscii(writer, NormalizeLineEndings(multipart.Preamble) + "\r\n");
        }

        foreach (MimeEntity child in multipart.Children)
        {
            WriteAscii(writer, "--" + boundary + "\r\n");
            await WriteEntityAsync(child, writer, cancellationToken).ConfigureAwait(false);
            WriteAscii(writer, "\r\n");
        }

        WriteAscii(writer, "--" + boundary + "--\r\n");
        if (multipart.Epilogue is not null)
        {
            WriteAscii(writer, NormalizeLineEndings(multipart.Epilogue));
        }
    }

    /// <summary>Replaces bare CR and bare LF with CRLF (RFC 5322 section 2.3).</summary>
    public static string NormalizeLineEndings(string text)
    {
        if (!text.Contains('\n', StringComparison.Ordinal) && !text.Contains('\r', StringComparison.Ordinal))
        {
            return text;
        }

        // Not string.ReplaceLineEndings, because it also rewrites NEL, LS, PS and FF, which are text here.
        var result = new StringBuilder(text.Length + 16);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r')
            {
                result.Append("\r\n");
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (c == '\n')
            {
                result.Append("\r\n");
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
