using System.Globalization;
using System.Text;

namespace RawMail.Mime;

/// <summary>
/// RFC 2231 parameter value encoding: charsets and continuations for long or non-ASCII values.
/// </summary>
public static class Rfc2231
{
    /// <summary>Longest value written as one plain parameter before continuations are used.</summary>
    public const int MaxPlainValueLength = 60;

    private const int MaxSectionLength = 48;

    /// <summary>
    /// Formats one parameter as a list of "name=value" strings: a single plain or quoted one when
    /// the value is short ASCII, else UTF-8 extended sections (name*0*=utf-8''...).
    /// </summary>
    public static IReadOnlyList<string> Format(string name, string value)
    {
        if (!EncodedWord.NeedsEncoding(value) && value.Length <= MaxPlainValueLength)
        {
            return [name + "=" + QuoteIfNeeded(value)];
        }

        string encoded = PercentEncode(Encoding.UTF8.GetBytes(value));
        if (encoded.Length + 7 <= MaxSectionLength)
        {
            return [name + "*=utf-8''" + encoded];
        }

        var sections = new List<string>();
        int position = 0;
        while (position < encoded.Length)
        {
            int length = Math.Min(MaxSectionLength, encoded.Length - position);

            // Keep each %XX escape whole so a section is valid on its own.
            if (position + length < encoded.Length)
            {
                int percent = encoded.LastIndexOf('%', position + length - 1, Math.Min(3, length));
                if (percent >= 0 && percent + 3 > position + length)
                {
                    length = percent - position;
                }
            }

            string prefix = sections.Count == 0 ? "utf-8''" : string.Empty;
            string number = sections.Count.ToString(CultureInfo.InvariantCulture);
            sections.Add(name + "*" + number + "*=" + prefix + encoded.Substring(position, length));
            position += length;
        }

        return sections;
    }

    /// <summary>Returns the value as a token, or as a quoted-string when it has specials.</summary>
    public static string QuoteIfNeeded(string value)
    {
        if (value.Length > 0 && value.All(IsTokenChar))
        {
            return value;
        }

        return "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Percent-decodes an extended value section; invalid escapes are kept literally.</summary>
    public static void PercentDecode(string text, List<byte> output)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1])
                && char.IsAsciiHexDigit(text[i + 2]))
            {
                output.Add(byte.Parse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                AppendChar(output, c);
            }
        }
    }

    /// <summary>Appends a character of an unencoded section: UTF-8 beyond ASCII.</summary>
    public static void AppendChar(List<byte> output, char c)
    {
        if (c < 0x80)
        {
            output.Add((byte)c);
            return;
        }

        output.AddRange(Encoding.UTF8.GetBytes(c.ToString()));
    }

    internal static bool IsTokenChar(char c) =>
        c is > ' ' and < '\x7f' && "()<>@,;:\\\"/[]?=".IndexOf(c, StringComparison.Ordinal) < 0;

    private static string PercentEncode(byte[] bytes)
    {
        var result = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            // RFC 2231 section 7: attribute-char is a token char other than '*', '\'' and '%'.
            if (b < 0x80 && IsTokenChar((char)b) && b is not ((byte)'*' or (byte)'\'' or (byte)'%'))
            {
                result.Append((char)b);
            }
            else
            {
                result.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }
}
