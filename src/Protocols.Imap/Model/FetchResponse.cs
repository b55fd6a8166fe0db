namespace RawMail.Protocols.Imap.Model;

/// <summary>An untagged <c>FETCH</c> response (RFC 9051 section 7.5.2): the data items of one message.</summary>
/// <remarks>Items the server did not send are null (or empty lists).</remarks>
public sealed class FetchResponse : ImapResponse
{
    private uint _uid;
    private MessageFlags _flags;
    private Present _present;
    private long _size;
    private DateTimeOffset _internalDate;

    // Items that a metadata fetch rarely contains live apart, so a typical response stays one small object.
    private FetchExtraItems? _extra;

    public FetchResponse(uint sequenceNumber)
    {
        SequenceNumber = sequenceNumber;
    }

    [Flags]
    private enum Present : byte
    {
        None = 0,
        Uid = 1,
        Flags = 2,
        Size = 4,
        InternalDate = 8,
    }

    public uint SequenceNumber { get; }

    public uint? Uid
    {
        get => (_present & Present.Uid) != 0 ? _uid : null;
        internal set => Store(ref _uid, value, Present.Uid);
    }

    /// <summary>The system flags, or null when FLAGS was not sent.</summary>
    public MessageFlags? Flags
    {
        get => (_present & Present.Flags) != 0 ? _flags : null;
        internal set => Store(ref _flags, value, Present.Flags);
    }

    /// <summary>The keywords of FLAGS (flags that are not system flags) as sent.</summary>
    public IReadOnlyList<string> Keywords { get; internal set; } = [];

    public DateTimeOffset? InternalDate
    {
        get => (_present & Present.InternalDate) != 0 ? _internalDate : null;
        internal set => Store(ref _internalDate, value, Present.InternalDate);
    }

    /// <summary>RFC822.SIZE.</summary>
    public long? Size
    {
        get => (_present & Present.Size) != 0 ? _size : null;
        internal set => Store(ref _size, value, Present.Size);
    }

    public Envelope? Envelope { get; internal set; }

    /// <summary>BODYSTRUCTURE, or the non-extensible BODY form when only that was sent.</summary>
    public BodyPart? BodyStructure { get; internal set; }

    /// <summary>BODY[section], BINARY[section], RFC822, RFC822.HEADER and RFC822.TEXT payloads in server order.</summary>
    public IReadOnlyList<FetchBodySection> Sections
    {
        get => _extra?.Sections ?? [];
        internal set => Extra.Sections = value;
    }

    /// <summary>BINARY.SIZE[section] values (RFC 3516), in server order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> BinarySizes
    {
        get => _extra?.BinarySizes ?? [];
        internal set => Extra.BinarySizes = value;
    }

    /// <summary>MODSEQ (RFC 7162).</summary>
    public ulong? ModSeq
    {
        get => _extra?.ModSeq;
        internal set => Extra.ModSeq = value;
    }

    /// <summary>X-GM-LABELS (Gmail); quoted labels are unescaped, system labels keep their backslash.</summary>
    public IReadOnlyList<string>? GmailLabels
    {
        get => _extra?.GmailLabels;
        internal set => Extra.GmailLabels = value;
    }

    /// <summary>X-GM-MSGID (Gmail).</summary>
    public ulong? GmailMessageId
    {
        get => _extra?.GmailMessageId;
        internal set => Extra.GmailMessageId = value;
    }

    /// <summary>X-GM-THRID (Gmail).</summary>
    public ulong? GmailThreadId
    {
        get => _extra?.GmailThreadId;
        internal set => Extra.GmailThreadId = value;
    }

    /// <summary>EMAILID (RFC 8474).</summary>
    public string? EmailId
    {
        get => _extra?.EmailId;
        internal set => Extra.EmailId = value;
    }

    /// <summary>THREADID (RFC 8474).</summary>
    public string? ThreadId
    {
        get => _extra?.ThreadId;
        internal set => Extra.ThreadId = value;
    }

    /// <summary>Data items without a model here, as their name and raw value text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> OtherItems
    {
        get => _extra?.OtherItems ?? [];
        internal set => Extra.OtherItems = value;
    }

    private FetchExtraItems Extra => _extra ??= new FetchExtraItems();

    private void Store<T>(ref T field, T? value, Present bit)
        where T : struct
    {
        if (value is { } present)
        {
            field = present;
            _present |= bit;
        }
        else
        {
            _present &= ~bit;
        }
    }
}

/// <summary>The fetch items kept outside <see cref="FetchResponse"/> because few responses contain them.</summary>
internal sealed class FetchExtraItems
{
    public IReadOnlyList<FetchBodySection>? Sections { get; set; }

    public IReadOnlyList<KeyValuePair<string, long>>? BinarySizes { get; set; }

    public ulong? ModSeq { get; set; }

    public IReadOnlyList<string>? GmailLabels { get; set; }

    public ulong? GmailMessageId { get; set; }

    public ulong? GmailThreadId { get; set; }

    public string? EmailId { get; set; }

    public string? ThreadId { get; set; }

    public IReadOnlyList<KeyValuePair<string, string>>? OtherItems { get; set; }
}

/// <summary>A body payload: <c>BODY[section]&lt;origin&gt;</c>, <c>BINARY[section]</c> or an RFC822 item.</summary>
public sealed class FetchBodySection
{
    public FetchBodySection(string itemName, string section, uint? origin, byte[]? data, long length, bool isStreamed)
    {
        ItemName = itemName;
        Section = section;
        Origin = origin;
        Data = data;
        Length = length;
        IsStreamed = isStreamed;
    }

    /// <summary>The item name without the origin, upper-cased outside the brackets, for example <c>BODY[1.1]</c>.</summary>
    public string ItemName { get; }

    /// <summary>The text between the brackets, for example <c>1.1</c> or <c>HEADER.FIELDS (SUBJECT)</c>.</summary>
    public string Section { get; }

    /// <summary>The origin octet of a partial fetch (<c>&lt;n&gt;</c>).</summary>
    public uint? Origin { get; }

    /// <summary>The payload, or null for NIL and for a streamed payload.</summary>
    public byte[]? Data { get; }

    /// <summary>The payload length in octets.</summary>
    public long Length { get; }

    /// <summary>True when the payload went to the caller through <see cref="Parsing.ImapResponseParser.ReadLiteralChunk"/>.</summary>
    public bool IsStreamed { get; }
}
