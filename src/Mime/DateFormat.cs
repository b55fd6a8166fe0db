using System.Globalization;

namespace RawMail.Mime;

/// <summary>RFC 5322 date-time (section 3.3), parsed leniently with the obsolete zones of section 4.3.</summary>
public static class DateFormat
{
    private static readonly string[] s_months =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    private static readonly Dictionary<string, int> s_zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = 0, ["GMT"] = 0, ["Z"] = 0, ["EST"] = -5, ["EDT"] = -4, ["CST"] = -6, ["CDT"] = -5,
        ["MST"] = -7, ["MDT"] = -6, ["PST"] = -8, ["PDT"] = -7,
    };

    /// <summary>Formats as "Fri, 04 Dec 2026 16:35:08 +0000".</summary>
    public static string Format(DateTimeOffset date)
    {
        TimeSpan offset = date.Offset;
        char sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + sign + offset.Hours.ToString("00", CultureInfo.InvariantCulture)
            + offset.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a date-time; returns null when no date can be read.</summary>
    public static DateTimeOffset? Parse(string value)
    {
        string[] parts = value.Replace(",", " ", StringComparison.Ordinal)
            .Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        int index = 0;
        if (index < parts.Length && !char.IsAsciiDigit(parts[index][0]))
        {
            index++; // day of week
        }

        if (parts.Length - index < 4
            || !int.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out int day))
        {
            return null;
        }

        string monthName = parts[index + 1].ToLowerInvariant();
        int month = Array.IndexOf(s_months, monthName[..Math.Min(3, monthName.Length)]) + 1;
        if (month == 0
            || !int.TryParse(parts[index + 2], NumberStyles.None, CultureInfo.InvariantCulture, out int year))
        {
            return null;
        }

        // RFC 5322 section 4.3: two-digit years below 50 are 20xx, three-digit years add 1900.
        if (year < 50)
        {
            year += 2000;
        }
        else if (year < 1000)
        {
            year += 1900;
        }

        string[] time = parts[index + 3].Split(':');
        if (time.Length < 2 || !int.TryParse(time[0], CultureInfo.InvariantCulture, out int hour)
            || !int.TryParse(time[1], CultureInfo.InvariantCulture, out int minute))
        {
            return null;
        }

        int second = time.Length > 2 && int.TryParse(time[2], CultureInfo.InvariantCulture, out int s) ? s : 0;
        TimeSpan offset = parts.Length > index + 4 ? ParseZone(parts[index + 4]) : TimeSpan.Zero;
        try
        {
            return new DateTimeOffset(year, month, day, hour, minute, Math.Min(second, 59), offset);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static TimeSpan ParseZone(string zone)
    {
        if (zone.Length == 5 && zone[0] is '+' or '-'
            && int.TryParse(zone.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int hhmm))
        {
            var offset = new TimeSpan(hhmm / 100, hhmm % 100, 0);
            if (offset >= TimeSpan.FromHours(14))
            {
                return TimeSpan.Zero;
            }

            return zone[0] == '-' ? -offset : offset;
        }

        return s_zones.TryGetValue(zone, out int hours) ? TimeSpan.FromHours(hours) : TimeSpan.Zero;
    }
}
