using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap.Parsing;

public sealed partial class ImapResponseParser
{
    /// <summary>Reads an envelope (RFC 9051 section 9, <c>envelope</c>) and decodes its RFC 2047 words.</summary>
    private static Envelope ReadEnvelope(ref ImapTokenReader r)
    {
        var envelope = new Envelope();
        r.EnterList();
        envelope.DateText = r.ReadNString();
        envelope.Date = envelope.DateText is null ? null : ImapDateParser.ParseMessageDate(envelope.DateText);
        r.ExpectSpace();
        envelope.Subject = r.ReadNStringWithEncodedWords();
        r.ExpectSpace();
        envelope.From = ReadAddressList(ref r);
        r.ExpectSpace();
        envelope.Sender = ReadAddressList(ref r);
        r.ExpectSpace();
        envelope.ReplyTo = ReadAddressList(ref r);
        r.ExpectSpace();
        envelope.To = ReadAddressList(ref r);
        r.ExpectSpace();
        envelope.Cc = ReadAddressList(ref r);
        r.ExpectSpace();
        envelope.Bcc = ReadAddressList(ref r);
        r.ExpectSpace();
        envelope.InReplyTo = ReadEnvelopeString(ref r);
        r.ExpectSpace();
        envelope.MessageId = ReadEnvelopeString(ref r);

        // Envelope extensions do not exist, but a trailing token must not fail the whole FETCH.
        while (!r.TryLeaveList())
        {
            r.SkipValue();
        }

        return envelope;
    }

    /// <summary>Reads an nstring in an envelope; an empty string is treated as NIL.</summary>
    /// <remarks>Note: the hydroxide bridge sends <c>""</c> for an absent In-Reply-To.</remarks>
    private static string? ReadEnvelopeString(ref ImapTokenReader r)
    {
        if (r.Peek() == (byte)'(')
        {
            r.SkipValue();
            return null;
        }

        string? value = r.ReadNString();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Reads an address list, turning the RFC 9051 group markers into <see cref="GroupAddress"/> entries.</summary>
    /// <remarks>
    /// Note: Mail.ru, Dovecot builds and the hydroxide bridge send <c>()</c> for an absent header where
    /// RFC 3501 requires NIL; it is read as an empty list.
    /// </remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Empty results share the empty array instead of allocating a list.")]
    private static IReadOnlyList<EnvelopeAddress> ReadAddressList(ref ImapTokenReader r)
    {
        if (r.TryReadNil())
        {
            return [];
        }

        if (r.Peek() != (byte)'(')
        {
            // A string or atom where a list belongs carries no address: skip it.
            r.SkipValue();
            return [];
        }

        r.EnterList();
        if (r.TryLeaveList())
        {
            return [];
        }

        ScratchStack<EnvelopeAddress> addresses = r.Scratch.Addresses;
        ScratchStack<MailboxAddress> members = r.Scratch.Members;
        int start = addresses.Count;
        string? groupName = null;
        int groupStart = -1;
        while (!r.TryLeaveList())
        {
            r.EnterList();
            string? name = r.ReadNStringWithEncodedWords();
            r.ExpectSpace();
            string? route = r.ReadNString();
            r.ExpectSpace();
            string? mailbox = r.ReadNStringRecent();
            r.ExpectSpace();
            string? host = r.ReadNStringRecent();
            while (!r.TryLeaveList())
            {
                r.SkipValue();
            }

            if (host is null && mailbox is not null)
            {
                // Group start: the mailbox field carries the group name.
                // A new start marker drops the members of a group that never ended.
                groupName = EncodedWordDecoder.Decode(mailbox);
                if (groupStart >= 0)
                {
                    members.Truncate(groupStart);
                }

                groupStart = members.Count;
                continue;
            }

            if (host is null && mailbox is null && groupStart >= 0)
            {
                addresses.Push(new GroupAddress(groupName, members.PopToArray(groupStart)));
                groupStart = -1;
                groupName = null;
                continue;
            }

            var address = new MailboxAddress(name, route, mailbox, host);
            if (groupStart >= 0)
            {
                members.Push(address);
            }
            else
            {
                addresses.Push(address);
            }
        }

        if (groupStart >= 0)
        {
            // A group without its end marker keeps the members read so far.
            addresses.Push(new GroupAddress(groupName, members.PopToArray(groupStart)));
        }

        return addresses.PopToArray(start);
    }
}
