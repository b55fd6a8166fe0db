namespace RawMail.Protocols.Imap.Model;

/// <summary>The system flags of RFC 9051 section 2.3.2; keywords are kept as strings beside them.</summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Message flags is the IMAP term.")]
public enum MessageFlags
{
    None = 0,
    Seen = 1,
    Answered = 2,
    Flagged = 4,
    Deleted = 8,
    Draft = 16,
    Recent = 32,

    /// <summary><c>\*</c> in PERMANENTFLAGS: the client may create new keywords.</summary>
    Wildcard = 64,
}

/// <summary>The mailbox attributes of RFC 9051 section 7.3.1 and RFC 6154 special-use attributes.</summary>
[Flags]
public enum MailboxAttributes
{
    None = 0,
    NoInferiors = 1 << 0,
    NoSelect = 1 << 1,
    Marked = 1 << 2,
    Unmarked = 1 << 3,
    HasChildren = 1 << 4,
    HasNoChildren = 1 << 5,
    NonExistent = 1 << 6,
    Subscribed = 1 << 7,
    Remote = 1 << 8,
    All = 1 << 9,
    Archive = 1 << 10,
    Drafts = 1 << 11,
    Flagged = 1 << 12,
    Junk = 1 << 13,
    Sent = 1 << 14,
    Trash = 1 << 15,
    Important = 1 << 16,
}
