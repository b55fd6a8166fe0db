namespace RawMail.Mime;

/// <summary>A node of the MIME part tree (RFC 2045, RFC 2046).</summary>
public abstract class MimeEntity
{
    protected MimeEntity(ContentType contentType)
    {
        ContentType = contentType;
    }

    /// <summary>Header fields of the part; the parser keeps all of them, in order.</summary>
    public HeaderList Headers { get; } = new();

    public ContentType ContentType { get; set; }

    /// <summary>Defects found while parsing this entity.</summary>
    public List<MimeProblem> Problems { get; } = [];
}

/// <summary>A leaf part with decoded content.</summary>
public sealed class MimePart : MimeEntity
{
    public MimePart(ContentType contentType, MimeContent content)
        : base(contentType)
    {
        Content = content;
    }

    public ContentDisposition? ContentDisposition { get; set; }

    /// <summary>The transfer encoding as read, or to force on writing; null lets the writer choose.</summary>
    public string? ContentTransferEncoding { get; set; }

    /// <summary>The Content-ID without angle brackets.</summary>
    public string? ContentId { get; set; }

    public MimeContent Content { get; set; }

    /// <summary>True when the content had invalid base64 or quoted-printable, or an unknown charset.</summary>
    public bool HasEncodingProblem => Problems.Exists(p => p.IsEncodingProblem);

    /// <summary>The file name from Content-Disposition, else from the Content-Type name parameter.</summary>
    public string? FileName => ContentDisposition?.FileName ?? ContentType.Name;

    public bool IsAttachment => ContentDisposition?.IsAttachment == true;

    /// <summary>Decodes text content with its declared charset (UTF-8, else Latin-1, when unknown).</summary>
    public string GetText() => Charsets.Decode(Content.ToArray(), ContentType.Charset, out _);
}

/// <summary>A multipart entity (RFC 2046 section 5.1).</summary>
public sealed class Multipart : MimeEntity
{
    public Multipart(string subtype)
        : base(new ContentType("multipart", subtype))
    {
    }

    public string Subtype => ContentType.MediaSubtype;

    public string? Boundary
    {
        get => ContentType.Boundary;
        set => ContentType.Boundary = value;
    }

    public string? Preamble { get; set; }

    public string? Epilogue { get; set; }

    public List<MimeEntity> Children { get; } = [];
}

/// <summary>An embedded message (message/rfc822, RFC 2046 section 5.2.1).</summary>
public sealed class MessagePart : MimeEntity
{
    public MessagePart(MimeMessage message)
        : base(new ContentType("message", "rfc822"))
    {
        Message = message;
    }

    public MimeMessage Message { get; }
}

/// <summary>Kinds of defects the lenient parser records instead of failing.</summary>
public enum MimeProblemKind
{
    InvalidBase64,
    InvalidQuotedPrintable,
    UnknownCharset,
    MissingCloseDelimiter,
    InvalidHeaderLine,
    TruncatedPreamble,
}

/// <summary>A defect found while parsing, recorded on the entity it affects.</summary>
public sealed record MimeProblem(MimeProblemKind Kind, string Message)
{
    public bool IsEncodingProblem => Kind is MimeProblemKind.InvalidBase64 or MimeProblemKind.InvalidQuotedPrintable
        or MimeProblemKind.UnknownCharset;
}

/// <summary>Why parsing stopped at a hard limit.</summary>
public enum MimeParseError
{
    HeaderTooLarge,
    NestingTooDeep,
    TooManyParts,
}

/// <summary>Raised only when input exceeds a hard limit of <see cref="MimeParserOptions"/>.</summary>
public sealed class MimeParseException : Exception
{
    public MimeParseException(MimeParseError error, string message)
        : base(message)
    {
        Error = error;
    }

    public MimeParseError Error { get; }
}

/// <summary>An attachment of a message, inline (with a Content-ID) or regular.</summary>
public sealed class Attachment
{
    public Attachment(string fileName, ContentType contentType, MimeContent content)
    {
        HeaderValidation.Check("filename", fileName);
        FileName = fileName;
        ContentType = contentType;
        Content = content;
    }

    public string FileName { get; }

    public ContentType ContentType { get; }

    public MimeContent Content { get; }

    /// <summary>Content-ID without angle brackets; set for inline images referenced as "cid:".</summary>
    public string? ContentId
    {
        get => _contentId;
        set
        {
            HeaderValidation.Check("Content-ID", value);
            _contentId = value;
        }
    }

    public bool IsInline { get; set; }

    private string? _contentId;
}
