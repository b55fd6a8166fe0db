using EncodedWordDecoder = RawMail.Mime.EncodedWordDecoder;
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

        // The six lists are collected on one stack and stored in one array, and ends[i] is where list i stops.
        ScratchStack<EnvelopeAddress> addresses = r.Scratch.Addresses;
        int start = addresses.Count;
        Span<int> ends = stackalloc int[5];
        int fromStart = r.Position;
        ReadAddressList(ref r, addresses);
        ReadOnlySpan<byte> fromText = r.Slice(fromStart, r.Position);
        int fromCount = addresses.Count - start;
        for (int i = 0; i < ends.Length; i++)
        {
            ends[i] = addresses.Count - start;
            r.ExpectSpace();

            // Servers fill Sender and Reply-To from From when the message has none (RFC 9051 section 7.5.2), so
            // a list sent exactly like From reuses its address objects, which are immutable.
            if (fromCount > 0 && r.TrySkipSame(fromText))
            {
                for (int j = 0; j < fromCount; j++)
                {
                    addresses.Push(addresses[start + j]);
                }

                continue;
            }

            ReadAddressList(ref r, addresses);
        }

        envelope.SetAddresses(addresses.PopToArray(start), ends);
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

    /// <summary>
    /// Reads an address list onto <paramref name="addresses"/>, turning the RFC 9051 group markers into
    /// <see cref="GroupAddress"/> entries.
    /// </summary>
    /// <remarks>
    /// Note: Mail.ru, Dovecot builds and the hydroxide bridge send <c>()</c> for an absent header where
    /// RFC 3501 requires NIL; it is read as an empty list.
    /// </remarks>
    private static void ReadAddressList(ref ImapTokenReader r, ScratchStack<EnvelopeAddress> addresses)
    {
        if (r.TryReadNil())
        {
            return;
        }

        if (r.Peek() != (byte)'(')
        {
            // A string or atom where a list belongs carries no address: skip it.
            r.SkipValue();
            return;
        }

        r.EnterList();
        if (r.TryLeaveList())
        {
            return;
        }

        ScratchStack<MailboxAddress> members = r.Scratch.Members;
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
    }
}
