using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace RawMail.Protocols.Imap.Parsing;

/// <summary>
/// Decodes RFC 2047 encoded-words (<c>=?charset?B|Q?text?=</c>) in envelope subjects and display names.
/// A small decoder for the envelope only; the MIME library has the full one.
/// </summary>
/// <remarks>
/// Every word is decoded on its own, so a multi-octet character split over two words is not joined. The text is
/// built in one pooled buffer, so a value allocates only its result string.
/// </remarks>
internal static class EncodedWordDecoder
{
    // B-encoded payloads longer than this are padded in a pooled buffer instead of on the stack.
    private const int StackLimit = 256;

    // The last charset looked up by name, so a stream of words in one uncommon charset parses its name once.
    private static volatile CachedEncoding? s_lastEncoding;

    /// <summary>Returns the text with every valid encoded-word decoded; invalid words stay as they are.</summary>
    public static string Decode(string text)
    {
        int start = text.IndexOf("=?", StringComparison.Ordinal);
        return start < 0 ? text : DecodeFrom(text, start);
    }

    /// <summary>Decodes protocol octets as text (see <see cref="ImapText.Decode"/>), then its encoded-words.</summary>
    public static string Decode(ReadOnlySpan<byte> value)
    {
        int start = value.IndexOf("=?"u8);
        if (start < 0)
        {
            return ImapText.Decode(value);
        }

        if (!Ascii.IsValid(value))
        {
            return Decode(ImapText.Decode(value));
        }

        // Encoded-words are ASCII, and so is the text around them here: it is widened into a pooled buffer
        // instead of becoming a string that only lives until it is decoded.
        char[] text = ArrayPool<char>.Shared.Rent(value.Length);
        try
        {
            int length = Encoding.ASCII.GetChars(value, text);
            return DecodeFrom(text.AsSpan(0, length), start);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(text);
        }
    }

    private static string DecodeFrom(ReadOnlySpan<char> text, int start)
    {
        // The buffer starts at the input length with some slack and grows when a charset decoder may need more.
        char[] buffer = ArrayPool<char>.Shared.Rent(text.Length + 16);
        try
        {
            text[..start].CopyTo(buffer);
            int length = start;
            int position = start;
            bool lastWasEncoded = false;
            int pendingWhitespace = -1;
            while (position < text.Length)
            {
                if (text[position] == '=' && TryDecodeWord(text, position, out byte[]? rented, out int byteCount,
                    out Encoding? encoding, out int end))
                {
                    // RFC 2047 section 6.2: whitespace between two adjacent encoded-words is dropped.
                    if (pendingWhitespace >= 0 && !lastWasEncoded)
                    {
                        Append(ref buffer, ref length, text.Slice(pendingWhitespace, position - pendingWhitespace));
                    }

                    AppendDecoded(ref buffer, ref length, rented.AsSpan(0, byteCount), encoding);
                    ArrayPool<byte>.Shared.Return(rented);
                    position = end;
                    lastWasEncoded = true;
                    pendingWhitespace = -1;
                    continue;
                }

                char c = text[position];
                if (c is ' ' or '\t' or '\r' or '\n')
                {
                    if (pendingWhitespace < 0)
                    {
                        pendingWhitespace = position;
                    }

                    position++;
                    continue;
                }

                if (pendingWhitespace >= 0)
                {
                    Append(ref buffer, ref length, text.Slice(pendingWhitespace, position - pendingWhitespace));
                    pendingWhitespace = -1;
                }

                Append(ref buffer, ref length, text.Slice(position, 1));
                lastWasEncoded = false;
                position++;
            }

            if (pendingWhitespace >= 0)
            {
                Append(ref buffer, ref length, text[pendingWhitespace..]);
            }

            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static void Append(ref char[] buffer, ref int length, ReadOnlySpan<char> chars)
    {
        EnsureCapacity(ref buffer, length, chars.Length);
        chars.CopyTo(buffer.AsSpan(length));
        length += chars.Length;
    }

    private static void AppendDecoded(ref char[] buffer, ref int length, ReadOnlySpan<byte> bytes, Encoding encoding)
    {
        EnsureCapacity(ref buffer, length, encoding.GetMaxCharCount(bytes.Length));
        length += encoding.GetChars(bytes, buffer.AsSpan(length));
    }

    private static void EnsureCapacity(ref char[] buffer, int length, int extra)
    {
        if (length + extra <= buffer.Length)
        {
            return;
        }

        char[] larger = ArrayPool<char>.Shared.Rent(Math.Max(buffer.Length * 2, length + extra));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<char>.Shared.Return(buffer);
        buffer = larger;
    }

    /// <summary>Decodes the word at <paramref name="start"/> into a rented buffer the caller returns.</summary>
    private static bool TryDecodeWord(ReadOnlySpan<char> text, int start, [NotNullWhen(true)] out byte[]? rented,
        out int byteCount, [NotNullWhen(true)] out Encoding? encoding, out int end)
    {
        rented = null;
        byteCount = 0;
        encoding = null;
        end = start;
        if (start + 1 >= text.Length || text[start + 1] != '?')
        {
            return false;
        }

        int charsetEnd = text[(start + 2)..].IndexOf('?');
        if (charsetEnd < 0)
        {
            return false;
        }

        charsetEnd += start + 2;
        if (charsetEnd + 2 >= text.Length || text[charsetEnd + 2] != '?')
        {
            return false;
        }

        int textEnd = text[(charsetEnd + 3)..].IndexOf("?=");
        if (textEnd < 0)
        {
            return false;
        }

        textEnd += charsetEnd + 3;
        // RFC 2231 section 5: a language may follow the charset after '*'.
        ReadOnlySpan<char> charset = text.Slice(start + 2, charsetEnd - start - 2);
        int star = charset.IndexOf('*');
        if (star >= 0)
        {
            charset = charset[..star];
        }

        encoding = GetEncoding(charset);
        if (encoding is null)
        {
            return false;
        }

        ReadOnlySpan<char> payload = text.Slice(charsetEnd + 3, textEnd - charsetEnd - 3);
        char kind = char.ToUpperInvariant(text[charsetEnd + 1]);
        if (kind is not ('B' or 'Q'))
        {
            return false;
        }

        rented = ArrayPool<byte>.Shared.Rent(payload.Length + 4);
        byteCount = kind == 'B' ? DecodeBase64(payload, rented) : DecodeQ(payload, rented);
        if (byteCount < 0)
        {
            ArrayPool<byte>.Shared.Return(rented);
            rented = null;
            return false;
        }

        end = textEnd + 2;
        return true;
    }

    private static Encoding? GetEncoding(ReadOnlySpan<char> charset)
    {
        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.UTF8;
        }

        if (charset.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.Latin1;
        }

        if (charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.ASCII;
        }

        CachedEncoding? last = s_lastEncoding;
        if (last is not null && charset.Equals(last.Name, StringComparison.OrdinalIgnoreCase))
        {
            return last.Encoding;
        }

        string name = charset.ToString();
        Encoding? encoding;
        try
        {
            encoding = CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // .NET resolves UTF-7 by name but throws NotSupportedException for it (SYSLIB0001), so such a word stays undecoded.
            encoding = null;
        }

        s_lastEncoding = new CachedEncoding(name, encoding);
        return encoding;
    }

    /// <summary>Decodes the B encoding into <paramref name="bytes"/>; returns the octet count, or -1 if invalid.</summary>
    private static int DecodeBase64(ReadOnlySpan<char> payload, Span<byte> bytes)
    {
        // Some encoders drop the '=' padding, so it is restored before decoding.
        ReadOnlySpan<char> trimmed = payload.Trim();
        int padding = (4 - (trimmed.Length % 4)) % 4;
        char[]? rented = null;
        Span<char> padded = trimmed.Length + padding <= StackLimit
            ? stackalloc char[StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(trimmed.Length + padding));
        try
        {
            trimmed.CopyTo(padded);
            padded.Slice(trimmed.Length, padding).Fill('=');
            return Convert.TryFromBase64Chars(padded[..(trimmed.Length + padding)], bytes, out int written)
                ? written : -1;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Decodes the Q encoding into <paramref name="bytes"/>; returns the octet count, or -1 if invalid.</summary>
    private static int DecodeQ(ReadOnlySpan<char> payload, Span<byte> bytes)
    {
        int count = 0;
        for (int i = 0; i < payload.Length; i++)
        {
            char c = payload[i];
            if (c == '_')
            {
                bytes[count++] = (byte)' ';
            }
            else if (c == '=' && i + 2 < payload.Length && char.IsAsciiHexDigit(payload[i + 1])
                && char.IsAsciiHexDigit(payload[i + 2]))
            {
                bytes[count++] = (byte)((HexValue(payload[i + 1]) << 4) | HexValue(payload[i + 2]));
                i += 2;
            }
            else if (c > 0x7F)
            {
                return -1;
            }
            else
            {
                bytes[count++] = (byte)c;
            }
        }

        return count;
    }

    private static int HexValue(char c)
    {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    private sealed record CachedEncoding(string Name, Encoding? Encoding);
}
