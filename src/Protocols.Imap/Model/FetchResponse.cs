namespace RawMail.Protocols.Imap.Model;

/// <summary>An untagged <c>FETCH</c> response (RFC 9051 section 7.5.2): the data items of one message.</summary>
/// <remarks>Items the server did not send are null (or empty lists).</remarks>
public sealed class FetchResponse : ImapResponse
{
    public FetchResponse(uint sequenceNumber)
    {
        SequenceNumber = sequenceNumber;
    }

    public uint SequenceNumber { get; }

    public uint? Uid { get; internal set; }

    /// <summary>The system flags, or null when FLAGS was not sent.</summary>
    public MessageFlags? Flags { get; internal set; }

    /// <summary>The keywords of FLAGS (flags that are not system flags) as sent.</summary>
    public IReadOnlyList<string> Keywords { get; internal set; } = [];

    public DateTimeOffset? InternalDate { get; internal set; }

    /// <summary>RFC822.SIZE.</summary>
    public long? Size { get; internal set; }

    public Envelope? Envelope { get; internal set; }

    /// <summary>BODYSTRUCTURE, or the non-extensible BODY form when only that was sent.</summary>
    public BodyPart? BodyStructure { get; internal set; }

    /// <summary>BODY[section], BINARY[section], RFC822, RFC822.HEADER and RFC822.TEXT payloads in server order.</summary>
    public IReadOnlyList<FetchBodySection> Sections { get; internal set; } = [];

    /// <summary>BINARY.SIZE[section] values (RFC 3516), in server order.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> BinarySizes { get; internal set; } = [];

    /// <summary>MODSEQ (RFC 7162).</summary>
    public ulong? ModSeq { get; internal set; }

    /// <summary>X-GM-LABELS (Gmail); quoted labels are unescaped, system labels keep their backslash.</summary>
    public IReadOnlyList<string>? GmailLabels { get; internal set; }

    /// <summary>X-GM-MSGID (Gmail).</summary>
    public ulong? GmailMessageId { get; internal set; }

    /// <summary>X-GM-THRID (Gmail).</summary>
    public ulong? GmailThreadId { get; internal set; }

    /// <summary>EMAILID (RFC 8474).</summary>
    public string? EmailId { get; internal set; }

    /// <summary>THREADID (RFC 8474).</summary>
    public string? ThreadId { get; internal set; }

    /// <summary>Data items without a model here, as their name and raw value text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> OtherItems { get; internal set; } = [];
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
