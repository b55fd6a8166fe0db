using System.Buffers;
using System.Buffers.Text;
using EncodedWordDecoder = RawMail.Mime.EncodedWordDecoder;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap.Parsing;

/// <remarks>
/// BODYSTRUCTURE (RFC 9051 section 7.5.2): mandatory fields are read strictly, extension fields leniently,
/// because Exchange, mail.ru, SmarterMail and gmx.net all send extension data that breaks the grammar.
/// A field that does not fit is skipped as one balanced token, so later fields keep their positions.
/// </remarks>
public sealed partial class ImapResponseParser
{
    private static readonly SearchValues<byte> s_numberEnd = SearchValues.Create(" ()\r\n"u8);

    private static BodyPart ReadBody(ref ImapTokenReader r, string partSpecifier)
    {
        r.EnterList();
        if (r.Peek() == (byte)'(')
        {
            return ReadMultipart(ref r, partSpecifier);
        }

        SinglePart part = ReadSinglePart(ref r, partSpecifier.Length == 0 ? "1" : partSpecifier);
        return part;
    }

    private static Multipart ReadMultipart(ref ImapTokenReader r, string partSpecifier)
    {
        ScratchStack<BodyPart> parts = r.Scratch.Parts;
        int start = parts.Count;
        while (r.Peek() == (byte)'(')
        {
            string childSpecifier = KnownValues.ChildPartSpecifier(partSpecifier, parts.Count - start + 1);
            BodyPart child = ReadBody(ref r, childSpecifier);
            child.PartSpecifier = childSpecifier;
            parts.Push(child);

            // Spaces between the parts, which RFC 9051 does not have, are skipped.
            r.SkipSpaces();
        }

        BodyPart[] children = parts.PopToArray(start);
        string subtype = r.ReadMediaName();
        var multipart = new Multipart(subtype, children) { PartSpecifier = partSpecifier };
        if (r.TryLeaveList())
        {
            return multipart;
        }

        ScratchStack<KeyValuePair<string, string>> parameters = r.Scratch.Parameters;
        int parameterStart = parameters.Count;
        ReadParameters(ref r);
        int typeParameterCount = parameters.Count - parameterStart;
        string? dispositionType = ReadCommonExtensions(ref r, multipart);
        multipart.SetParameters(r.Scratch.ParameterArrays.PopToArray(parameters, parameterStart), typeParameterCount,
            dispositionType);
        return multipart;
    }

    private static SinglePart ReadSinglePart(ref ImapTokenReader r, string partSpecifier)
    {
        string type = r.ReadMediaName();
        r.ExpectSpace();
        string subtype = r.ReadMediaName();
        r.ExpectSpace();

        // The Content-Type parameters stay on the stack until the disposition parameters join them, because the
        // part keeps both in one array. A nested message body pushes and pops its own above them.
        ScratchStack<KeyValuePair<string, string>> parameters = r.Scratch.Parameters;
        int parameterStart = parameters.Count;
        ReadParameters(ref r);
        int typeParameterCount = parameters.Count - parameterStart;
        r.ExpectSpace();
        string? id = r.ReadNString();
        r.ExpectSpace();
        string? description = r.ReadNString();
        r.ExpectSpace();
        string? encoding = r.ReadNStringShared();
        r.ExpectSpace();
        long? size = ReadLenientNumber(ref r);

        bool isMessage = type == "message" && (subtype == "rfc822" || subtype == "global");
        r.SkipSpaces();
        SinglePart part;
        if (isMessage && r.Peek() == (byte)'(')
        {
            var message = new MessagePart(type, subtype);
            message.Envelope = ReadEnvelope(ref r);
            r.ExpectSpace();
            string bodySpecifier = partSpecifier;
            message.Body = ReadBody(ref r, bodySpecifier);
            if (message.Body is SinglePart)
            {
                message.Body.PartSpecifier = partSpecifier + ".1";
            }

            r.SkipSpaces();
            message.Lines = ReadLenientNumber(ref r);
            part = message;
        }
        else
        {
            part = new SinglePart(type, subtype);
            if (type == "text" && r.Peek() != (byte)')')
            {
                part.Lines = ReadLenientNumber(ref r);
            }
        }

        part.PartSpecifier = partSpecifier;
        part.ContentId = id;
        part.Description = description;
        part.Encoding = encoding;
        part.Size = size;
        string? dispositionType = null;
        if (!r.TryLeaveList())
        {
            part.Md5 = ReadLenientString(ref r);
            dispositionType = ReadCommonExtensions(ref r, part);
        }

        part.SetParameters(r.Scratch.ParameterArrays.PopToArray(parameters, parameterStart), typeParameterCount,
            dispositionType);
        return part;
    }

    /// <summary>Reads disposition, language and location, then skips any further extension data.</summary>
    /// <returns>The disposition type, whose parameters are left on the parameter stack; null for none.</returns>
    private static string? ReadCommonExtensions(ref ImapTokenReader r, BodyPart part)
    {
        if (r.TryLeaveList())
        {
            return null;
        }

        string? dispositionType = ReadDisposition(ref r);
        if (r.TryLeaveList())
        {
            return dispositionType;
        }

        part.SetLanguages(ReadLanguages(ref r));
        if (r.TryLeaveList())
        {
            return dispositionType;
        }

        part.SetLocation(ReadLenientString(ref r));
        while (!r.TryLeaveList())
        {
            r.SkipValue();
        }

        return dispositionType;
    }

    /// <summary>Reads body-fld-param onto the parameter stack; a NIL or a malformed list gives no parameters.</summary>
    private static void ReadParameters(ref ImapTokenReader r)
    {
        r.SkipSpaces();
        if (r.Peek() != (byte)'(')
        {
            r.SkipValue();
            return;
        }

        ScratchStack<KeyValuePair<string, string>> parameters = r.Scratch.Parameters;
        r.EnterList();
        while (!r.TryLeaveList())
        {
            if (r.Peek() == (byte)'(')
            {
                r.SkipValue();
                continue;
            }

            string name = r.ReadNStringShared() ?? string.Empty;
            r.SkipSpaces();
            if (r.Peek() == (byte)')')
            {
                break;
            }

            string value = ReadLenientString(ref r) ?? string.Empty;
            parameters.Push(new KeyValuePair<string, string>(name, EncodedWordDecoder.Decode(value)));
        }
    }

    /// <summary>Reads body-fld-dsp, normalising the type to lower case without quotes or spaces.</summary>
    /// <returns>The type, with its parameters pushed on the parameter stack; null when there is none.</returns>
    /// <remarks>
    /// Note: Exchange sends a bare string where RFC 3501 wants <c>(type params)</c> or NIL: <c>"inline"</c>
    /// on a part, or the Content-Description on a multipart. A bare single-word string is taken as the
    /// type, a bare text with spaces is ignored.
    /// </remarks>
    private static string? ReadDisposition(ref ImapTokenReader r)
    {
        r.SkipSpaces();
        if (r.TryReadNil())
        {
            return null;
        }

        if (r.Peek() != (byte)'(')
        {
            string? bare = ReadLenientString(ref r);
            string type = NormaliseDisposition(bare);
            return type.Length == 0 || type.Contains(' ', StringComparison.Ordinal) ? null : type;
        }

        r.EnterList();
        if (r.TryLeaveList())
        {
            return null;
        }

        // Note: a quoted header value such as Content-Disposition: "inline" arrives as a literal that
        // contains the quotes, so quotes and surrounding spaces are stripped.
        string name = NormaliseDisposition(ReadLenientString(ref r));
        r.SkipSpaces();
        ScratchStack<KeyValuePair<string, string>> parameters = r.Scratch.Parameters;
        int parameterStart = parameters.Count;
        if (r.Peek() != (byte)')')
        {
            ReadParameters(ref r);
        }

        while (!r.TryLeaveList())
        {
            r.SkipValue();
        }

        if (name.Length == 0)
        {
            parameters.Truncate(parameterStart);
            return null;
        }

        return name;
    }

    private static string NormaliseDisposition(string? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        return value.Trim().Trim('"').Trim().ToLowerInvariant();
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Empty results share the empty array instead of allocating a list.")]
    private static IReadOnlyList<string> ReadLanguages(ref ImapTokenReader r)
    {
        r.SkipSpaces();
        if (r.TryReadNil())
        {
            return [];
        }

        if (r.Peek() != (byte)'(')
        {
            string? single = ReadLenientString(ref r);
            return single is null ? [] : [single];
        }

        var languages = new List<string>();
        r.EnterList();
        while (!r.TryLeaveList())
        {
            string? language = ReadLenientString(ref r);
            if (language is not null)
            {
                languages.Add(language);
            }
        }

        return languages;
    }

    /// <summary>Reads nstring, or skips a list in its place and returns null.</summary>
    private static string? ReadLenientString(ref ImapTokenReader r)
    {
        r.SkipSpaces();
        if (r.Peek() == (byte)'(')
        {
            r.SkipValue();
            return null;
        }

        return r.ReadNStringShared();
    }

    /// <summary>Reads body-fld-octets or body-fld-lines; an invalid number gives null and keeps the field position.</summary>
    /// <remarks>
    /// Note: Exchange sends -1, SmarterMail -2 and mail.ru floats such as <c>9.3736e+06</c> where RFC 9051
    /// requires a non-negative number. Floats are rounded, negative numbers are unknown.
    /// </remarks>
    private static long? ReadLenientNumber(ref ImapTokenReader r)
    {
        r.SkipSpaces();
        if (r.TryReadNil())
        {
            return null;
        }

        if (r.Peek() == (byte)'"' || r.PeekLiteral() || r.Peek() == (byte)'(')
        {
            r.SkipValue();
            return null;
        }

        ReadOnlySpan<byte> text = r.ReadUntil(s_numberEnd);
        if (Utf8Parser.TryParse(text, out long value, out int consumed) && consumed == text.Length)
        {
            return value < 0 ? null : value;
        }

        if (Utf8Parser.TryParse(text, out double real, out consumed) && consumed == text.Length
            && real >= 0 && real < long.MaxValue)
        {
            return (long)Math.Round(real);
        }

        return null;
    }
}
