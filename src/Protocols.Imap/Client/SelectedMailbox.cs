using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap;

/// <summary>
/// The state of the selected mailbox as the server reported it in its SELECT or EXAMINE response
/// (RFC 9051 section 6.3.2) and in untagged data since.
/// </summary>
public sealed class SelectedMailbox
{
    internal SelectedMailbox(string name, string encodedName, bool isReadOnly)
    {
        Name = name;
        EncodedName = encodedName;
        IsReadOnly = isReadOnly;
    }

    public string Name { get; }

    /// <summary>The name as sent on the wire: modified UTF-7, or UTF-8 under UTF8=ACCEPT.</summary>
    public string EncodedName { get; }

    /// <summary>True after EXAMINE, or when the server completed SELECT with READ-ONLY.</summary>
    public bool IsReadOnly { get; internal set; }

    /// <summary>The number of messages, kept right across EXISTS, EXPUNGE and VANISHED.</summary>
    public uint Count { get; internal set; }

    public uint Recent { get; internal set; }

    public uint? UidValidity { get; internal set; }

    public uint? UidNext { get; internal set; }

    /// <summary>The sequence number of the first unseen message, when the server sent UNSEEN.</summary>
    public uint? FirstUnseen { get; internal set; }

    /// <summary>HIGHESTMODSEQ (RFC 7162 section 3.1.2.1), raised by every MODSEQ seen since.</summary>
    public ulong? HighestModSeq { get; internal set; }

    /// <summary>True when the server sent NOMODSEQ, because the mailbox does not keep mod-sequences.</summary>
    public bool NoModSeq { get; internal set; }

    public MessageFlags Flags { get; internal set; }

    public IReadOnlyList<string> Keywords { get; internal set; } = [];

    public MessageFlags PermanentFlags { get; internal set; }

    public IReadOnlyList<string> PermanentKeywords { get; internal set; } = [];
}
