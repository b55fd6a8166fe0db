using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using RawMail.Transport;

namespace RawMail.Protocols.Pop3;

/// <summary>
/// Parsers for the fields of STAT, LIST and UIDL replies (RFC 1939 sections 5 and 7). Fields are split on runs of
/// spaces and tabs, because some servers pad the columns. Words after the expected fields are ignored, because
/// RFC 1939 section 5 lets servers append information.
/// </summary>
internal static class Pop3ListingParser
{
    private const int MaxShownLength = 100;

    private static readonly SearchValues<byte> s_whitespace = SearchValues.Create(" \t"u8);

    /// <summary>Parses "count size" from a STAT +OK text.</summary>
    public static StatResult ParseStat(ReadOnlySpan<byte> text)
    {
        ReadOnlySpan<byte> rest = text;
        // "&" rather than "&&" so both out values are assigned whatever the first result.
        if (!(TryReadNumber(ref rest, out int count) & TryReadSize(ref rest, out long size)))
        {
            ThrowMalformed("STAT", text);
        }

        return new StatResult(count, size);
    }

    /// <summary>Parses one scan listing line "number size".</summary>
    public static Pop3MessageInfo ParseScanListing(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> rest = line;
        if (!(TryReadMessageNumber(ref rest, out int number) & TryReadSize(ref rest, out long size)))
        {
            ThrowMalformed("LIST", line);
        }

        return new Pop3MessageInfo(number, size);
    }

    /// <summary>Parses one unique-id listing line "number unique-id".</summary>
    public static Pop3UniqueId ParseUniqueIdListing(ReadOnlySpan<byte> line)
    {
        ReadOnlySpan<byte> rest = line;
        if (!(TryReadMessageNumber(ref rest, out int number) & TryReadUniqueId(ref rest, out string? uniqueId)))
        {
            ThrowMalformed("UIDL", line);
        }

        return new Pop3UniqueId(number, uniqueId!);
    }

    /// <summary>
    /// Parses the +OK text of "UIDL n". RFC 1939 gives "n unique-id"; some servers send the unique id alone, which is
    /// paired with <paramref name="number"/>. Returns false when the text is empty, which is how servers that reply
    /// with a whole listing start.
    /// </summary>
    public static bool TryParseSingleUniqueId(ReadOnlySpan<byte> text, int number, out Pop3UniqueId result)
    {
        ReadOnlySpan<byte> rest = text;
        if (!TryReadWord(ref rest, out ReadOnlySpan<byte> first))
        {
            result = default;
            return false;
        }

        ReadOnlySpan<byte> afterFirst = rest;
        bool hasSecond = TryReadWord(ref afterFirst, out _);
        ReadOnlySpan<byte> idSource = text;
        if (hasSecond)
        {
            // "n unique-id": the number must be the one requested, or the reply belongs to another command.
            if (!TryParseNumber(first, out int replied) || replied != number)
            {
                ThrowUnexpected("UIDL", number, text);
            }

            idSource = rest;
        }

        if (!TryReadUniqueId(ref idSource, out string? uniqueId))
        {
            ThrowMalformed("UIDL", text);
        }

        result = new Pop3UniqueId(number, uniqueId);
        return true;
    }

    /// <summary>
    /// Parses the +OK text of "LIST n", "n size". Returns false when the text is empty, which is how servers that
    /// reply with a whole listing start.
    /// </summary>
    public static bool TryParseSingleScanListing(ReadOnlySpan<byte> text, int number, out Pop3MessageInfo result)
    {
        if (text.TrimStart(" \t"u8).IsEmpty)
        {
            result = default;
            return false;
        }

        result = ParseScanListing(text);
        if (result.Number != number)
        {
            ThrowUnexpected("LIST", number, text);
        }

        return true;
    }

    /// <summary>Decodes one CAPA line.</summary>
    public static string ParseCapabilityLine(ReadOnlySpan<byte> line) => Encoding.UTF8.GetString(line);

    private static bool TryReadMessageNumber(ref ReadOnlySpan<byte> rest, out int number)
    {
        return TryReadNumber(ref rest, out number) && number > 0;
    }

    private static bool TryReadNumber(ref ReadOnlySpan<byte> rest, out int number)
    {
        number = 0;
        return TryReadWord(ref rest, out ReadOnlySpan<byte> word) && TryParseNumber(word, out number);
    }

    private static bool TryParseNumber(ReadOnlySpan<byte> word, out int number)
    {
        // Utf8Parser accepts a leading sign; POP3 numbers are digits only.
        number = 0;
        return word.Length > 0
            && word.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            && Utf8Parser.TryParse(word, out number, out int used)
            && used == word.Length;
    }

    private static bool TryReadSize(ref ReadOnlySpan<byte> rest, out long size)
    {
        size = 0;
        return TryReadWord(ref rest, out ReadOnlySpan<byte> word)
            && word.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            && Utf8Parser.TryParse(word, out size, out int used)
            && used == word.Length;
    }

    // A unique id is 1 to 70 characters in the range 0x21 to 0x7E (RFC 1939 section 7).
    private static bool TryReadUniqueId(ref ReadOnlySpan<byte> rest, [NotNullWhen(true)] out string? uniqueId)
    {
        uniqueId = null;
        if (!TryReadWord(ref rest, out ReadOnlySpan<byte> word)
            || word.Length > 70
            || word.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0)
        {
            return false;
        }

        uniqueId = Encoding.ASCII.GetString(word);
        return true;
    }

    private static bool TryReadWord(ref ReadOnlySpan<byte> rest, out ReadOnlySpan<byte> word)
    {
        ReadOnlySpan<byte> trimmed = rest.TrimStart(" \t"u8);
        int end = trimmed.IndexOfAny(s_whitespace);
        if (end < 0)
        {
            end = trimmed.Length;
        }

        word = trimmed[..end];
        rest = trimmed[end..];
        return !word.IsEmpty;
    }

    [DoesNotReturn]
    private static void ThrowMalformed(string command, ReadOnlySpan<byte> line)
    {
        TransportThrow.MalformedResponse(
            $"The server sent a malformed {command} line: '{ProtocolText.Escape(line, MaxShownLength)}'.");
    }

    [DoesNotReturn]
    private static void ThrowUnexpected(string command, int number, ReadOnlySpan<byte> text)
    {
        TransportThrow.UnexpectedResponse(
            $"The server replied to {command} {number} with '{ProtocolText.Escape(text, MaxShownLength)}', which is "
                + "about another message.");
    }
}
