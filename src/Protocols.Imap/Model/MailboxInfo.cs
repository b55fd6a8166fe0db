namespace RawMail.Protocols.Imap.Model;

/// <summary>A mailbox from an untagged <c>LIST</c> or <c>LSUB</c> response (RFC 9051 section 7.3.1, RFC 5258).</summary>
public sealed class MailboxInfo : ImapResponse
{
    public MailboxInfo(bool isLsub, MailboxAttributes attributes, IReadOnlyList<string> otherAttributes,
        char? delimiter, string name, string encodedName)
    {
        IsLsub = isLsub;
        Attributes = attributes;
        OtherAttributes = otherAttributes;
        Delimiter = delimiter;
        Name = name;
        EncodedName = encodedName;
    }

    public bool IsLsub { get; }

    public MailboxAttributes Attributes { get; }

    /// <summary>Attributes without a <see cref="MailboxAttributes"/> value, as sent (for example <c>\Noselect</c> variants).</summary>
    public IReadOnlyList<string> OtherAttributes { get; }

    /// <summary>The hierarchy delimiter, or null when the server sent NIL (a flat namespace).</summary>
    public char? Delimiter { get; }

    /// <summary>The name for display: decoded from modified UTF-7 unless UTF8=ACCEPT is enabled.</summary>
    public string Name { get; }

    /// <summary>The name exactly as the server sent it; commands that name this mailbox send these bytes back.</summary>
    public string EncodedName { get; }

    /// <summary>CHILDINFO extended data (RFC 5258 section 4): for example <c>SUBSCRIBED</c>.</summary>
    public IReadOnlyList<string> ChildInfo { get; internal set; } = [];

    /// <summary>OLDNAME extended data (RFC 5465 section 7.2), decoded like <see cref="Name"/>.</summary>
    public string? OldName { get; internal set; }
}

/// <summary>An untagged <c>STATUS</c> response (RFC 9051 section 7.2.4); absent attributes are null.</summary>
public sealed class MailboxStatus : ImapResponse
{
    public MailboxStatus(string name, string encodedName)
    {
        Name = name;
        EncodedName = encodedName;
    }

    public string Name { get; }

    public string EncodedName { get; }

    public uint? Messages { get; internal set; }

    public uint? Recent { get; internal set; }

    public uint? UidNext { get; internal set; }

    public uint? UidValidity { get; internal set; }

    public uint? Unseen { get; internal set; }

    public uint? Deleted { get; internal set; }

    public ulong? Size { get; internal set; }

    public ulong? HighestModSeq { get; internal set; }

    public ulong? AppendLimit { get; internal set; }
}
