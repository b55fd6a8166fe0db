using System.Text;

namespace RawMail.Protocols.Imap.Parsing;

/// <summary>
/// Shared string instances for the values most BODYSTRUCTUREs repeat, so parsing them allocates nothing.
/// </summary>
internal static class KnownValues
{
    // Media types and subtypes, matched case-insensitively and stored lower-cased.
    private static readonly (byte[] Utf8, string Value)[] s_mediaNames = Build(
        "text", "plain", "html", "multipart", "mixed", "alternative", "related", "signed", "application",
        "octet-stream", "pdf", "image", "jpeg", "png", "gif", "message", "rfc822", "delivery-status",
        "calendar", "report", "global", "pkcs7-signature");

    // Field values kept as sent, so they are matched exactly.
    private static readonly (byte[] Utf8, string Value)[] s_fieldValues = Build(
        "charset", "CHARSET", "utf-8", "UTF-8", "us-ascii", "US-ASCII", "iso-8859-1", "ISO-8859-1", "boundary",
        "BOUNDARY", "name", "NAME", "filename", "FILENAME", "7bit", "7BIT", "8bit", "8BIT", "base64", "BASE64",
        "quoted-printable", "QUOTED-PRINTABLE", "binary", "BINARY", "inline", "attachment", "format", "flowed",
        "delsp", "yes", "no");

    public static string LowerCaseMediaName(ReadOnlySpan<byte> value)
    {
        foreach ((byte[] utf8, string known) in s_mediaNames)
        {
            if (value.Length == utf8.Length && Ascii.EqualsIgnoreCase(value, utf8))
            {
                return known;
            }
        }

        return ImapText.Decode(value).ToLowerInvariant();
    }

    public static string? Find(ReadOnlySpan<byte> value)
    {
        foreach ((byte[] utf8, string known) in s_fieldValues)
        {
            if (value.SequenceEqual(utf8))
            {
                return known;
            }
        }

        return null;
    }

    private static (byte[] Utf8, string Value)[] Build(params string[] values)
    {
        return [.. values.Select(v => (Encoding.ASCII.GetBytes(v), v))];
    }
}
