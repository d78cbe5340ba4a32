using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Cf;

/// <summary>Names of the CF calendars: parsing (case-insensitive, aliases) and the canonical name.</summary>
public static class CfCalendars
{
    /// <summary>Every accepted name, canonical names first.</summary>
    public static IReadOnlyList<string> SupportedNames { get; } =
        ["standard", "gregorian", "proleptic_gregorian", "julian", "noleap", "365_day", "all_leap", "366_day", "360_day"];

    /// <summary>Parses a CF calendar attribute; a missing attribute (null or blank) means "standard".</summary>
    /// <exception cref="ZarrPartitionException">UnknownCalendar (InvalidArgument) for any other name, including "none".</exception>
    public static CfCalendar Parse(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return CfCalendar.Standard;
        }

        if (TryParse(name, out var calendar))
        {
            return calendar;
        }

        throw new ZarrPartitionException(
            "UnknownCalendar",
            ErrorKind.InvalidArgument,
            name,
            $"Unknown CF calendar '{name}'. Supported calendars: {string.Join(", ", SupportedNames)}. "
            + "Set the variable's 'calendar' attribute to one of these (\"none\" is not supported for time decoding).");
    }

    public static bool TryParse(string? name, out CfCalendar calendar)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "standard":
            case "gregorian":
                calendar = CfCalendar.Standard;
                return true;
            case "proleptic_gregorian":
                calendar = CfCalendar.ProlepticGregorian;
                return true;
            case "julian":
                calendar = CfCalendar.Julian;
                return true;
            case "noleap":
            case "365_day":
                calendar = CfCalendar.NoLeap;
                return true;
            case "all_leap":
            case "366_day":
                calendar = CfCalendar.AllLeap;
                return true;
            case "360_day":
                calendar = CfCalendar.Day360;
                return true;
            default:
                calendar = default;
                return false;
        }
    }

    /// <summary>The canonical CF name: standard, proleptic_gregorian, julian, noleap, all_leap, 360_day.</summary>
    public static string ToCfName(this CfCalendar calendar) => calendar switch
    {
        CfCalendar.Standard => "standard",
        CfCalendar.ProlepticGregorian => "proleptic_gregorian",
        CfCalendar.Julian => "julian",
        CfCalendar.NoLeap => "noleap",
        CfCalendar.AllLeap => "all_leap",
        CfCalendar.Day360 => "360_day",
        _ => throw new ArgumentOutOfRangeException(nameof(calendar), calendar, null),
    };

    /// <summary>False for standard and julian (historical numbering: year -1 precedes year 1), true otherwise.</summary>
    public static bool HasYearZero(this CfCalendar calendar) => calendar is not (CfCalendar.Standard or CfCalendar.Julian);

    /// <summary>Whether <paramref name="year"/> is a leap year (for standard: Julian rule before 1583, Gregorian after).</summary>
    public static bool IsLeapYear(this CfCalendar calendar, int year) => CalendarMath.IsLeap(calendar, year);

    /// <summary>Days in the month; 0 for a month outside 1…12.</summary>
    public static int DaysInMonth(this CfCalendar calendar, int year, int month) => CalendarMath.DaysInMonth(calendar, year, month);
}
