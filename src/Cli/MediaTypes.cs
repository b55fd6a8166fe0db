using RawMail.Mime;

namespace RawMail.Cli;

/// <summary>The media type of an attachment, guessed from its file name extension.</summary>
internal static class MediaTypes
{
    private static readonly Dictionary<string, string> s_byExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".txt"] = "text/plain",
        [".htm"] = "text/html",
        [".html"] = "text/html",
        [".csv"] = "text/csv",
        [".pdf"] = "application/pdf",
        [".zip"] = "application/zip",
        [".json"] = "application/json",
        [".xml"] = "application/xml",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".svg"] = "image/svg+xml",
        [".eml"] = "message/rfc822",
        [".ics"] = "text/calendar",
    };

    public static ContentType ForFileName(string fileName)
    {
        string mimeType = s_byExtension.GetValueOrDefault(Path.GetExtension(fileName), "application/octet-stream");
        int slash = mimeType.IndexOf('/', StringComparison.Ordinal);
        return new ContentType(mimeType[..slash], mimeType[(slash + 1)..]);
    }
}
