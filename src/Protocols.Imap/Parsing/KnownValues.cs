using System.Globalization;
using System.Text;

namespace RawMail.Protocols.Imap.Parsing;

/// <summary>
/// Shared string instances for the values most BODYSTRUCTUREs repeat, so parsing them allocates nothing.
/// </summary>
/// <remarks>Values are grouped by length, so a lookup compares the few candidates of the same length only.</remarks>
internal static class KnownValues
{
    // Part numbers up to this child index are shared, at the top level and one level down.
    private const int MaxSharedPart = 16;

    // Media types and subtypes, matched case-insensitively and stored lower-cased.
    private static readonly Entry[][] s_mediaNames = Build(
        "text", "plain", "html", "multipart", "mixed", "alternative", "related", "signed", "application",
        "octet-stream", "pdf", "image", "jpeg", "png", "gif", "message", "rfc822", "delivery-status",
        "calendar", "report", "global", "pkcs7-signature", "x-pkcs7-signature", "zip", "msword", "enriched",
        "rtf", "csv", "vnd.openxmlformats-officedocument.wordprocessingml.document",
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet", "vnd.ms-excel", "ics", "encrypted",
        "pgp-signature", "pgp-encrypted", "disposition-notification", "rfc822-headers", "webp", "svg+xml");

    // Field values kept as sent, so they are matched exactly.
    private static readonly Entry[][] s_fieldValues = Build(
        "charset", "CHARSET", "Charset", "utf-8", "UTF-8", "us-ascii", "US-ASCII", "iso-8859-1", "ISO-8859-1",
        "iso-8859-15", "ISO-8859-15", "windows-1252", "Windows-1252", "boundary", "BOUNDARY", "name", "NAME",
        "name*", "filename", "FILENAME", "filename*", "7bit", "7BIT", "8bit", "8BIT", "base64", "BASE64", "Base64",
        "quoted-printable", "QUOTED-PRINTABLE", "Quoted-printable", "binary", "BINARY", "inline", "INLINE",
        "attachment", "ATTACHMENT", "format", "flowed", "fixed", "delsp", "yes", "no", "type", "TYPE", "size",
        "creation-date", "modification-date", "read-date", "text/html", "text/plain", "multipart/alternative",
        "protocol", "micalg", "method", "REQUEST", "report-type", "en", "en-US", "de", "fr");

    private static readonly string[] s_topParts = BuildTopParts();
    private static readonly string[][] s_nestedParts = BuildNestedParts();

    public static string LowerCaseMediaName(ReadOnlySpan<byte> value)
    {
        if (value.Length < s_mediaNames.Length)
        {
            foreach (Entry entry in s_mediaNames[value.Length])
            {
                if (Ascii.EqualsIgnoreCase(value, entry.Utf8))
                {
                    return entry.Value;
                }
            }
        }

        return ImapText.Decode(value).ToLowerInvariant();
    }

    public static string? Find(ReadOnlySpan<byte> value)
    {
        if (value.Length < s_fieldValues.Length)
        {
            foreach (Entry entry in s_fieldValues[value.Length])
            {
                if (value.SequenceEqual(entry.Utf8))
                {
                    return entry.Value;
                }
            }
        }

        return null;
    }

    /// <summary>Returns the part number of child <paramref name="index"/> (from 1) of part <paramref name="parent"/>.</summary>
    public static string ChildPartSpecifier(string parent, int index)
    {
        if (index <= MaxSharedPart)
        {
            if (parent.Length == 0)
            {
                return s_topParts[index];
            }

            int parentIndex = ParseTopPart(parent);
            if (parentIndex > 0)
            {
                return s_nestedParts[parentIndex][index];
            }
        }

        string child = index.ToString(CultureInfo.InvariantCulture);
        return parent.Length == 0 ? child : parent + "." + child;
    }

    /// <summary>Returns the number of a top-level part up to <see cref="MaxSharedPart"/>, else 0.</summary>
    private static int ParseTopPart(string part)
    {
        int value = 0;
        foreach (char c in part)
        {
            if (!char.IsAsciiDigit(c) || value > MaxSharedPart)
            {
                return 0;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= MaxSharedPart ? value : 0;
    }

    private static string[] BuildTopParts()
    {
        var parts = new string[MaxSharedPart + 1];
        for (int i = 1; i <= MaxSharedPart; i++)
        {
            parts[i] = i.ToString(CultureInfo.InvariantCulture);
        }

        return parts;
    }

    private static string[][] BuildNestedParts()
    {
        var parts = new string[MaxSharedPart + 1][];
        for (int parent = 1; parent <= MaxSharedPart; parent++)
        {
            parts[parent] = new string[MaxSharedPart + 1];
            for (int child = 1; child <= MaxSharedPart; child++)
            {
                parts[parent][child] = string.Create(CultureInfo.InvariantCulture, $"{parent}.{child}");
            }
        }

        return parts;
    }

    private static Entry[][] Build(params string[] values)
    {
        int maxLength = 0;
        foreach (string value in values)
        {
            maxLength = Math.Max(maxLength, value.Length);
        }

        var buckets = new List<Entry>[maxLength + 1];
        foreach (string value in values)
        {
            (buckets[value.Length] ??= []).Add(new Entry(Encoding.ASCII.GetBytes(value), value));
        }

        var result = new Entry[maxLength + 1][];
        for (int length = 0; length <= maxLength; length++)
        {
            result[length] = buckets[length]?.ToArray() ?? [];
        }

        return result;
    }

    private readonly record struct Entry(byte[] Utf8, string Value);
}
