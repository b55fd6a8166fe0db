namespace RawMail.Protocols.Imap.Parsing;

/// <summary>Shared lower-case instances of the media types and subtypes most BODYSTRUCTUREs repeat.</summary>
internal static class KnownValues
{
    private static readonly string[] s_values =
    [
        "text", "plain", "html", "multipart", "mixed", "alternative", "related", "signed", "application",
        "octet-stream", "pdf", "image", "jpeg", "png", "gif", "message", "rfc822", "delivery-status",
        "calendar", "report", "global",
    ];

    /// <summary>Returns the value lower-cased, as a shared instance when it is a common one.</summary>
    public static string LowerCase(string value)
    {
        foreach (string known in s_values)
        {
            if (string.Equals(known, value, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return value.ToLowerInvariant();
    }
}
