using System.Text;

namespace RawMail.Mime;

/// <summary>A Content-Type value: media type, subtype and parameters (RFC 2045 section 5).</summary>
public sealed class ContentType
{
    public ContentType(string mediaType, string mediaSubtype)
    {
        HeaderValidation.Check("Content-Type", mediaType);
        HeaderValidation.Check("Content-Type", mediaSubtype);
        MediaType = mediaType;
        MediaSubtype = mediaSubtype;
    }

    public string MediaType { get; }

    public string MediaSubtype { get; }

    public ParameterList Parameters { get; } = [];

    public string MimeType => MediaType + "/" + MediaSubtype;

    public string? Charset
    {
        get => Parameters["charset"];
        set => Parameters["charset"] = value;
    }

    public string? Name
    {
        get => Parameters["name"];
        set => Parameters["name"] = value;
    }

    public string? Boundary
    {
        get => Parameters["boundary"];
        set => Parameters["boundary"] = value;
    }

    public bool Is(string mediaType, string mediaSubtype) =>
        MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
        && MediaSubtype.Equals(mediaSubtype, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a Content-Type value; anything unreadable gives text/plain (RFC 2045 section 5.2).</summary>
    public static ContentType Parse(string value)
    {
        var reader = new HeaderReader(value);
        reader.SkipCfws();
        string type = reader.ReadUntil("/;").Trim();
        reader.SkipCfws();
        string subtype = string.Empty;
        if (!reader.AtEnd && reader.Current == '/')
        {
            reader.Position++;
            reader.SkipCfws();
            subtype = reader.ReadUntil(";(").Trim();
        }

        reader.SkipCfws();
        ContentType result = type.Length == 0 || subtype.Length == 0
            || !type.All(Rfc2231.IsTokenChar) || !subtype.All(Rfc2231.IsTokenChar)
            ? new ContentType("text", "plain")
            : new ContentType(type.ToLowerInvariant(), subtype.ToLowerInvariant());
        int semicolon = value.IndexOf(';', StringComparison.Ordinal);
        if (semicolon >= 0)
        {
            result.Parameters.AddRange(ParameterList.Parse(value.AsSpan(semicolon + 1)));
        }

        return result;
    }

    public override string ToString()
    {
        var text = new StringBuilder(MimeType);
        Parameters.AppendTo(text);
        return text.ToString();
    }
}

/// <summary>A Content-Disposition value (RFC 2183) with its parameters.</summary>
public sealed class ContentDisposition
{
    public const string Inline = "inline";

    public const string Attachment = "attachment";

    public ContentDisposition(string disposition)
    {
        HeaderValidation.Check("Content-Disposition", disposition);
        Disposition = disposition;
    }

    public string Disposition { get; }

    public ParameterList Parameters { get; } = [];

    public string? FileName
    {
        get => Parameters["filename"];
        set => Parameters["filename"] = value;
    }

    public bool IsAttachment => Disposition.Equals(Attachment, StringComparison.OrdinalIgnoreCase);

    public static ContentDisposition Parse(string value)
    {
        int semicolon = value.IndexOf(';', StringComparison.Ordinal);
        string disposition = new string((semicolon >= 0 ? value[..semicolon] : value)
            .Where(Rfc2231.IsTokenChar).ToArray()).ToLowerInvariant();
        var result = new ContentDisposition(disposition.Length == 0 ? Attachment : disposition);
        if (semicolon >= 0)
        {
            result.Parameters.AddRange(ParameterList.Parse(value.AsSpan(semicolon + 1)));
        }

        return result;
    }

    public override string ToString()
    {
        var text = new StringBuilder(Disposition);
        Parameters.AppendTo(text);
        return text.ToString();
    }
}
