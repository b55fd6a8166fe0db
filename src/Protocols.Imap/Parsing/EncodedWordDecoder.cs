using System.Text;

namespace RawMail.Protocols.Imap.Parsing;

/// <summary>
/// Decodes RFC 2047 encoded-words (<c>=?charset?B|Q?text?=</c>) in envelope subjects and display names.
/// A small decoder for the envelope only; the MIME library has the full one.
/// </summary>
internal static class EncodedWordDecoder
{
    /// <summary>Returns the text with every valid encoded-word decoded; invalid words stay as they are.</summary>
    public static string Decode(string text)
    {
        int start = text.IndexOf("=?", StringComparison.Ordinal);
        if (start < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        result.Append(text, 0, start);
        int position = start;
        bool lastWasEncoded = false;
        int pendingWhitespace = -1;
        while (position < text.Length)
        {
            if (TryDecodeWord(text, position, out string? decoded, out int end))
            {
                // RFC 2047 section 6.2: whitespace between two adjacent encoded-words is dropped.
                if (pendingWhitespace >= 0 && !lastWasEncoded)
                {
                    result.Append(text, pendingWhitespace, position - pendingWhitespace);
                }

                result.Append(decoded);
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
                result.Append(text, pendingWhitespace, position - pendingWhitespace);
                pendingWhitespace = -1;
            }

            result.Append(c);
            lastWasEncoded = false;
            position++;
        }

        if (pendingWhitespace >= 0)
        {
            result.Append(text, pendingWhitespace, text.Length - pendingWhitespace);
        }

        return result.ToString();
    }

    private static bool TryDecodeWord(string text, int start, out string? decoded, out int end)
    {
        decoded = null;
        end = start;
        if (string.CompareOrdinal(text, start, "=?", 0, 2) != 0)
        {
            return false;
        }

        int charsetEnd = text.IndexOf('?', start + 2);
        if (charsetEnd < 0 || charsetEnd + 2 >= text.Length || text[charsetEnd + 2] != '?')
        {
            return false;
        }

        int textEnd = text.IndexOf("?=", charsetEnd + 3, StringComparison.Ordinal);
        if (textEnd < 0)
        {
            return false;
        }

        // RFC 2231 section 5: a language may follow the charset after '*'.
        string charset = text[(start + 2)..charsetEnd];
        int star = charset.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            charset = charset[..star];
        }

        Encoding? encoding = GetEncoding(charset);
        if (encoding is null)
        {
            return false;
        }

        char kind = char.ToUpperInvariant(text[charsetEnd + 1]);
        string payload = text[(charsetEnd + 3)..textEnd];
        byte[]? bytes = kind switch
        {
            'B' => DecodeBase64(payload),
            'Q' => DecodeQ(payload),
            _ => null,
        };
        if (bytes is null)
        {
            return false;
        }

        decoded = encoding.GetString(bytes);
        end = textEnd + 2;
        return true;
    }

    private static Encoding? GetEncoding(string charset)
    {
        try
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(charset) ?? Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static byte[]? DecodeBase64(string payload)
    {
        // Some encoders drop the '=' padding, so it is restored before decoding.
        string padded = payload.Trim();
        if (padded.Length % 4 != 0)
        {
            padded = padded.PadRight(padded.Length + 4 - (padded.Length % 4), '=');
        }

        byte[] bytes = new byte[padded.Length / 4 * 3];
        return Convert.TryFromBase64String(padded, bytes, out int written) ? bytes[..written] : null;
    }

    private static byte[]? DecodeQ(string payload)
    {
        var bytes = new List<byte>(payload.Length);
        for (int i = 0; i < payload.Length; i++)
        {
            char c = payload[i];
            if (c == '_')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '=' && i + 2 < payload.Length && char.IsAsciiHexDigit(payload[i + 1])
                && char.IsAsciiHexDigit(payload[i + 2]))
            {
                bytes.Add((byte)Convert.ToInt32(payload.Substring(i + 1, 2), 16));
                i += 2;
            }
            else if (c > 0x7F)
            {
                return null;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        return [.. bytes];
    }
}
