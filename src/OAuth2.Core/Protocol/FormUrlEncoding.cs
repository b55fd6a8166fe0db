using System.Text;

namespace RawMail.OAuth2;

/// <summary>application/x-www-form-urlencoded bodies and query strings (WHATWG URL 5, RFC 6749 Appendix B).</summary>
internal static class FormUrlEncoding
{
    /// <summary>
    /// Encodes pairs as name=value joined by '&amp;'. CR, LF and every other control byte end up
    /// percent-encoded.
    /// </summary>
    public static string Encode(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var builder = new StringBuilder();
        foreach (KeyValuePair<string, string> field in fields)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(EncodeComponent(field.Key)).Append('=').Append(EncodeComponent(field.Value));
        }

        return builder.ToString();
    }

    /// <summary>Percent-encodes everything outside the unreserved set, and a space as '+'.</summary>
    public static string EncodeComponent(string value) =>
        Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);

    /// <summary>Decodes a query string or form body; a leading '?' is skipped and later duplicates are kept.</summary>
    public static List<KeyValuePair<string, string>> Decode(ReadOnlySpan<char> text)
    {
        var fields = new List<KeyValuePair<string, string>>();
        if (text.StartsWith('?'))
        {
            text = text[1..];
        }

        foreach (Range range in text.Split('&'))
        {
            ReadOnlySpan<char> pair = text[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            int equals = pair.IndexOf('=');
            ReadOnlySpan<char> name = equals < 0 ? pair : pair[..equals];
            ReadOnlySpan<char> value = equals < 0 ? [] : pair[(equals + 1)..];
            fields.Add(new(DecodeComponent(name), DecodeComponent(value)));
        }

        return fields;
    }

    private static string DecodeComponent(ReadOnlySpan<char> component) =>
        Uri.UnescapeDataString(component.ToString().Replace('+', ' '));
}
