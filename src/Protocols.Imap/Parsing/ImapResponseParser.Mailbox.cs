using System.Text;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap.Parsing;

public sealed partial class ImapResponseParser
{
    private static readonly (byte[] Name, MessageFlags Flag)[] s_systemFlags =
    [
        (@"\Seen"u8.ToArray(), MessageFlags.Seen),
        (@"\Answered"u8.ToArray(), MessageFlags.Answered),
        (@"\Flagged"u8.ToArray(), MessageFlags.Flagged),
        (@"\Deleted"u8.ToArray(), MessageFlags.Deleted),
        (@"\Draft"u8.ToArray(), MessageFlags.Draft),
        (@"\Recent"u8.ToArray(), MessageFlags.Recent),
        (@"\*"u8.ToArray(), MessageFlags.Wildcard),
    ];

    private static readonly (byte[] Name, MailboxAttributes Attribute)[] s_mailboxAttributes =
    [
        (@"\Noinferiors"u8.ToArray(), MailboxAttributes.NoInferiors),
        (@"\Noselect"u8.ToArray(), MailboxAttributes.NoSelect),
        (@"\Marked"u8.ToArray(), MailboxAttributes.Marked),
        (@"\Unmarked"u8.ToArray(), MailboxAttributes.Unmarked),
        (@"\HasChildren"u8.ToArray(), MailboxAttributes.HasChildren),
        (@"\HasNoChildren"u8.ToArray(), MailboxAttributes.HasNoChildren),
        (@"\NonExistent"u8.ToArray(), MailboxAttributes.NonExistent),
        (@"\Subscribed"u8.ToArray(), MailboxAttributes.Subscribed),
        (@"\Remote"u8.ToArray(), MailboxAttributes.Remote),
        (@"\All"u8.ToArray(), MailboxAttributes.All),
        (@"\Archive"u8.ToArray(), MailboxAttributes.Archive),
        (@"\Drafts"u8.ToArray(), MailboxAttributes.Drafts),
        (@"\Flagged"u8.ToArray(), MailboxAttributes.Flagged),
        (@"\Junk"u8.ToArray(), MailboxAttributes.Junk),
        (@"\Sent"u8.ToArray(), MailboxAttributes.Sent),
        (@"\Trash"u8.ToArray(), MailboxAttributes.Trash),
        (@"\Important"u8.ToArray(), MailboxAttributes.Important),
    ];

    /// <summary>Reads a parenthesized flag list; system flags become bits, everything else a keyword.</summary>
    internal static MessageFlags ReadFlagList(ref ImapTokenReader r, out IReadOnlyList<string> keywords)
    {
        MessageFlags flags = MessageFlags.None;
        ScratchStack<string> others = r.Scratch.Keywords;
        int start = others.Count;
        r.EnterList();
        while (!r.TryLeaveList())
        {
            ReadOnlySpan<byte> flag = r.ReadAtom();
            MessageFlags known = LookUpFlag(flag);
            if (known == MessageFlags.None)
            {
                // Keywords such as $Forwarded repeat from message to message, so the earlier instance is reused.
                others.Push(r.Scratch.Strings.Get(flag));
            }

            flags |= known;
        }

        keywords = others.PopToArray(start);
        return flags;
    }

    private static MessageFlags LookUpFlag(ReadOnlySpan<byte> flag)
    {
        if (flag.IsEmpty || flag[0] != (byte)'\\')
        {
            return MessageFlags.None;
        }

        foreach ((byte[] name, MessageFlags value) in s_systemFlags)
        {
            if (Ascii.EqualsIgnoreCase(flag, name))
            {
                return value;
            }
        }

        return MessageFlags.None;
    }

    private MailboxInfo ParseList(ref ImapTokenReader r, bool isLsub)
    {
        r.ExpectSpace();
        MailboxAttributes attributes = MailboxAttributes.None;
        List<string>? others = null;
        r.EnterList();
        while (!r.TryLeaveList())
        {
            ReadOnlySpan<byte> attribute = r.ReadAtom();
            MailboxAttributes known = LookUpAttribute(attribute);
            if (known == MailboxAttributes.None)
            {
                others ??= [];
                others.Add(ImapText.Decode(attribute));
            }

            attributes |= known;
        }

        r.ExpectSpace();
        char? delimiter = ReadDelimiter(ref r);
        r.ExpectSpace();
        string encoded = r.ReadAString();
        var mailbox = new MailboxInfo(isLsub, attributes, others is null ? [] : others, delimiter,
            DecodeMailboxName(encoded), encoded);
        r.SkipSpaces();
        if (r.Peek() == (byte)'(')
        {
            ParseListExtended(ref r, mailbox);
        }

        r.ExpectLineEnd();
        return mailbox;
    }

    /// <summary>Reads mbox-list-extended (RFC 5258 section 9): CHILDINFO and OLDNAME, others skipped.</summary>
    private void ParseListExtended(ref ImapTokenReader r, MailboxInfo mailbox)
    {
        r.EnterList();
        while (!r.TryLeaveList())
        {
            if (r.Peek() == (byte)'(')
            {
                r.SkipValue();
                continue;
            }

            string tag = r.ReadAString();
            r.ExpectSpace();
            if (string.Equals(tag, "CHILDINFO", StringComparison.OrdinalIgnoreCase) && r.Peek() == (byte)'(')
            {
                var childInfo = new List<string>();
                r.EnterList();
                while (!r.TryLeaveList())
                {
                    childInfo.Add(r.ReadAString());
                }

                mailbox.ChildInfo = childInfo;
            }
            else if (string.Equals(tag, "OLDNAME", StringComparison.OrdinalIgnoreCase) && r.Peek() == (byte)'(')
            {
                r.EnterList();
                mailbox.OldName = DecodeMailboxName(r.ReadAString());
                while (!r.TryLeaveList())
                {
                    r.SkipValue();
                }
            }
            else
            {
                r.SkipValue();
            }
        }
    }

    private static MailboxAttributes LookUpAttribute(ReadOnlySpan<byte> attribute)
    {
        foreach ((byte[] name, MailboxAttributes value) in s_mailboxAttributes)
        {
            if (Ascii.EqualsIgnoreCase(attribute, name))
            {
                return value;
            }
        }

        return MailboxAttributes.None;
    }

    private string DecodeMailboxName(string encoded)
    {
        return Utf8Accept ? encoded : ModifiedUtf7.DecodeLenient(encoded);
    }

    private MailboxStatus ParseStatus(ref ImapTokenReader r)
    {
        r.ExpectSpace();
        string encoded = r.ReadAString();
        var status = new MailboxStatus(DecodeMailboxName(encoded), encoded);
        r.ExpectSpace();
        r.EnterList();
        while (!r.TryLeaveList())
        {
            ReadOnlySpan<byte> name = r.ReadAtom();
            r.ExpectSpace();
            if (Ascii.EqualsIgnoreCase(name, "MESSAGES"u8))
            {
                status.Messages = r.ReadNumber();
            }
            else if (Ascii.EqualsIgnoreCase(name, "RECENT"u8))
            {
                status.Recent = r.ReadNumber();
            }
            else if (Ascii.EqualsIgnoreCase(name, "UIDNEXT"u8))
            {
                status.UidNext = r.ReadNumber();
            }
            else if (Ascii.EqualsIgnoreCase(name, "UIDVALIDITY"u8))
            {
                status.UidValidity = r.ReadNumber();
            }
            else if (Ascii.EqualsIgnoreCase(name, "UNSEEN"u8))
            {
                status.Unseen = r.ReadNumber();
            }
            else if (Ascii.EqualsIgnoreCase(name, "DELETED"u8))
            {
                status.Deleted = r.ReadNumber();
            }
            else if (Ascii.EqualsIgnoreCase(name, "SIZE"u8))
            {
                status.Size = r.ReadNumber64();
            }
            else if (Ascii.EqualsIgnoreCase(name, "HIGHESTMODSEQ"u8))
            {
                status.HighestModSeq = r.ReadNumber64();
            }
            else if (Ascii.EqualsIgnoreCase(name, "APPENDLIMIT"u8))
            {
                status.AppendLimit = r.TryReadNil() ? null : r.ReadNumber64();
            }
            else
            {
                r.SkipValue();
            }
        }

        r.ExpectLineEnd();
        return status;
    }
}
