using System.Buffers;
using System.Text;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap.Parsing;

public sealed partial class ImapResponseParser
{
    // A tag is astring-char except '+' (RFC 9051 section 9); it ends at the space before the status.
    private static readonly SearchValues<byte> s_tagEnd = SearchValues.Create(" \r\n"u8);

    private ImapResponse? ParseResponse(ref ImapTokenReader r)
    {
        byte first = r.Peek();
        if (first == (byte)'+')
        {
            return ParseContinuation(ref r);
        }

        if (first == (byte)'*')
        {
            r.Advance(1);
            r.ExpectSpace();
            return ParseUntagged(ref r);
        }

        if (first == (byte)'[')
        {
            // Note: Exchange 2013 sends a bare "[COPYUID ...]" line without "* OK", against the
            // response grammar of RFC 3501 section 7; it is read as an untagged OK with that code.
            return ParseStatusBody(ref r, ImapResponseStatus.Ok);
        }

        string tag = Encoding.ASCII.GetString(r.ReadUntil(s_tagEnd));
        r.ExpectSpace();
        ImapResponseStatus status = ReadStatusWord(ref r, out bool known);
        if (!known || status == ImapResponseStatus.PreAuth)
        {
            throw r.Unexpected("OK, NO or BAD after the tag");
        }

        // Note: imap.wp.pl replies to LOGOUT with a tagged BYE where RFC 9051 section 7.1.5 wants an
        // untagged BYE and a tagged OK; the status stays Bye so the client can treat it as a logout.
        var body = ParseStatusBody(ref r, status);
        return new TaggedCompletion(tag, status, body.Code, body.Text);
    }

    private static ContinuationRequest ParseContinuation(ref ImapTokenReader r)
    {
        r.Advance(1);

        // Note: Yandex, Office 365 and public-inbox-imapd send "+" CRLF without the space that
        // RFC 9051 section 7.5 requires; it is an empty continuation request.
        r.TrySkip((byte)' ');
        string text = ImapText.Decode(r.ReadText());
        r.ExpectLineEnd();
        return new ContinuationRequest(text);
    }

    private static ImapResponseStatus ReadStatusWord(ref ImapTokenReader r, out bool known)
    {
        known = true;
        ReadOnlySpan<byte> word = r.ReadAtom();
        if (Ascii.EqualsIgnoreCase(word, "OK"u8))
        {
            return ImapResponseStatus.Ok;
        }

        if (Ascii.EqualsIgnoreCase(word, "NO"u8))
        {
            return ImapResponseStatus.No;
        }

        if (Ascii.EqualsIgnoreCase(word, "BAD"u8))
        {
            return ImapResponseStatus.Bad;
        }

        if (Ascii.EqualsIgnoreCase(word, "BYE"u8))
        {
            return ImapResponseStatus.Bye;
        }

        if (Ascii.EqualsIgnoreCase(word, "PREAUTH"u8))
        {
            return ImapResponseStatus.PreAuth;
        }

        known = false;
        return ImapResponseStatus.Ok;
    }

    /// <summary>Reads resp-text: an optional response code right at its start, then human text.</summary>
    private static UntaggedStatusResponse ParseStatusBody(ref ImapTokenReader r, ImapResponseStatus status)
    {
        // A bare "* BYE" CRLF without text is accepted because dbmail used to send it.
        r.SkipSpaces();
        ResponseCode? code = null;
        if (r.Peek() == (byte)'[')
        {
            code = ParseResponseCode(ref r);
            r.SkipSpaces();
        }

        string text = ImapText.Decode(r.ReadText());
        r.ExpectLineEnd();
        return new UntaggedStatusResponse(status, code, text);
    }

    private ImapResponse ParseUntagged(ref ImapTokenReader r)
    {
        if (r.PeekDigit())
        {
            return ParseNumbered(ref r);
        }

        int nameStart = r.Position;
        ReadOnlySpan<byte> name = r.ReadAtom();
        ImapResponseStatus status = ReadStatusFromName(name, out bool isStatus);
        if (isStatus)
        {
            return ParseStatusBody(ref r, status);
        }

        if (Ascii.EqualsIgnoreCase(name, "CAPABILITY"u8))
        {
            return new CapabilityResponse(false, ReadAtomsToLineEnd(ref r));
        }

        if (Ascii.EqualsIgnoreCase(name, "ENABLED"u8))
        {
            return new CapabilityResponse(true, ReadAtomsToLineEnd(ref r));
        }

        if (Ascii.EqualsIgnoreCase(name, "LIST"u8) || Ascii.EqualsIgnoreCase(name, "LSUB"u8))
        {
            return ParseList(ref r, isLsub: name[1] is (byte)'S' or (byte)'s');
        }

        if (Ascii.EqualsIgnoreCase(name, "STATUS"u8))
        {
            return ParseStatus(ref r);
        }

        if (Ascii.EqualsIgnoreCase(name, "SEARCH"u8) || Ascii.EqualsIgnoreCase(name, "SORT"u8))
        {
            return ParseSearch(ref r);
        }

        if (Ascii.EqualsIgnoreCase(name, "ESEARCH"u8))
        {
            return ParseESearch(ref r);
        }

        if (Ascii.EqualsIgnoreCase(name, "FLAGS"u8))
        {
            r.ExpectSpace();
            MessageFlags flags = ReadFlagList(ref r, out IReadOnlyList<string> keywords);
            r.ExpectLineEnd();
            return new FlagsResponse(flags, keywords);
        }

        if (Ascii.EqualsIgnoreCase(name, "VANISHED"u8))
        {
            return ParseVanished(ref r);
        }

        if (Ascii.EqualsIgnoreCase(name, "ID"u8))
        {
            return ParseId(ref r);
        }

        if (Ascii.EqualsIgnoreCase(name, "NAMESPACE"u8))
        {
            return ParseNamespace(ref r);
        }

        return ParseUnknown(ref r, nameStart);
    }

    private static ImapResponseStatus ReadStatusFromName(ReadOnlySpan<byte> name, out bool isStatus)
    {
        isStatus = name.Length <= 7;
        if (!isStatus)
        {
            return ImapResponseStatus.Ok;
        }

        // Same words as after a tag, plus PREAUTH for the greeting.
        if (Ascii.EqualsIgnoreCase(name, "OK"u8))
        {
            return ImapResponseStatus.Ok;
        }

        if (Ascii.EqualsIgnoreCase(name, "NO"u8))
        {
            return ImapResponseStatus.No;
        }

        if (Ascii.EqualsIgnoreCase(name, "BAD"u8))
        {
            return ImapResponseStatus.Bad;
        }

        if (Ascii.EqualsIgnoreCase(name, "BYE"u8))
        {
            return ImapResponseStatus.Bye;
        }

        if (Ascii.EqualsIgnoreCase(name, "PREAUTH"u8))
        {
            return ImapResponseStatus.PreAuth;
        }

        isStatus = false;
        return ImapResponseStatus.Ok;
    }

    private ImapResponse ParseNumbered(ref ImapTokenReader r)
    {
        int start = r.Position;
        uint number = r.ReadNumber();
        r.ExpectSpace();
        ReadOnlySpan<byte> name = r.ReadAtom();
        NumberResponseKind kind;
        if (Ascii.EqualsIgnoreCase(name, "FETCH"u8))
        {
            return ParseFetch(ref r, number)!;
        }
        else if (Ascii.EqualsIgnoreCase(name, "EXISTS"u8))
        {
            kind = NumberResponseKind.Exists;
        }
        else if (Ascii.EqualsIgnoreCase(name, "RECENT"u8))
        {
            kind = NumberResponseKind.Recent;
        }
        else if (Ascii.EqualsIgnoreCase(name, "EXPUNGE"u8))
        {
            kind = NumberResponseKind.Expunge;
        }
        else
        {
            return ParseUnknown(ref r, start);
        }

        r.ExpectLineEnd();
        return new NumberResponse(kind, number);
    }

    /// <summary>Keeps an untagged response without a model as its name and the raw rest of the frame.</summary>
    private static UnknownResponse ParseUnknown(ref ImapTokenReader r, int nameStart)
    {
        string name = ImapText.Decode(r.Slice(nameStart, r.Position));
        r.SkipSpaces();
        ReadOnlySpan<byte> arguments = r.ReadRemaining().TrimEnd("\r\n"u8);
        return new UnknownResponse(name, ImapText.Decode(arguments));
    }

    private static List<string> ReadAtomsToLineEnd(ref ImapTokenReader r)
    {
        var atoms = new List<string>();
        r.SkipSpaces();
        while (!r.AtLineEnd)
        {
            atoms.Add(Encoding.ASCII.GetString(r.ReadAtom()));
            r.SkipSpaces();
        }

        r.ExpectLineEnd();
        return atoms;
    }

    private static SearchResponse ParseSearch(ref ImapTokenReader r)
    {
        var numbers = new List<uint>();
        ulong? modSeq = null;
        r.SkipSpaces();
        while (!r.AtLineEnd)
        {
            if (r.Peek() == (byte)'(')
            {
                // CONDSTORE suffix "(MODSEQ n)", RFC 7162 section 3.1.5.
                r.EnterList();
                ReadOnlySpan<byte> name = r.ReadAtom();
                if (!Ascii.EqualsIgnoreCase(name, "MODSEQ"u8))
                {
                    throw r.Unexpected("MODSEQ");
                }

                r.ExpectSpace();
                modSeq = r.ReadNumber64();
                if (!r.TryLeaveList())
                {
                    throw r.Unexpected("')'");
                }
            }
            else
            {
                numbers.Add(r.ReadNumber());
            }

            r.SkipSpaces();
        }

        r.ExpectLineEnd();
        return new SearchResponse(numbers, modSeq);
    }

    private static ESearchResponse ParseESearch(ref ImapTokenReader r)
    {
        var result = new ESearchResponse();
        r.SkipSpaces();
        if (r.Peek() == (byte)'(')
        {
            // search-correlator: "(TAG tag-string)", RFC 4466 section 2.6.2.
            r.EnterList();
            r.ReadAtom();
            r.ExpectSpace();
            result.Tag = r.ReadAString();
            if (!r.TryLeaveList())
            {
                throw r.Unexpected("')'");
            }

            r.SkipSpaces();
        }

        while (!r.AtLineEnd)
        {
            ReadOnlySpan<byte> name = r.ReadAtom();
            if (Ascii.EqualsIgnoreCase(name, "UID"u8))
            {
                result.IsUid = true;
                r.SkipSpaces();
                continue;
            }

            r.ExpectSpace();
            if (Ascii.EqualsIgnoreCase(name, "MIN"u8))
            {
                result.Min = r.ReadNumber();
            }
            else if (Ascii.EqualsIgnoreCase(name, "MAX"u8))
            {
                result.Max = r.ReadNumber();
            }
            else if (Ascii.EqualsIgnoreCase(name, "COUNT"u8))
            {
                result.Count = r.ReadNumber();
            }
            else if (Ascii.EqualsIgnoreCase(name, "ALL"u8))
            {
                result.All = ReadSequenceSet(ref r);
            }
            else if (Ascii.EqualsIgnoreCase(name, "MODSEQ"u8))
            {
                result.ModSeq = r.ReadNumber64();
            }
            else
            {
                r.SkipValue();
            }

            r.SkipSpaces();
        }

        r.ExpectLineEnd();
        return result;
    }

    private static VanishedResponse ParseVanished(ref ImapTokenReader r)
    {
        r.ExpectSpace();
        bool earlier = false;
        if (r.Peek() == (byte)'(')
        {
            r.EnterList();
            earlier = Ascii.EqualsIgnoreCase(r.ReadAtom(), "EARLIER"u8);
            if (!r.TryLeaveList())
            {
                throw r.Unexpected("')'");
            }

            r.ExpectSpace();
        }

        SequenceSet uids = ReadSequenceSet(ref r);
        r.ExpectLineEnd();
        return new VanishedResponse(earlier, uids);
    }

    private static IdResponse ParseId(ref ImapTokenReader r)
    {
        r.ExpectSpace();
        var fields = new List<KeyValuePair<string, string?>>();
        if (!r.TryReadNil())
        {
            r.EnterList();
            while (!r.TryLeaveList())
            {
                string key = r.ReadAString();
                r.ExpectSpace();
                fields.Add(new KeyValuePair<string, string?>(key, r.ReadNString()));
            }
        }

        r.ExpectLineEnd();
        return new IdResponse(fields);
    }

    private static NamespaceResponse ParseNamespace(ref ImapTokenReader r)
    {
        r.ExpectSpace();
        IReadOnlyList<NamespaceEntry> personal = ReadNamespaceList(ref r);
        r.ExpectSpace();
        IReadOnlyList<NamespaceEntry> others = ReadNamespaceList(ref r);
        r.ExpectSpace();
        IReadOnlyList<NamespaceEntry> shared = ReadNamespaceList(ref r);
        r.ExpectLineEnd();
        return new NamespaceResponse(personal, others, shared);
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Empty results share the empty array instead of allocating a list.")]
    private static IReadOnlyList<NamespaceEntry> ReadNamespaceList(ref ImapTokenReader r)
    {
        if (r.TryReadNil())
        {
            return [];
        }

        var entries = new List<NamespaceEntry>();
        r.EnterList();
        while (!r.TryLeaveList())
        {
            r.EnterList();
            string prefix = r.ReadAString();
            r.ExpectSpace();
            char? delimiter = ReadDelimiter(ref r);

            // Namespace response extensions (RFC 4466 section 2.7) are skipped.
            while (!r.TryLeaveList())
            {
                r.SkipValue();
            }

            entries.Add(new NamespaceEntry(prefix, delimiter));
        }

        return entries;
    }

    private static char? ReadDelimiter(ref ImapTokenReader r)
    {
        string? delimiter = r.ReadNString();
        return string.IsNullOrEmpty(delimiter) ? null : delimiter[0];
    }

    /// <summary>Reads a sequence-set such as <c>1:3,5,7:*</c>.</summary>
    internal static SequenceSet ReadSequenceSet(ref ImapTokenReader r)
    {
        int start = r.Position;
        ReadOnlySpan<byte> text = r.ReadAtom();
        if (!SequenceSetParser.TryParse(text, out SequenceSet? set))
        {
            throw new ImapParseException(ImapParseErrorReason.UnexpectedToken, start,
                $"A sequence set at offset {start} is invalid.");
        }

        return set;
    }
}
