using System.Text;

namespace RawMail.Protocols.Imap;

/// <summary>The modified UTF-7 encoding of mailbox names (RFC 3501 section 5.1.3).</summary>
public static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    /// <summary>Encodes a mailbox name in the canonical form.</summary>
    public static string Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var result = new StringBuilder(name.Length + 8);
        int i = 0;
        while (i < name.Length)
        {
            char c = name[i];
            if (c == '&')
            {
                result.Append("&-");
                i++;
            }
            else if (c is >= ' ' and <= '~')
            {
                result.Append(c);
                i++;
            }
            else
            {
                int start = i;
                while (i < name.Length && name[i] is < ' ' or > '~')
                {
                    i++;
                }

                result.Append('&');
                AppendBase64(result, name.AsSpan(start, i - start));
                result.Append('-');
            }
        }

        return result.ToString();
    }

    /// <summary>Decodes a name; when it is malformed the raw name is returned unchanged, never an error.</summary>
    /// <remarks>
    /// Note: Yandex encodes '&amp;' inside a base64 run (<c>&amp;BBQEPgQ8ACYEIQQwBDQ-</c>), which RFC 3501
    /// section 5.1.3 forbids; such runs decode like canonical ones. Commands keep using the server's
    /// original bytes (<see cref="Model.MailboxInfo.EncodedName"/>) because re-encoding would not match.
    /// </remarks>
    public static string DecodeLenient(string encoded)
    {
        return TryDecode(encoded, out string? decoded) ? decoded : encoded;
    }

    /// <summary>Decodes a name, accepting non-canonical base64 runs; false when the text is malformed.</summary>
    public static bool TryDecode(string encoded, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? decoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        decoded = null;
        int amp = encoded.IndexOf('&', StringComparison.Ordinal);
        if (amp < 0)
        {
            decoded = encoded;
            return true;
        }

        var result = new StringBuilder(encoded.Length);
        result.Append(encoded, 0, amp);
        int i = amp;
        while (i < encoded.Length)
        {
            char c = encoded[i];
            if (c != '&')
            {
                result.Append(c);
                i++;
                continue;
            }

            int end = encoded.IndexOf('-', i + 1);
            if (end < 0)
            {
                return false;
            }

            if (end == i + 1)
            {
                result.Append('&');
            }
            else if (!TryAppendDecoded(result, encoded.AsSpan(i + 1, end - i - 1)))
            {
                return false;
            }

            i = end + 1;
        }

        decoded = result.ToString();
        return true;
    }

    /// <summary>Returns true when the text decodes and is exactly the canonical encoding of what it decodes to.</summary>
    public static bool IsCanonical(string encoded)
    {
        return TryDecode(encoded, out string? decoded) && string.Equals(Encode(decoded), encoded, StringComparison.Ordinal);
    }

    private static void AppendBase64(StringBuilder result, ReadOnlySpan<char> text)
    {
        int bits = 0;
        int buffer = 0;
        foreach (char c in text)
        {
            // UTF-16 big-endian, as RFC 3501 section 5.1.3 requires.
            buffer = (buffer << 16) | c;
            bits += 16;
            while (bits >= 6)
            {
                bits -= 6;
                result.Append(Alphabet[(buffer >> bits) & 0x3F]);
            }

            buffer &= (1 << bits) - 1;
        }

        if (bits > 0)
        {
            result.Append(Alphabet[(buffer << (6 - bits)) & 0x3F]);
        }
    }

    private static bool TryAppendDecoded(StringBuilder result, ReadOnlySpan<char> base64)
    {
        int bits = 0;
        int buffer = 0;
        int start = result.Length;
        foreach (char c in base64)
        {
            int value = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }

            buffer = (buffer << 6) | value;
            bits += 6;
            if (bits >= 16)
            {
                bits -= 16;
                result.Append((char)((buffer >> bits) & 0xFFFF));
                buffer &= (1 << bits) - 1;
            }
        }

        // Leftover bits are padding and must be zero; an empty run carries no character.
        if (buffer != 0 || result.Length == start)
        {
            return false;
        }

        for (int i = start; i < result.Length; i++)
        {
            char c = result[i];
            if (char.IsHighSurrogate(c) ? i + 1 >= result.Length || !char.IsLowSurrogate(result[++i]) : char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
