using System.Buffers.Text;
using RawMail.Protocols.Imap.Model;

namespace RawMail.Protocols.Imap.Parsing;

internal static class SequenceSetParser
{
    /// <summary>Parses <c>seq-number / seq-range</c> items separated by commas (RFC 9051 section 9).</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SequenceSet? set)
    {
        set = null;
        var ranges = new List<SequenceRange>();
        while (true)
        {
            int comma = text.IndexOf((byte)',');
            ReadOnlySpan<byte> item = comma < 0 ? text : text[..comma];
            int colon = item.IndexOf((byte)':');
            if (colon < 0)
            {
                if (!TryParseNumber(item, out uint single))
                {
                    return false;
                }

                ranges.Add(new SequenceRange(single, single));
            }
            else
            {
                if (!TryParseNumber(item[..colon], out uint first) || !TryParseNumber(item[(colon + 1)..], out uint last))
                {
                    return false;
                }

                ranges.Add(new SequenceRange(first, last));
            }

            if (comma < 0)
            {
                break;
            }

            text = text[(comma + 1)..];
        }

        set = new SequenceSet(ranges);
        return true;
    }

    private static bool TryParseNumber(ReadOnlySpan<byte> text, out uint value)
    {
        if (text.Length == 1 && text[0] == (byte)'*')
        {
            value = uint.MaxValue;
            return true;
        }

        return Utf8Parser.TryParse(text, out value, out int consumed) && consumed == text.Length && consumed > 0
            && text[0] != (byte)'+' && text[0] != (byte)'-';
    }
}
