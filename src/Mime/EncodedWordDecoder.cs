using System.Text;

namespace RawMail.Mime;

/// <summary>
/// Decoding of RFC 2047 encoded-words in header text. Whitespace between two adjacent
/// encoded-words is dropped (section 6.2), and the bytes of adjacent words in the same charset
/// are joined before decoding, so a character split across two words comes out whole. A
/// malformed word or one in an unknown charset is left as written.
/// </summary>
public static class EncodedWordDecoder
{
    // RFC 2047 allows 75 characters. Longer words come from broken mailers and are still decoded.
    private const int MaxLenientWordLength = 1024;

    private static readonly System.Buffers.SearchValues<char> s_whitespace =
        System.Buffers.SearchValues.Create(" \t\r\n");

    private static readonly System.Buffers.SearchValues<char> s_charsetStops =
        System.Buffers.SearchValues.Create(" \t\r\n\"()<>");

    /// <summary>Decodes every encoded-word in <paramref name="text"/>.</summary>
    public static string Decode(string text)
    {
        if (!text.Contains("=?", StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var pendingBytes = new List<byte>();
        string? pendingCharset = null;
        int position = 0;
        int lastWordEnd = -1;
        while (position < text.Length)
        {
            int start = text.IndexOf("=?", position, StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            if (!TryParseWord(text, start, out int end, out string charset, out byte[] bytes))
            {
                FlushPending(result, pendingBytes, ref pendingCharset);
                result.Append(text, position, start + 2 - position);
                position = start + 2;
                lastWordEnd = -1;
                continue;
            }

            string between = text[position..start];
            bool adjacent = lastWordEnd == position && string.IsNullOrWhiteSpace(between);
            if (!adjacent || !string.Equals(pendingCharset, charset, StringComparison.OrdinalIgnoreCase))
            {
                FlushPending(result, pendingBytes, ref pendingCharset);
                if (!adjacent)
                {
                    result.Append(between);
                }
            }

            pendingCharset = charset;
            pendingBytes.AddRange(bytes);
            position = end;
            lastWordEnd = end;
        }

        FlushPending(result, pendingBytes, ref pendingCharset);
        result.Append(text, position, text.Length - position);
        return result.ToString();
    }

    private static void FlushPending(StringBuilder result, List<byte> bytes, ref string? charset)
    {
        if (charset is not null)
        {
            Charsets.TryGet(charset, out Encoding encoding);
            result.Append(encoding.GetString(bytes.ToArray()));
        }

        bytes.Clear();
        charset = null;
    }

    private static bool TryParseWord(string text, int start, out int end, out string charset, out byte[] bytes)
    {
        end = 0;
        charset = string.Empty;
        bytes = [];
        int charsetEnd = text.IndexOf('?', start + 2);
        if (charsetEnd < 0 || charsetEnd + 3 > text.Length || text[charsetEnd + 2] != '?')
        {
            return false;
        }

        charset = text[(start + 2)..charsetEnd];
        char encoding = char.ToUpperInvariant(text[charsetEnd + 1]);
        int payloadStart = charsetEnd + 3;
        // The search is bounded so text full of "=?" stays linear to decode.
        int window = Math.Min(MaxLenientWordLength, text.Length - payloadStart);
        int payloadEnd = text.IndexOf("?=", payloadStart, window, StringComparison.Ordinal);
        if (payloadEnd < 0 || charset.Length == 0 || !Charsets.TryGet(charset, out _))
        {
            return false;
        }

        ReadOnlySpan<char> payload = text.AsSpan(payloadStart, payloadEnd - payloadStart);
        // RFC 2047 section 2: encoded-text never contains '?' or whitespace.
        if (payload.ContainsAny(s_whitespace) || payload.Contains('?') || charset.AsSpan().ContainsAny(s_charsetStops))
        {
            return false;
        }

        end = payloadEnd + 2;
        return encoding switch
        {
            'B' => TryDecodeB(payload, out bytes),
            'Q' => TryDecodeQ(payload, out bytes),
            _ => false,
        };
    }

    private static bool TryDecodeB(ReadOnlySpan<char> payload, out byte[] bytes)
    {
        byte[] ascii = Encoding.ASCII.GetBytes(payload.ToString());
        bytes = Base64Codec.Decode(ascii, out bool hasProblem);
        return !hasProblem;
    }

    private static bool TryDecodeQ(ReadOnlySpan<char> payload, out byte[] bytes)
    {
        var output = new List<byte>(payload.Length);
        for (int i = 0; i < payload.Length; i++)
        {
            char c = payload[i];
            if (c == '_')
            {
                output.Add((byte)' ');
            }
            else if (c == '=' && i + 2 < payload.Length && char.IsAsciiHexDigit(payload[i + 1])
                && char.IsAsciiHexDigit(payload[i + 2]))
            {
                output.Add(Convert.ToByte(payload.Slice(i + 1, 2).ToString(), 16));
                i += 2;
            }
            else if (c > '~')
            {
                bytes = [];
                return false;
            }
            else
            {
                // Note: a bad escape is kept literally, as most readers do.
                output.Add((byte)c);
            }
        }

        bytes = [.. output];
        return true;
    }
}
