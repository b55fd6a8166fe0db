namespace RawMail.Protocols.Imap;

/// <summary>The STATUS data items (RFC 9051 section 6.3.11, RFC 7162, RFC 8438).</summary>
[Flags]
public enum StatusItems
{
    None = 0,
    Messages = 1,
    Recent = 2,
    UidNext = 4,
    UidValidity = 8,
    Unseen = 16,
    Deleted = 32,
    Size = 64,
    HighestModSeq = 128,

    /// <summary>MESSAGES, UIDNEXT, UIDVALIDITY and UNSEEN, which every IMAP4rev1 server supports.</summary>
    Default = Messages | UidNext | UidValidity | Unseen,
}

internal static class StatusItemsText
{
    public static string Format(StatusItems items)
    {
        var names = new List<string>();
        Add(names, items, StatusItems.Messages, "MESSAGES");
        Add(names, items, StatusItems.Recent, "RECENT");
        Add(names, items, StatusItems.UidNext, "UIDNEXT");
        Add(names, items, StatusItems.UidValidity, "UIDVALIDITY");
        Add(names, items, StatusItems.Unseen, "UNSEEN");
        Add(names, items, StatusItems.Deleted, "DELETED");
        Add(names, items, StatusItems.Size, "SIZE");
        Add(names, items, StatusItems.HighestModSeq, "HIGHESTMODSEQ");
        return "(" + string.Join(' ', names) + ")";
    }

    private static void Add(List<string> names, StatusItems items, StatusItems item, string name)
    {
        if ((items & item) != 0)
        {
            names.Add(name);
        }
    }
}
