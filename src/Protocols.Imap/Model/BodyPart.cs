namespace RawMail.Protocols.Imap.Model;

/// <summary>A node of a BODYSTRUCTURE tree (RFC 9051 section 7.5.2): a single part or a multipart.</summary>
public abstract class BodyPart
{
    private protected BodyPart(string mediaType, string mediaSubtype)
    {
        MediaType = mediaType;
        MediaSubtype = mediaSubtype;
    }

    /// <summary>The media type lower-cased, for example <c>text</c>.</summary>
    public string MediaType { get; }

    /// <summary>The media subtype lower-cased, for example <c>plain</c>.</summary>
    public string MediaSubtype { get; }

    /// <summary>Content-Type parameters in server order; for a multipart they are extension data.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; internal set; } = [];

    public ContentDisposition? Disposition { get; internal set; }

    public IReadOnlyList<string> Languages { get; internal set; } = [];

    public string? Location { get; internal set; }

    /// <summary>The IMAP part number for BODY[section] fetches, for example <c>1.2</c>; empty for the message itself.</summary>
    public string PartSpecifier { get; internal set; } = string.Empty;

    /// <summary>Returns the first Content-Type parameter with this name (compared case-insensitively), or null.</summary>
    public string? GetParameter(string name)
    {
        foreach (KeyValuePair<string, string> parameter in Parameters)
        {
            if (string.Equals(parameter.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return parameter.Value;
            }
        }

        return null;
    }
}

/// <summary>A Content-Disposition: the type lower-cased and its parameters.</summary>
public sealed class ContentDisposition
{
    public ContentDisposition(string type, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        Type = type;
        Parameters = parameters;
    }

    public string Type { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; }
}

/// <summary>A non-multipart part (body-type-1part).</summary>
/// <remarks>
/// A multipart sent in the one-part form (type <c>multipart</c>, no children) also lands here, so the
/// client can fetch its BODY[part] and parse the MIME itself.
/// </remarks>
public class SinglePart : BodyPart
{
    public SinglePart(string mediaType, string mediaSubtype)
        : base(mediaType, mediaSubtype)
    {
    }

    public string? ContentId { get; internal set; }

    public string? Description { get; internal set; }

    /// <summary>The Content-Transfer-Encoding as sent, for example <c>base64</c>.</summary>
    public string? Encoding { get; internal set; }

    /// <summary>The size in octets of the encoded body, or null when the server sent an invalid number (such as -1).</summary>
    public long? Size { get; internal set; }

    /// <summary>The size in text lines, for text parts and message/rfc822 parts.</summary>
    public long? Lines { get; internal set; }

    public string? Md5 { get; internal set; }
}

/// <summary>A message/rfc822 (or message/global) part with its own envelope and body structure.</summary>
public sealed class MessagePart : SinglePart
{
    public MessagePart(string mediaType, string mediaSubtype)
        : base(mediaType, mediaSubtype)
    {
    }

    public Envelope? Envelope { get; internal set; }

    public BodyPart? Body { get; internal set; }
}

/// <summary>A multipart with its children (body-type-mpart).</summary>
public sealed class Multipart : BodyPart
{
    public Multipart(string mediaSubtype, IReadOnlyList<BodyPart> children)
        : base("multipart", mediaSubtype)
    {
        Children = children;
    }

    public IReadOnlyList<BodyPart> Children { get; }
}
