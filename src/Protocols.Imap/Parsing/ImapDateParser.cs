using System.Globalization;

namespace RawMail.Protocols.Imap.Parsing;

/// <summary>Parses INTERNALDATE (RFC 9051 <c>date-time</c>) and the RFC 5322 Date of an envelope.</summary>
internal static class ImapDateParser
{
    private const string Months = "janfebmaraprmayjunjulaugsepoctnovdec";

    /// <summary>Parses <c>dd-Mon-yyyy hh:mm:ss +zzzz</c>, the day possibly padded with a space; null if invalid.</summary>
    public static DateTimeOffset? ParseInternalDate(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> rest = text.Trim();
        return TakeField(ref rest, '-', out ReadOnlySpan<char> day)
            && TakeField(ref rest, '-', out ReadOnlySpan<char> month)
            && TakeField(ref rest, ' ', out ReadOnlySpan<char> year)
            && TakeField(ref rest, ' ', out ReadOnlySpan<char> time)
            ? Build(day, month, year, time, rest.Trim())
            : null;
    }

    /// <summary>Parses <c>[day-name ","] day month year hh:mm[:ss] zone</c> (RFC 5322 section 3.3); null if invalid.</summary>
    /// <remarks>Obsolete zone names (UT, GMT, EST ...) are accepted; a trailing comment such as <c>(UTC)</c> is ignored.</remarks>
    public static DateTimeOffset? ParseMessageDate(string text)
    {
        ReadOnlySpan<char> rest = text;
        int comma = rest.IndexOf(',');
        if (comma >= 0)
        {
            rest = rest[(comma + 1)..];
        }

        int comment = rest.IndexOf('(');
        if (comment >= 0)
        {
            rest = rest[..comment];
        }

        rest = rest.Trim();
        if (!TakeField(ref rest, ' ', out ReadOnlySpan<char> day)
            || !TakeField(ref rest, ' ', out ReadOnlySpan<char> month)
            || !TakeField(ref rest, ' ', out ReadOnlySpan<char> year))
        {
            return null;
        }

        // A missing zone is read as +0000.
        bool hasZone = TakeField(ref rest, ' ', out ReadOnlySpan<char> clock);
        return Build(day, month, year, hasZone ? clock : rest, hasZone ? rest.Trim() : "+0000");
    }

    /// <summary>Takes the text up to the separator and skips the separator and any spaces after it.</summary>
    private static bool TakeField(ref ReadOnlySpan<char> rest, char separator, out ReadOnlySpan<char> field)
    {
        int end = rest.IndexOf(separator);
        if (end <= 0)
        {
            field = default;
            return false;
        }

        field = rest[..end];
        rest = rest[(end + 1)..].TrimStart(' ');
        return true;
    }

    private static DateTimeOffset? Build(ReadOnlySpan<char> dayText, ReadOnlySpan<char> monthText,
        ReadOnlySpan<char> yearText, ReadOnlySpan<char> timeText, ReadOnlySpan<char> zoneText)
    {
        int month = monthText.Length == 3 ? IndexOfMonth(monthText) + 1 : 0;
        if (month == 0 || !TryParseInt(dayText, out int day) || !TryParseInt(yearText, out int year))
        {
            return null;
        }

        if (yearText.Length == 2)
        {
            // RFC 5322 section 4.3: two-digit years below 50 are 20xx, the rest 19xx.
            year += year < 50 ? 2000 : 1900;
        }

        if (!TakeField(ref timeText, ':', out ReadOnlySpan<char> hourText) || !TryParseInt(hourText, out int hour))
        {
            return null;
        }

        int second = 0;
        bool hasSeconds = TakeField(ref timeText, ':', out ReadOnlySpan<char> minuteText);
        if (hasSeconds && !TryParseInt(timeText, out second))
        {
            return null;
        }

        TimeSpan? offset = ParseZone(zoneText);
        if (!TryParseInt(hasSeconds ? minuteText : timeText, out int minute) || offset is null || year < 1 || year > 9999 || day < 1
            || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return null;
        }

        // A leap second (60) is kept as the last second of the minute.
        return new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset.Value);
    }

    private static int IndexOfMonth(ReadOnlySpan<char> month)
    {
        for (int i = 0; i < 12; i++)
        {
            if (month.Equals(Months.AsSpan(i * 3, 3), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool TryParseInt(ReadOnlySpan<char> text, out int value)
    {
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static TimeSpan? ParseZone(ReadOnlySpan<char> zone)
    {
        if (zone.Length == 5 && zone[0] is '+' or '-' && TryParseInt(zone[1..], out int value))
        {
            int minutes = (value / 100 * 60) + (value % 100);
            if (value % 100 > 59 || minutes > 14 * 60)
            {
                return null;
            }

            return TimeSpan.FromMinutes(zone[0] == '-' ? -minutes : minutes);
        }

        // RFC 5322 section 4.3: obsolete zone names; any other name is read as +0000.
        Span<char> upper = stackalloc char[4];
        if (zone.Length > upper.Length)
        {
            return TimeSpan.Zero;
        }

        int length = zone.ToUpperInvariant(upper);
        return upper[..length] switch
        {
            "EDT" => TimeSpan.FromHours(-4),
            "EST" or "CDT" => TimeSpan.FromHours(-5),
            "CST" or "MDT" => TimeSpan.FromHours(-6),
            "MST" or "PDT" => TimeSpan.FromHours(-7),
            "PST" => TimeSpan.FromHours(-8),
            _ => TimeSpan.Zero,
        };
    }
}
