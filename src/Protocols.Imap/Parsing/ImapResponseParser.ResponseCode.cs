using System.Text;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap.Parsing;

public sealed partial class ImapResponseParser
{
    private static readonly (byte[] Name, ResponseCodeKind Kind)[] s_codeNames =
    [
        ("ALERT"u8.ToArray(), ResponseCodeKind.Alert),
        ("BADCHARSET"u8.ToArray(), ResponseCodeKind.BadCharset),
        ("CAPABILITY"u8.ToArray(), ResponseCodeKind.Capability),
        ("PARSE"u8.ToArray(), ResponseCodeKind.Parse),
        ("PERMANENTFLAGS"u8.ToArray(), ResponseCodeKind.PermanentFlags),
        ("READ-ONLY"u8.ToArray(), ResponseCodeKind.ReadOnly),
        ("READ-WRITE"u8.ToArray(), ResponseCodeKind.ReadWrite),
        ("TRYCREATE"u8.ToArray(), ResponseCodeKind.TryCreate),
        ("UIDNEXT"u8.ToArray(), ResponseCodeKind.UidNext),
        ("UIDVALIDITY"u8.ToArray(), ResponseCodeKind.UidValidity),
        ("UNSEEN"u8.ToArray(), ResponseCodeKind.Unseen),
        ("HIGHESTMODSEQ"u8.ToArray(), ResponseCodeKind.HighestModSeq),
        ("NOMODSEQ"u8.ToArray(), ResponseCodeKind.NoModSeq),
        ("MODIFIED"u8.ToArray(), ResponseCodeKind.Modified),
        ("APPENDUID"u8.ToArray(), ResponseCodeKind.AppendUid),
        ("COPYUID"u8.ToArray(), ResponseCodeKind.CopyUid),
        ("UIDNOTSTICKY"u8.ToArray(), ResponseCodeKind.UidNotSticky),
        ("CLOSED"u8.ToArray(), ResponseCodeKind.Closed),
        ("AUTHENTICATIONFAILED"u8.ToArray(), ResponseCodeKind.AuthenticationFailed),
        ("AUTHORIZATIONFAILED"u8.ToArray(), ResponseCodeKind.AuthorizationFailed),
        ("EXPIRED"u8.ToArray(), ResponseCodeKind.Expired),
        ("PRIVACYREQUIRED"u8.ToArray(), ResponseCodeKind.PrivacyRequired),
        ("CONTACTADMIN"u8.ToArray(), ResponseCodeKind.ContactAdmin),
        ("NOPERM"u8.ToArray(), ResponseCodeKind.NoPerm),
        ("INUSE"u8.ToArray(), ResponseCodeKind.InUse),
        ("EXPUNGEISSUED"u8.ToArray(), ResponseCodeKind.ExpungeIssued),
        ("CORRUPTION"u8.ToArray(), ResponseCodeKind.Corruption),
        ("SERVERBUG"u8.ToArray(), ResponseCodeKind.ServerBug),
        ("CLIENTBUG"u8.ToArray(), ResponseCodeKind.ClientBug),
        ("CANNOT"u8.ToArray(), ResponseCodeKind.CannotOnly),
        ("LIMIT"u8.ToArray(), ResponseCodeKind.Limit),
        ("OVERQUOTA"u8.ToArray(), ResponseCodeKind.OverQuota),
        ("ALREADYEXISTS"u8.ToArray(), ResponseCodeKind.AlreadyExists),
        ("NONEXISTENT"u8.ToArray(), ResponseCodeKind.NonExistent),
        ("UNAVAILABLE"u8.ToArray(), ResponseCodeKind.Unavailable),
        ("HASCHILDREN"u8.ToArray(), ResponseCodeKind.HasChildren),
    ];

    /// <summary>Reads <c>"[" resp-text-code "]"</c>; a code that does not parse is kept raw, never an error.</summary>
    private static ResponseCode ParseResponseCode(ref ImapTokenReader r)
    {
        r.Expect((byte)'[');
        ReadOnlySpan<byte> body = ReadCodeBody(ref r);
        int nameLength = body.IndexOfAny((byte)' ', (byte)']');
        ReadOnlySpan<byte> name = nameLength < 0 ? body : body[..nameLength];
        ReadOnlySpan<byte> arguments = nameLength < 0 ? default : body[(nameLength + 1)..].Trim((byte)' ');
        string nameText = Encoding.ASCII.GetString(name).ToUpperInvariant();
        string? raw = arguments.IsEmpty ? null : ImapText.Decode(arguments);
        ResponseCodeKind kind = LookUpCode(name);
        try
        {
            return ParseCodeArguments(kind, nameText, raw, arguments) ?? new ResponseCode(kind, nameText, raw);
        }
        catch (ImapParseException)
        {
            // Note: Exchange sends malformed codes such as COPYUID without its UID sets. The code is kept
            // raw so the status response that carries it still completes its command.
            return new ResponseCode(kind, nameText, raw);
        }
    }

    /// <summary>Reads up to the first ']' outside a quoted string and consumes the ']'.</summary>
    /// <remarks>
    /// Note: Office 365 sends <c>[Error="...]..." Proxy=...]</c>: quoted strings inside a code, which
    /// resp-text-code of RFC 9051 does not allow. Quotes are honoured so the code ends at the right bracket.
    /// </remarks>
    private static ReadOnlySpan<byte> ReadCodeBody(ref ImapTokenReader r)
    {
        int start = r.Position;
        bool quoted = false;
        while (!r.AtLineEnd)
        {
            byte b = r.Peek();
            if (quoted && b == (byte)'\\')
            {
                r.Advance(1);
                if (!r.AtLineEnd)
                {
                    r.Advance(1);
                }

                continue;
            }

            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            else if (b == (byte)']' && !quoted)
            {
                ReadOnlySpan<byte> body = r.Slice(start, r.Position);
                r.Advance(1);
                return body;
            }

            r.Advance(1);
        }

        // No closing bracket: the rest of the line is the code.
        return r.Slice(start, r.Position);
    }

    private static ResponseCodeKind LookUpCode(ReadOnlySpan<byte> name)
    {
        foreach ((byte[] known, ResponseCodeKind kind) in s_codeNames)
        {
            if (Ascii.EqualsIgnoreCase(name, known))
            {
                return kind;
            }
        }

        return ResponseCodeKind.Unknown;
    }

    private static ResponseCode? ParseCodeArguments(ResponseCodeKind kind, string name, string? raw,
        ReadOnlySpan<byte> arguments)
    {
        var r = new ImapTokenReader(arguments, ImapParserOptions.Default, streamTail: false, depth: 0);
        switch (kind)
        {
            case ResponseCodeKind.UidNext:
            case ResponseCodeKind.UidValidity:
            case ResponseCodeKind.Unseen:
            case ResponseCodeKind.HighestModSeq:
                return new NumberResponseCode(kind, name, raw, r.ReadNumber64());
            case ResponseCodeKind.PermanentFlags:
                MessageFlags flags = ReadFlagList(ref r, out IReadOnlyList<string> keywords);
                return new FlagsResponseCode(raw, flags, keywords);
            case ResponseCodeKind.Capability:
                return new CapabilityResponseCode(raw, ReadAtoms(ref r));
            case ResponseCodeKind.AppendUid:
                uint appendValidity = r.ReadNumber();
                r.SkipSpaces();
                return new AppendUidResponseCode(raw, appendValidity, r.AtEnd ? null : ReadSequenceSet(ref r));
            case ResponseCodeKind.CopyUid:
                return ParseCopyUid(ref r, raw);
            case ResponseCodeKind.Modified:
                return new SequenceSetResponseCode(kind, name, raw, ReadSequenceSet(ref r));
            default:
                return null;
        }
    }

    private static CopyUidResponseCode ParseCopyUid(ref ImapTokenReader r, string? raw)
    {
        uint validity = r.ReadNumber();
        r.SkipSpaces();
        if (r.AtEnd)
        {
            // Note: outlook.office365.com sends "[COPYUID 14  ]" without both uid-sets (RFC 4315
            // requires them); the UIDVALIDITY is still useful, the mapping is unknown.
            return new CopyUidResponseCode(raw, validity, null, null);
        }

        SequenceSet source = ReadSequenceSet(ref r);
        r.ExpectSpace();
        SequenceSet target = ReadSequenceSet(ref r);
        return new CopyUidResponseCode(raw, validity, source, target);
    }

    private static List<string> ReadAtoms(ref ImapTokenReader r)
    {
        var atoms = new List<string>();
        r.SkipSpaces();
        while (!r.AtEnd)
        {
            atoms.Add(Encoding.ASCII.GetString(r.ReadAtom()));
            r.SkipSpaces();
        }

        return atoms;
    }
}
