using System.Text;

namespace RawMail.Mime;

/// <summary>Position of an encoded-word in a header, which limits the characters Q encoding may leave bare.</summary>
public enum EncodedWordContext
{
    /// <summary>Unstructured text such as Subject (RFC 2047 section 5, rule 1).</summary>
    Text,

    /// <summary>A phrase such as a display name (RFC 2047 section 5, rule 3).</summary>
    Phrase,
}

/// <summary>
/// RFC 2047 encoded-words: UTF-8, B or Q chosen by size, each word at most 75 characters and
/// never splitting a UTF-8 sequence.
/// </summary>
public static class EncodedWord
{
    /// <summary>Maximum length of one encoded-word (RFC 2047 section 2).</summary>
    public const int MaxWordLength = 75;

    private const string Prefix = "=?utf-8?";
    private const int Overhead = 12; // "=?utf-8?" + "B?" + "?="

    /// <summary>
    /// Encodes <paramref name="text"/> as encoded-words separated by single spaces. Whitespace
    /// between encoded-words is dropped on decoding, so every character, spaces included, is
    /// carried inside the words.
    /// </summary>
    public static string Encode(string text, EncodedWordContext context)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        int qLength = 0;
        foreach (byte b in utf8)
        {
            qLength += IsQSafe(b, context) || b == (byte)' ' ? 1 : 3;
        }

        bool useB = (utf8.Length + 2) / 3 * 4 < qLength;
        var result = new StringBuilder();
        var word = new List<byte>();
        int wordLength = 0;
        Span<byte> runeBytes = stackalloc byte[4];
        foreach (Rune rune in text.EnumerateRunes())
        {
            int count = rune.EncodeToUtf8(runeBytes);
            int added = useB ? 0 : QLength(runeBytes[..count], context);
            int projected = useB ? (word.Count + count + 2) / 3 * 4 : wordLength + added;
            if (word.Count > 0 && projected + Overhead > MaxWordLength)
            {
                AppendWord(result, word, useB, context);
                word.Clear();
                wordLength = 0;
            }

            word.AddRange(runeBytes[..count].ToArray());
            wordLength += added;
        }

        if (word.Count > 0)
        {
            AppendWord(result, word, useB, context);
        }

        return result.ToString();
    }

    /// <summary>True when text must be encoded to be carried in a header: non-ASCII or controls.</summary>
    public static bool NeedsEncoding(string text)
    {
        foreach (char c in text)
        {
            if (c > '~' || (c < ' ' && c != '\t'))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendWord(StringBuilder result, List<byte> word, bool useB, EncodedWordContext context)
    {
        if (result.Length > 0)
        {
            result.Append(' ');
        }

        result.Append(Prefix).Append(useB ? "B?" : "Q?");
        if (useB)
        {
            result.Append(Convert.ToBase64String(word.ToArray()));
        }
        else
        {
            foreach (byte b in word)
            {
                if (b == (byte)' ')
                {
                    result.Append('_');
                }
                else if (IsQSafe(b, context))
                {
                    result.Append((char)b);
                }
                else
                {
                    result.Append('=').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        result.Append("?=");
    }

    private static int QLength(ReadOnlySpan<byte> bytes, EncodedWordContext context)
    {
        int length = 0;
        foreach (byte b in bytes)
        {
            length += IsQSafe(b, context) || b == (byte)' ' ? 1 : 3;
        }

        return length;
    }

    private static bool IsQSafe(byte b, EncodedWordContext context)
    {
        if (char.IsAsciiLetterOrDigit((char)b))
        {
            return true;
        }

        // RFC 2047 section 5: in a phrase only these specials may stand bare.
        if (context == EncodedWordContext.Phrase)
        {
            return b is (byte)'!' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'/';
        }

        return b is > 32 and < 127 and not ((byte)'=' or (byte)'?' or (byte)'_');
    }
}
