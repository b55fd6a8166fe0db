using System.Globalization;
using System.Text;

namespace RawMail.Sasl;

// A reduced SASLprep (RFC 4013) for SCRAM user names and passwords (RFC 5802 section 5.1).
// NOTE: the bidirectional-text rules (RFC 3454 section 6) and the unassigned-code-point check are
// not applied, so a few names that full SASLprep rejects are sent as they are.
internal static class SaslPrep
{
    public static string Prepare(string value, string paramName)
    {
        var mapped = new StringBuilder(value.Length);
        foreach (Rune rune in value.EnumerateRunes())
        {
            if (IsMappedToNothing(rune.Value))
            {
                continue;
            }

            // RFC 4013 section 2.1: non-ASCII spaces become U+0020.
            if (rune.Value > 0x7F && Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator)
            {
                mapped.Append(' ');
                continue;
            }

            mapped.Append(rune.ToString());
        }

        string normalized = mapped.ToString().Normalize(NormalizationForm.FormKC);
        foreach (Rune rune in normalized.EnumerateRunes())
        {
            if (IsProhibited(rune))
            {
                throw new ArgumentException(
                    $"The value contains U+{rune.Value:X4}, which SASLprep prohibits (RFC 4013 section 2.3).",
                    paramName);
            }
        }

        return normalized;
    }

    // RFC 3454 table B.1, the characters "commonly mapped to nothing".
    private static bool IsMappedToNothing(int value) =>
        value is 0x00AD or 0x034F or 0x1806 or 0x180B or 0x180C or 0x180D or 0x200B or 0x200C or 0x200D
            or 0x2060 or 0xFEFF
        || value is >= 0xFE00 and <= 0xFE0F;

    // Control characters (tables C.2.1, C.2.2), private use (C.3), non-characters (C.4),
    // surrogates (C.5, already replaced by EnumerateRunes) and the replacement character.
    private static bool IsProhibited(Rune rune)
    {
        int value = rune.Value;
        UnicodeCategory category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.Control or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate
            || value is >= 0xFDD0 and <= 0xFDEF
            || (value & 0xFFFE) == 0xFFFE
            || value == 0xFFFD;
    }
}
