namespace RawMail.Protocols.Imap.Model;

/// <summary>A node of a BODYSTRUCTURE tree (RFC 9051 section 7.5.2): a single part or a multipart.</summary>
/// <remarks>
/// A part keeps its Content-Type and Content-Disposition parameters in one array. The extension fields that are
/// usually NIL (language, location, Content-ID, description, MD5) live in a separate object, which is made only
/// when one of them is sent, so a typical part is a single small object.
/// </remarks>
public abstract class BodyPart
{
    private KeyValuePair<string, string>[] _parameters = [];
    private int _typeParameterCount;
    private string? _dispositionType;
    private protected PartExtensionFields? _extension;

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
    public BodyParameters Parameters => new(_parameters, 0, _typeParameterCount);

    /// <summary>The Content-Disposition, or null when the server sent NIL or none.</summary>
    public ContentDisposition? Disposition => _dispositionType is null ? null
        : new ContentDisposition(_dispositionType,
            new BodyParameters(_parameters, _typeParameterCount, _parameters.Length - _typeParameterCount));

    /// <summary>The Content-Language tags, empty when the server sent NIL or none.</summary>
    public IReadOnlyList<string> Languages => _extension?.Languages ?? [];

    /// <summary>The Content-Location (RFC 2557), or null.</summary>
    public string? Location => _extension?.Location;

    /// <summary>The IMAP part number for BODY[section] fetches, for example <c>1.2</c>; empty for the message itself.</summary>
    public string PartSpecifier { get; internal set; } = string.Empty;

    /// <summary>Returns the first Content-Type parameter with this name (compared case-insensitively), or null.</summary>
    public string? GetParameter(string name)
    {
        return Parameters.Find(name);
    }

    /// <summary>Stores the Content-Type and Content-Disposition parameters, which share one array.</summary>
    internal void SetParameters(KeyValuePair<string, string>[] parameters, int typeParameterCount,
        string? dispositionType)
    {
        _parameters = parameters;
        _typeParameterCount = typeParameterCount;
        _dispositionType = dispositionType;
    }

    internal void SetLanguages(IReadOnlyList<string> languages)
    {
        if (languages.Count > 0)
        {
            Extension.Languages = languages;
        }
    }

    internal void SetLocation(string? location)
    {
        if (location is not null)
        {
            Extension.Location = location;
        }
    }

    private protected PartExtensionFields Extension => _extension ??= new PartExtensionFields();
}

/// <summary>Body fields that are NIL in most parts, kept apart so a part without them does not carry them.</summary>
internal sealed class PartExtensionFields
{
    public IReadOnlyList<string>? Languages { get; set; }

    public string? Location { get; set; }

    public string? ContentId { get; set; }

    public string? Description { get; set; }

    public string? Md5 { get; set; }

    /// <summary>A size of 2^32 - 2 octets or more.</summary>
    public long LargeSize { get; set; }

    /// <summary>A line count of 2^32 - 2 or more.</summary>
    public long LargeLines { get; set; }
}

/// <summary>A Content-Disposition: the type lower-cased and its parameters.</summary>
/// <remarks>The part builds one on each read of <see cref="BodyPart.Disposition"/> from the fields it stores.</remarks>
public sealed class ContentDisposition
{
    public ContentDisposition(string type, BodyParameters parameters)
    {
        Type = type;
        Parameters = parameters;
    }

    public string Type { get; }

    public BodyParameters Parameters { get; }

    /// <summary>Returns the first parameter with this name (compared case-insensitively), or null.</summary>
    public string? GetParameter(string name)
    {
        return Parameters.Find(name);
    }
}

/// <summary>A non-multipart part (body-type-1part).</summary>
/// <remarks>
/// A multipart sent in the one-part form (type <c>multipart</c>, no children) also lands here, so the
/// client can fetch its BODY[part] and parse the MIME itself.
/// </remarks>
public class SinglePart : BodyPart
{
    // Sizes and line counts take 32 bits each, with NotSent for null. body-fld-octets is a 32-bit number
    // (RFC 9051 section 9); a larger value, which only body-fld-lines allows, is kept in the extension fields.
    private const uint NotSent = uint.MaxValue;
    private const uint Large = uint.MaxValue - 1;

    private uint _size = NotSent;
    private uint _lines = NotSent;

    public SinglePart(string mediaType, string mediaSubtype)
        : base(mediaType, mediaSubtype)
    {
    }

    public string? ContentId
    {
        get => _extension?.ContentId;
        internal set
        {
            if (value is not null)
            {
                Extension.ContentId = value;
            }
        }
    }

    public string? Description
    {
        get => _extension?.Description;
        internal set
        {
            if (value is not null)
            {
                Extension.Description = value;
            }
        }
    }

    /// <summary>The Content-Transfer-Encoding as sent, for example <c>base64</c>.</summary>
    public string? Encoding { get; internal set; }

    /// <summary>The size in octets of the encoded body, or null when the server sent an invalid number (such as -1).</summary>
    public long? Size
    {
        get => Unpack(_size, _extension?.LargeSize);
        internal set
        {
            _size = Pack(value);
            if (_size == Large)
            {
                Extension.LargeSize = value.GetValueOrDefault();
            }
        }
    }

    /// <summary>The size in text lines, for text parts and message/rfc822 parts.</summary>
    public long? Lines
    {
        get => Unpack(_lines, _extension?.LargeLines);
        internal set
        {
            _lines = Pack(value);
            if (_lines == Large)
            {
                Extension.LargeLines = value.GetValueOrDefault();
            }
        }
    }

    public string? Md5
    {
        get => _extension?.Md5;
        internal set
        {
            if (value is not null)
            {
                Extension.Md5 = value;
            }
        }
    }

    /// <summary>Returns the value that <see cref="Pack"/> stored, taking a large one from the extension object.</summary>
    private static long? Unpack(uint packed, long? large)
    {
        if (packed == NotSent)
        {
            return null;
        }

        if (packed == Large)
        {
            return large;
        }

        return packed;
    }

    private static uint Pack(long? value)
    {
        if (value is not { } number || number < 0)
        {
            return NotSent;
        }

        return number >= Large ? Large : (uint)number;
    }
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
