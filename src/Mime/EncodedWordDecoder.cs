using System.Buffers;
using System.Text;

namespace RawMail.Mime;

/// <summary>
/// Decoding of RFC 2047 encoded-words in header text. Whitespace between two adjacent
/// encoded-words is dropped (section 6.2), and the bytes of adjacent words in the same charset
/// are joined before decoding, so a character split across two words comes out whole. A
/// malformed word or one in an unknown charset (UTF-7 among them) is left as written.
/// </summary>
/// <remarks>
/// The text is built in pooled buffers, so a call allocates only its result, and text without
/// <c>=?</c> is returned as it is.
/// </remarks>
public static class EncodedWordDecoder
{
    // RFC 2047 allows 75 characters. Longer words come from broken mailers and are still decoded.
    private const int MaxLenientWordLength = 1024;

    // Text up to this length is decoded in stack buffers; longer text rents from the shared pools.
    private const int StackLimit = 256;

    private static readonly SearchValues<char> s_whitespace = SearchValues.Create(" \t\r\n");

    private static readonly SearchValues<char> s_charsetStops = SearchValues.Create(" \t\r\n\"()<>");

    // The last charset looked up by name, so a run of words in one uncommon charset parses its name once.
    private static volatile CachedCharset? s_lastCharset;

    /// <summary>Decodes every encoded-word in <paramref name="text"/>.</summary>
    public static string Decode(string text)
    {
        int start = text.IndexOf("=?", StringComparison.Ordinal);
        return start < 0 ? text : DecodeFrom(text, start);
    }

    /// <summary>Decodes every encoded-word in <paramref name="text"/>.</summary>
    public static string Decode(ReadOnlySpan<char> text)
    {
        int start = text.IndexOf("=?", StringComparison.Ordinal);
        return start < 0 ? new string(text) : DecodeFrom(text, start);
    }

    private static string DecodeFrom(ReadOnlySpan<char> text, int start)
    {
        var output = new GrowableBuffer<char>(text.Length <= StackLimit ? stackalloc char[StackLimit + 16] : default);
        var pending = new GrowableBuffer<byte>(text.Length <= StackLimit ? stackalloc byte[StackLimit] : default);
        try
        {
            Encoding? pendingEncoding = null;
            ReadOnlySpan<char> pendingCharset = default;
            int position = 0;
            int lastWordEnd = -1;
            while (start >= 0)
            {
                int decoded = -1;
                int decodedAt = 0;
                if (TryParseWord(text, start, out int end, out ReadOnlySpan<char> charset, out Encoding? encoding,
                    out char kind, out ReadOnlySpan<char> payload))
                {
                    // A decoded word has at most as many octets as its payload has characters. It is decoded after
                    // the pending octets, so an invalid one leaves them untouched.
                    decodedAt = pending.Written.Length;
                    Span<byte> free = pending.GetFree(payload.Length);
                    decoded = kind == 'B' ? DecodeB(payload, free) : DecodeQ(payload, free);
                }

                if (decoded < 0)
                {
                    // A malformed word, or one in an unknown charset, stays as written.
                    Flush(ref output, ref pending, ref pendingEncoding);
                    output.Append(text[position..(start + 2)]);
                    position = start + 2;
                    lastWordEnd = -1;
                    start = NextOpener(text, position);
                    continue;
                }

                ReadOnlySpan<char> between = text[position..start];
                bool adjacent = lastWordEnd == position && between.IsWhiteSpace();
                if (!adjacent || pendingEncoding is null
                    || !charset.Equals(pendingCharset, StringComparison.OrdinalIgnoreCase))
                {
                    Flush(ref output, ref pending, ref pendingEncoding);
                    if (!adjacent)
                    {
                        output.Append(between);
                    }
                }

                pending.AppendFrom(decodedAt, decoded);
                pendingEncoding = encoding;
                pendingCharset = charset;
                position = end;
                lastWordEnd = end;
                start = NextOpener(text, position);
            }

            Flush(ref output, ref pending, ref pendingEncoding);
            output.Append(text[position..]);
            return new string(output.Written);
        }
        finally
        {
            pending.Dispose();
            output.Dispose();
        }
    }

    private static int NextOpener(ReadOnlySpan<char> text, int position)
    {
        int next = text[position..].IndexOf("=?", StringComparison.Ordinal);
        return next < 0 ? -1 : position + next;
    }

    private static void Flush(ref GrowableBuffer<char> output, ref GrowableBuffer<byte> pending,
        ref Encoding? pendingEncoding)
    {
        if (pendingEncoding is not null)
        {
            ReadOnlySpan<byte> bytes = pending.Written;
            Span<char> free = output.GetFree(pendingEncoding.GetMaxCharCount(bytes.Length));
            output.Advance(pendingEncoding.GetChars(bytes, free));
        }

        pending.Clear();
        pendingEncoding = null;
    }

    /// <summary>Finds the word's parts (RFC 2047 section 2) and its charset; false for a malformed word.</summary>
    private static bool TryParseWord(ReadOnlySpan<char> text, int start, out int end, out ReadOnlySpan<char> charset,
        out Encoding? encoding, out char kind, out ReadOnlySpan<char> payload)
    {
        end = 0;
        charset = default;
        encoding = null;
        kind = '\0';
        payload = default;
        int charsetEnd = text[(start + 2)..].IndexOf('?');
        if (charsetEnd < 0)
        {
            return false;
        }

        charsetEnd += start + 2;
        if (charsetEnd + 3 > text.Length || text[charsetEnd + 2] != '?')
        {
            return false;
        }

        charset = text[(start + 2)..charsetEnd];
        kind = char.ToUpperInvariant(text[charsetEnd + 1]);
        int payloadStart = charsetEnd + 3;

        // The search is bounded so text full of "=?" stays linear to decode.
        int window = Math.Min(MaxLenientWordLength, text.Length - payloadStart);
        int payloadEnd = text.Slice(payloadStart, window).IndexOf("?=", StringComparison.Ordinal);
        if (payloadEnd < 0 || charset.IsEmpty || kind is not ('B' or 'Q'))
        {
            return false;
        }

        payload = text.Slice(payloadStart, payloadEnd);

        // RFC 2047 section 2: encoded-text never contains '?' or whitespace.
        if (payload.ContainsAny(s_whitespace) || payload.Contains('?') || charset.ContainsAny(s_charsetStops))
        {
            return false;
        }

        encoding = FindEncoding(charset);
        end = payloadStart + payloadEnd + 2;
        return encoding is not null;
    }

    /// <summary>Finds the encoding of a charset name; an RFC 2231 language suffix (<c>*en</c>) is ignored.</summary>
    private static Encoding? FindEncoding(ReadOnlySpan<char> charset)
    {
        int star = charset.IndexOf('*');
        ReadOnlySpan<char> name = (star >= 0 ? charset[..star] : charset).Trim();
        if (name.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            || name.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.UTF8;
        }

        if (name.Equals("iso-8859-1", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.Latin1;
        }

        if (name.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return Encoding.ASCII;
        }

        CachedCharset? last = s_lastCharset;
        if (last is not null && name.Equals(last.Name, StringComparison.OrdinalIgnoreCase))
        {
            return last.Encoding;
        }

        string text = name.ToString();
        Encoding? encoding = Charsets.TryGet(text, out Encoding found) ? found : null;
        s_lastCharset = new CachedCharset(text, encoding);
        return encoding;
    }

    /// <summary>Decodes the B encoding; returns the octet count, or -1 if the text is invalid.</summary>
    /// <remarks>Missing '=' padding is accepted, as the MIME base64 decoder accepts it in bodies.</remarks>
    private static int DecodeB(ReadOnlySpan<char> payload, Span<byte> bytes)
    {
        if (payload.Length % 4 == 0 && Convert.TryFromBase64Chars(payload, bytes, out int written))
        {
            return written;
        }

        int count = 0;
        int quantum = 0;
        int sextets = 0;
        foreach (char c in payload)
        {
            int value = Base64Value(c);
            if (value >= 0)
            {
                quantum = (quantum << 6) | value;
                if (++sextets == 4)
                {
                    bytes[count++] = (byte)(quantum >> 16);
                    bytes[count++] = (byte)(quantum >> 8);
                    bytes[count++] = (byte)quantum;
                    quantum = 0;
                    sextets = 0;
                }
            }
            else if (c != '=' || !FlushQuantum(bytes, ref count, ref quantum, ref sextets))
            {
                return -1;
            }
        }

        return FlushQuantum(bytes, ref count, ref quantum, ref sextets) ? count : -1;
    }

    /// <summary>Writes the whole octets of a partial quantum; false when one sextet alone was cut off.</summary>
    private static bool FlushQuantum(Span<byte> bytes, ref int count, ref int quantum, ref int sextets)
    {
        switch (sextets)
        {
            case 1:
                return false;
            case 2:
                bytes[count++] = (byte)(quantum >> 4);
                break;
            case 3:
                bytes[count++] = (byte)(quantum >> 10);
                bytes[count++] = (byte)(quantum >> 2);
                break;
        }

        quantum = 0;
        sextets = 0;
        return true;
    }

    private static int Base64Value(char c)
    {
        return c switch
        {
            >= 'A' and <= 'Z' => c - 'A',
            >= 'a' and <= 'z' => c - 'a' + 26,
            >= '0' and <= '9' => c - '0' + 52,
            '+' => 62,
            '/' => 63,
            _ => -1,
        };
    }

    /// <summary>Decodes the Q encoding (RFC 2047 section 4.2); returns the octet count, or -1 if invalid.</summary>
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
            else if (c > '~')
            {
                return -1;
            }
            else
            {
                // Note: a bad escape is kept literally, as most readers do.
                bytes[count++] = (byte)c;
            }
        }

        return count;
    }

    private static int HexValue(char c)
    {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }

    private sealed record CachedCharset(string Name, Encoding? Encoding);

    /// <summary>A buffer that starts in caller memory, usually the stack, and moves to a pooled array to grow.</summary>
    private ref struct GrowableBuffer<T>
        where T : unmanaged
    {
        private Span<T> _items;
        private T[]? _rented;
        private int _length;

        public GrowableBuffer(Span<T> initial)
        {
            _items = initial;
        }

        public readonly ReadOnlySpan<T> Written => _items[.._length];

        /// <summary>Returns at least <paramref name="count"/> free items after the written ones.</summary>
        /// <remarks>The written items are kept when the buffer grows.</remarks>
        public Span<T> GetFree(int count)
        {
            if (_length + count > _items.Length)
            {
                T[] larger = ArrayPool<T>.Shared.Rent(Math.Max(_items.Length * 2, _length + count));
                _items[.._length].CopyTo(larger);
                Dispose();
                _rented = larger;
                _items = larger;
            }

            return _items[_length..];
        }

        public void Advance(int count)
        {
            _length += count;
        }

        public void Append(ReadOnlySpan<T> items)
        {
            items.CopyTo(GetFree(items.Length));
            _length += items.Length;
        }

        /// <summary>Appends the items written earlier into the free part at <paramref name="offset"/>.</summary>
        /// <remarks>After a <see cref="Clear"/> they move to the start, otherwise they stay where they are.</remarks>
        public void AppendFrom(int offset, int count)
        {
            _items.Slice(offset, count).CopyTo(_items[_length..]);
            _length += count;
        }

        public void Clear()
        {
            _length = 0;
        }

        public void Dispose()
        {
            if (_rented is not null)
            {
                ArrayPool<T>.Shared.Return(_rented);
                _rented = null;
            }
        }
    }
}
