using System.Buffers;
using System.IO.Pipelines;

namespace RawMail.Mime;

public sealed partial class MimeWriter
{
    private const int MaxBoundaryAttempts = 16;
    private const int MaxSevenBitLine = 76;

    // RFC 5322 section 2.1.1 and RFC 2045 section 2.8: at most 998 octets before the CRLF.
    private const int MaxEightBitLine = 998;

    private async Task WritePartAsync(MimePart part, PipeWriter writer, CancellationToken cancellationToken)
    {
        TransferEncoding encoding = await ChooseEncodingAsync(part, cancellationToken).ConfigureAwait(false);
        WriteHeader(writer, "Content-Type", part.ContentType.ToString());
        if (part.ContentDisposition is not null)
        {
            WriteHeader(writer, "Content-Disposition", part.ContentDisposition.ToString());
        }

        string encodingName = encoding switch
        {
            TransferEncoding.Base64 => "base64",
            TransferEncoding.QuotedPrintable => "quoted-printable",
            TransferEncoding.EightBit => "8bit",
            _ => "7bit",
        };
        WriteHeader(writer, "Content-Transfer-Encoding", encodingName);
        if (part.ContentId is not null)
        {
            WriteHeader(writer, "Content-ID", "<" + part.ContentId + ">");
        }

        WriteCustomHeaders(writer, part.Headers);
        WriteAscii(writer, "\r\n");
        await WriteContentAsync(part.Content, encoding, writer, cancellationToken).ConfigureAwait(false);
    }

    // The content ends without a line break, because the CRLF before the next delimiter belongs to
    // the delimiter (RFC 2046 section 5.1.1). The multipart writer adds it after every part.
    private static async Task WriteContentAsync(MimeContent content, TransferEncoding encoding, PipeWriter writer,
        CancellationToken cancellationToken)
    {
        Stream stream = content.Open();
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadChunkSize);
            try
            {
                var encoder = new QuotedPrintableEncoder();
                int pending = 0;
                bool wroteBase64 = false;
                var base64Lines = new ArrayBufferWriter<byte>();
                while (true)
                {
                    Memory<byte> free = buffer.AsMemory(pending, ReadChunkSize - pending);
                    int read = await stream.ReadAsync(free, cancellationToken).ConfigureAwait(false);
                    bool end = read == 0;
                    pending += read;
                    if (encoding == TransferEncoding.Base64)
                    {
                        // Encode whole 57-byte lines only, so lines from consecutive reads join up.
                        int whole = end ? pending : pending / Base64Codec.BytesPerLine * Base64Codec.BytesPerLine;
                        Base64Codec.EncodeLines(buffer.AsSpan(0, whole), base64Lines);
                        // The last CRLF is held back until more lines follow, so the part ends
                        // without one whatever the read sizes were.
                        ReadOnlySpan<byte> lines = base64Lines.WrittenSpan;
                        if (lines.Length > 0)
                        {
                            if (wroteBase64)
                            {
                                writer.Write("\r\n"u8);
                            }

                            writer.Write(lines[..^2]);
                            wroteBase64 = true;
                        }

                        base64Lines.Clear();
                        buffer.AsSpan(whole, pending - whole).CopyTo(buffer);
                        pending -= whole;
                    }
                    else if (encoding == TransferEncoding.QuotedPrintable)
                    {
                        encoder.Encode(buffer.AsSpan(0, pending), writer);
                        pending = 0;
                        if (end)
                        {
                            encoder.Finish(writer);
                        }
                    }
                    else
                    {
                        writer.Write(buffer.AsSpan(0, pending));
                        pending = 0;
                    }

                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (end)
                    {
                        break;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task<TransferEncoding> ChooseEncodingAsync(MimePart part, CancellationToken cancellationToken)
    {
        if (_encodings.TryGetValue(part, out TransferEncoding known))
        {
            return known;
        }

        TransferEncoding chosen;
        string? requested = part.ContentTransferEncoding;
        if (string.Equals(requested, "base64", StringComparison.OrdinalIgnoreCase))
        {
            chosen = TransferEncoding.Base64;
        }
        else if (string.Equals(requested, "quoted-printable", StringComparison.OrdinalIgnoreCase))
        {
            chosen = TransferEncoding.QuotedPrintable;
        }
        else if (!part.ContentType.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase))
        {
            chosen = TransferEncoding.Base64;
        }
        else
        {
            chosen = await ScanTextAsync(part.Content, _options.AllowEightBitText, cancellationToken)
                .ConfigureAwait(false);
        }

        _encodings[part] = chosen;
        return chosen;
    }

    // Chooses 7bit for ASCII with CRLF line breaks and short lines. When allowed, 8bit is chosen for
    // other text with CRLF line breaks, no NUL and lines of at most 998 octets. Otherwise the choice
    // is quoted-printable when at most one byte in six needs escaping, else base64. The content is
    // streamed, not held.
    private static async Task<TransferEncoding> ScanTextAsync(MimeContent content, bool allowEightBit,
        CancellationToken cancellationToken)
    {
        Stream stream = content.Open();
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadChunkSize);
            try
            {
                long total = 0;
                long escaped = 0;
                int lineLength = 0;
                int longestLine = 0;
                bool sevenBit = true;
                bool eightBit = allowEightBit;
                byte previous = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(0, ReadChunkSize), cancellationToken)
                    .ConfigureAwait(false)) > 0)
                {
                    foreach (byte b in buffer.AsSpan(0, read))
                    {
                        total++;
                        bool lineBreak = b == (byte)'\n' && previous == (byte)'\r';
                        bool bareBreak = !lineBreak && (b == (byte)'\n' || previous == (byte)'\r');
                        if (b >= 0x80 || b == 0 || bareBreak)
                        {
                            sevenBit = false;
                        }

                        if (b == 0 || bareBreak)
                        {
                            eightBit = false;
                        }

                        if (b >= 0x80 || (b < 0x20 && b is not ((byte)'\r' or (byte)'\n' or (byte)'\t')))
                        {
                            escaped++;
                        }

                        lineLength = lineBreak ? 0 : b == (byte)'\r' ? lineLength : lineLength + 1;
                        longestLine = Math.Max(longestLine, lineLength);
                        previous = b;
                    }
                }

                // The last line has no line break of its own, so whitespace at its end could be lost in transport.
                bool endsCleanly = previous != (byte)'\r' && previous is not ((byte)' ' or (byte)'\t');
                if (sevenBit && endsCleanly && longestLine <= MaxSevenBitLine)
                {
                    return TransferEncoding.SevenBit;
                }

                if (eightBit && endsCleanly && longestLine <= MaxEightBitLine)
                {
                    return TransferEncoding.EightBit;
                }

                return escaped * 6 <= total ? TransferEncoding.QuotedPrintable : TransferEncoding.Base64;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    // The boundary must not occur in any 7bit or 8bit part below the multipart (RFC 2046 section
    // 5.1.1). Base64 and quoted-printable output never contain the "=_" that starts default
    // boundaries. Each such part is streamed through the check, so no part is held whole in memory.
    private async Task<string> ChooseBoundaryAsync(Multipart multipart, CancellationToken cancellationToken)
    {
        var unencodedParts = new List<MimePart>();
        await CollectUnencodedAsync(multipart, unencodedParts, cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; attempt < MaxBoundaryAttempts; attempt++)
        {
            string boundary = _options.BoundaryGenerator();
            byte[] delimiter = System.Text.Encoding.ASCII.GetBytes("--" + boundary);
            bool found = false;
            foreach (MimePart part in unencodedParts)
            {
                if (await ContainsAsync(part.Content, delimiter, cancellationToken).ConfigureAwait(false))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return boundary;
            }
        }

        throw new InvalidOperationException("The boundary generator kept returning boundaries found in the content.");
    }

    private async Task CollectUnencodedAsync(MimeEntity entity, List<MimePart> output,
        CancellationToken cancellationToken)
    {
        switch (entity)
        {
            case Multipart multipart:
                foreach (MimeEntity child in multipart.Children)
                {
                    await CollectUnencodedAsync(child, output, cancellationToken).ConfigureAwait(false);
                }

                break;
            case MimePart part:
                TransferEncoding encoding = await ChooseEncodingAsync(part, cancellationToken).ConfigureAwait(false);
                if (encoding is TransferEncoding.SevenBit or TransferEncoding.EightBit)
                {
                    output.Add(part);
                }

                break;
        }
    }

    /// <summary>Reads the content in chunks and returns whether <paramref name="pattern"/> occurs in it.</summary>
    private static async Task<bool> ContainsAsync(MimeContent content, byte[] pattern, CancellationToken cancellationToken)
    {
        Stream stream = content.Open();
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadChunkSize + pattern.Length);
            try
            {
                int carried = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer.AsMemory(carried, ReadChunkSize), cancellationToken)
                    .ConfigureAwait(false)) > 0)
                {
                    int length = carried + read;
                    if (buffer.AsSpan(0, length).IndexOf(pattern) >= 0)
                    {
                        return true;
                    }

                    // The last bytes stay in front of the next read, so a match split between two reads is found.
                    carried = Math.Min(pattern.Length - 1, length);
                    buffer.AsSpan(length - carried, carried).CopyTo(buffer);
                }

                return false;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
