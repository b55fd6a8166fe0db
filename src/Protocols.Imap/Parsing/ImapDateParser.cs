using System.Globalization;

namespace RawMail.Protocols.Imap.Parsing;

/// <summary>Parses INTERNALDATE (RFC 9051 <c>date-time</c>) and the RFC 5322 Date of an envelope.</summary>
internal static class ImapDateParser
{
    private static readonly string[] s_months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Parses <c>dd-Mon-yyyy hh:mm:ss +zzzz</c>, the day possibly padded with a space; null if invalid.</summary>
    public static DateTimeOffset? ParseInternalDate(string text)
    {
        string[] parts = text.Trim().Split([' ', '-'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            return null;
        }

        string[] rest = parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length != 3)
        {
            return null;
        }

        return Build(parts[0], parts[1], rest[0], rest[1], rest[2]);
    }

    /// <summary>Parses <c>[day-name ","] day month year hh:mm[:ss] zone</c> (RFC 5322 section 3.3); null if invalid.</summary>
    /// <remarks>Obsolete zone names (UT, GMT, EST ...) are accepted; a trailing comment such as <c>(UTC)</c> is ignored.</remarks>
    public static DateTimeOffset? ParseMessageDate(string text)
    {
        int comma = text.IndexOf(',', StringComparison.Ordinal);
        string rest = comma >= 0 ? text[(comma + 1)..] : text;
        int comment = rest.IndexOf('(', StringComparison.Ordinal);
        if (comment >= 0)
        {
            rest = rest[..comment];
        }

        string[] parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4)
        {
            return null;
        }

        return Build(parts[0], parts[1], parts[2], parts[3], parts.Length > 4 ? parts[4] : "+0000");
    }

    private static DateTimeOffset? Build(string dayText, string monthText, string yearText, string timeText,
        string zoneText)
    {
        int month = Array.IndexOf(s_months, monthText.ToLowerInvariant()) + 1;
        if (month == 0
            || !int.TryParse(dayText, NumberStyles.None, CultureInfo.InvariantCulture, out int day)
            || !int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out int year))
        {
            return null;
        }

        if (yearText.Length == 2)
        {
            // RFC 5322 section 4.3: two-digit years below 50 are 20xx, the rest 19xx.
            year += year < 50 ? 2000 : 1900;
        }

        string[] clock = timeText.Split(':');
        if (clock.Length is < 2 or > 3
            || !int.TryParse(clock[0], NumberStyles.None, CultureInfo.InvariantCulture, out int hour)
            || !int.TryParse(clock[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minute))
        {
            return null;
        }

        int second = 0;
        if (clock.Length == 3 && !int.TryParse(clock[2], NumberStyles.None, CultureInfo.InvariantCulture, out second))
        {
            return null;
        }

        TimeSpan? offset = ParseZone(zoneText);
        if (offset is null || year < 1 || year > 9999 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 60)
        {
            return null;
        }

        // A leap second (60) is kept as the last second of the minute.
        return new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset.Value);
    }

    private static TimeSpan? ParseZone(string zone)
    {
        if (zone.Length == 5 && zone[0] is '+' or '-'
            && int.TryParse(zone.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            int minutes = (value / 100 * 60) + (value % 100);
            if (value % 100 > 59 || minutes > 14 * 60)
            {
                return null;
            }

            return TimeSpan.FromMinutes(zone[0] == '-' ? -minutes : minutes);
        }

        return zone.ToUpperInvariant() switch
        {
            "UT" or "UTC" or "GMT" or "Z" => TimeSpan.Zero,
            "EDT" => TimeSpan.FromHours(-4),
            "EST" or "CDT" => TimeSpan.FromHours(-5),
            "CST" or "MDT" => TimeSpan.FromHours(-6),
            "MST" or "PDT" => TimeSpan.FromHours(-7),
            "PST" => TimeSpan.FromHours(-8),

            // RFC 5322 section 4.3: other zone names are read as +0000.
            _ => TimeSpan.Zero,
        };
    }
}
