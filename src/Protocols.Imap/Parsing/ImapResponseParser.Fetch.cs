using System.Buffers;
using System.Text;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap.Parsing;

public sealed partial class ImapResponseParser
{
    // A fetch item name ends before its section, its value or the end of the list.
    private static readonly SearchValues<byte> s_itemNameEnd = SearchValues.Create(" ()[\r\n"u8);

    /// <summary>Reads <c>FETCH (items)</c> after the sequence number; null when it stops at a streamed payload.</summary>
    private FetchResponse? ParseFetch(ref ImapTokenReader r, uint sequenceNumber)
    {
        var fetch = new FetchResponse(sequenceNumber);
        r.ExpectSpace();
        r.EnterList();
        if (!ParseFetchItems(ref r, fetch))
        {
            _resumeFetch = fetch;
            return null;
        }

        r.ExpectLineEnd();
        return fetch;
    }

    /// <summary>Reads fetch items up to the closing parenthesis of the list.</summary>
    /// <returns>False when a body payload is streamed; the items after it are read by the next call.</returns>
    private bool ParseFetchItems(ref ImapTokenReader r, FetchResponse fetch)
    {
        while (!r.TryLeaveList())
        {
            ReadOnlySpan<byte> name = r.ReadUntil(s_itemNameEnd);
            if (r.Peek() == (byte)'[')
            {
                if (!ParseSectionItem(ref r, fetch, name))
                {
                    return false;
                }

                continue;
            }

            r.ExpectSpace();
            if (Ascii.EqualsIgnoreCase(name, "UID"u8))
            {
                fetch.Uid = r.ReadNumber();
            }
            else if (Ascii.EqualsIgnoreCase(name, "FLAGS"u8))
            {
                fetch.Flags = ReadFlagList(ref r, out IReadOnlyList<string> keywords);
                fetch.Keywords = keywords;
            }
            else if (Ascii.EqualsIgnoreCase(name, "ENVELOPE"u8))
            {
                fetch.Envelope = ReadEnvelope(ref r);
            }
            else if (Ascii.EqualsIgnoreCase(name, "BODYSTRUCTURE"u8) || Ascii.EqualsIgnoreCase(name, "BODY"u8))
            {
                fetch.BodyStructure = ReadBody(ref r, string.Empty);
            }
            else if (Ascii.EqualsIgnoreCase(name, "INTERNALDATE"u8))
            {
                fetch.InternalDate = ReadInternalDate(ref r);
            }
            else if (Ascii.EqualsIgnoreCase(name, "RFC822.SIZE"u8))
            {
                fetch.Size = (long)r.ReadNumber64();
            }
            else if (Ascii.EqualsIgnoreCase(name, "MODSEQ"u8))
            {
                r.EnterList();
                fetch.ModSeq = r.ReadNumber64();
                if (!r.TryLeaveList())
                {
                    throw r.Unexpected("')'");
                }
            }
            else if (Ascii.EqualsIgnoreCase(name, "X-GM-MSGID"u8))
            {
                fetch.GmailMessageId = r.ReadNumber64();
            }
            else if (Ascii.EqualsIgnoreCase(name, "X-GM-THRID"u8))
            {
                fetch.GmailThreadId = r.ReadNumber64();
            }
            else if (Ascii.EqualsIgnoreCase(name, "X-GM-LABELS"u8))
            {
                fetch.GmailLabels = ReadGmailLabels(ref r);
            }
            else if (Ascii.EqualsIgnoreCase(name, "EMAILID"u8))
            {
                fetch.EmailId = ReadObjectId(ref r);
            }
            else if (Ascii.EqualsIgnoreCase(name, "THREADID"u8))
            {
                fetch.ThreadId = ReadObjectId(ref r);
            }
            else if (Ascii.EqualsIgnoreCase(name, "RFC822"u8) || Ascii.EqualsIgnoreCase(name, "RFC822.HEADER"u8)
                || Ascii.EqualsIgnoreCase(name, "RFC822.TEXT"u8))
            {
                string itemName = Encoding.ASCII.GetString(name).ToUpperInvariant();
                if (!ReadPayload(ref r, fetch, itemName, string.Empty, null))
                {
                    return false;
                }
            }
            else
            {
                string itemName = ImapText.Decode(name);
                int start = r.Position;
                r.SkipValue();
                AddOtherItem(fetch, itemName, ImapText.Decode(r.Slice(start, r.Position)));
            }
        }

        return true;
    }

    /// <summary>Reads <c>BODY[section]&lt;origin&gt; nstring</c>, <c>BINARY[...]</c> or <c>BINARY.SIZE[...] number</c>.</summary>
    private bool ParseSectionItem(ref ImapTokenReader r, FetchResponse fetch, ReadOnlySpan<byte> name)
    {
        string section = ImapText.Decode(r.ReadSection());
        string itemName = Encoding.ASCII.GetString(name).ToUpperInvariant() + "[" + section + "]";
        uint? origin = null;
        if (r.TrySkip((byte)'<'))
        {
            origin = r.ReadNumber();
            r.Expect((byte)'>');
        }

        r.ExpectSpace();
        if (Ascii.EqualsIgnoreCase(name, "BINARY.SIZE"u8))
        {
            List<KeyValuePair<string, long>> sizes = fetch.BinarySizes as List<KeyValuePair<string, long>> ?? [];
            sizes.Add(new KeyValuePair<string, long>(section, (long)r.ReadNumber64()));
            fetch.BinarySizes = sizes;
            return true;
        }

        return ReadPayload(ref r, fetch, itemName, section, origin);
    }

    private bool ReadPayload(ref ImapTokenReader r, FetchResponse fetch, string itemName, string section,
        uint? origin)
    {
        List<FetchBodySection> sections = fetch.Sections as List<FetchBodySection> ?? [];
        fetch.Sections = sections;
        if (!r.TryReadPayload(out ReadOnlySpan<byte> payload, out bool isNil, out long streamedLength))
        {
            sections.Add(new FetchBodySection(itemName, section, origin, null, streamedLength, isStreamed: true));
            PendingLiteral = new StreamedLiteral(fetch.SequenceNumber, fetch.Uid, itemName, section, origin,
                streamedLength);
            return false;
        }

        byte[]? data = isNil ? null : payload.ToArray();
        sections.Add(new FetchBodySection(itemName, section, origin, data, data?.Length ?? 0, isStreamed: false));
        return true;
    }

    /// <summary>Reads INTERNALDATE; NIL or a date that does not parse gives null.</summary>
    private static DateTimeOffset? ReadInternalDate(ref ImapTokenReader r)
    {
        if (r.TryReadNil())
        {
            return null;
        }

        // The usual quoted date is parsed from its octets; the text is not kept, so no string is made for it.
        const int MaxDateLength = 64;
        if (!r.TryReadSimpleString(out ReadOnlySpan<byte> octets))
        {
            return ImapDateParser.ParseInternalDate(r.ReadAString());
        }

        if (octets.Length > MaxDateLength || !Ascii.IsValid(octets))
        {
            return ImapDateParser.ParseInternalDate(ImapText.Decode(octets));
        }

        Span<char> text = stackalloc char[MaxDateLength];
        int length = Encoding.Latin1.GetChars(octets, text);
        return ImapDateParser.ParseInternalDate(text[..length]);
    }

    /// <summary>Reads the X-GM-LABELS list: quoted labels unescaped once, bare labels taken as they are.</summary>
    /// <remarks>
    /// Note: Gmail leaves labels such as <c>[Mailbox]</c> and <c>+IMNews</c> unquoted although '[' is an
    /// atom-special in RFC 3501; a label ends only at a space or a parenthesis outside quotes.
    /// </remarks>
    private static List<string> ReadGmailLabels(ref ImapTokenReader r)
    {
        var labels = new List<string>();
        if (r.TryReadNil())
        {
            return labels;
        }

        r.EnterList();
        while (!r.TryLeaveList())
        {
            labels.Add(r.ReadAString());
        }

        return labels;
    }

    /// <summary>Reads the <c>(objectid)</c> of EMAILID and THREADID (RFC 8474); NIL gives null.</summary>
    private static string? ReadObjectId(ref ImapTokenReader r)
    {
        if (r.TryReadNil())
        {
            return null;
        }

        r.EnterList();
        string id = r.ReadAString();
        if (!r.TryLeaveList())
        {
            throw r.Unexpected("')'");
        }

        return id;
    }

    private static void AddOtherItem(FetchResponse fetch, string name, string value)
    {
        List<KeyValuePair<string, string>> items = fetch.OtherItems as List<KeyValuePair<string, string>> ?? [];
        items.Add(new KeyValuePair<string, string>(name, value));
        fetch.OtherItems = items;
    }
}
