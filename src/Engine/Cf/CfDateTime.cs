using System.Globalization;
using System.Text.RegularExpressions;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Cf;

/// <summary>
/// An instant in a CF calendar, to the microsecond: year, month, day, hour, minute, second, microsecond.
/// Unlike <see cref="DateTime"/> it represents 360_day dates such as Feb 30, year zero where the
/// calendar has one, negative years and the mixed Julian/Gregorian calendar. Always valid: the
/// constructor rejects dates that do not exist in the calendar.
/// </summary>
/// <remarks>
/// The absolute scale (<see cref="ToMicroseconds"/>) counts microseconds since 0001-01-01 00:00:00 of
/// the value's own calendar; counts from different calendars are not comparable.
/// </remarks>
public readonly struct CfDateTime : IEquatable<CfDateTime>, IComparable<CfDateTime>
{
    private static readonly Regex DatePattern = new(
        @"^\s*(?<y>[+-]?\d+)-(?<mo>\d{1,2})-(?<d>\d{1,2})"
        + @"(?:(?:T|\s+)(?<h>\d{1,2}):(?<mi>\d{1,2})(?::(?<s>\d{1,2})(?:\.(?<f>\d*))?)?)?"
        + @"\s*(?<tz>Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?\s*$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture);

    public CfDateTime(CfCalendar calendar, int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int microsecond = 0)
    {
        if (!IsValid(calendar, year, month, day, hour, minute, second, microsecond))
        {
            throw new ZarrPartitionException(
                "InvalidCfDate",
                ErrorKind.InvalidArgument,
                $"{year}-{month}-{day} {hour}:{minute}:{second}.{microsecond}",
                $"{Describe(calendar, year, month, day, hour, minute, second, microsecond)}");
        }

        Calendar = calendar;
        Year = year;
        Month = month;
        Day = day;
        Hour = hour;
        Minute = minute;
        Second = second;
        Microsecond = microsecond;
    }

    public CfCalendar Calendar { get; }

    /// <summary>The year; historical numbering (no year zero) in standard and julian, astronomical otherwise.</summary>
    public int Year { get; }

    public int Month { get; }

    public int Day { get; }

    public int Hour { get; }

    public int Minute { get; }

    public int Second { get; }

    public int Microsecond { get; }

    /// <summary>1 for 1 January. In the standard calendar 1582 has 355 days, so 1582-10-15 is day 278.</summary>
    public int DayOfYear =>
        (int)(CalendarMath.DayNumber(Calendar, Year, Month, Day) - CalendarMath.DayNumber(Calendar, Year, 1, 1)) + 1;

    /// <summary>Days in this date's month (31 for October 1582 in the standard calendar, whose 5th…14th are missing).</summary>
    public int DaysInMonth => CalendarMath.DaysInMonth(Calendar, Year, Month);

    /// <summary>Days since 0001-01-01 of this calendar.</summary>
    public long DayNumber => CalendarMath.DayNumber(Calendar, Year, Month, Day);

    /// <summary>Microseconds since 0001-01-01 00:00:00 of this calendar.</summary>
    public long ToMicroseconds() =>
        (DayNumber * CalendarMath.MicrosecondsPerDay)
        + (((((Hour * 60L) + Minute) * 60L) + Second) * 1_000_000L)
        + Microsecond;

    /// <summary>The instant <paramref name="microseconds"/> after 0001-01-01 00:00:00 of <paramref name="calendar"/>.</summary>
    public static CfDateTime FromMicroseconds(CfCalendar calendar, long microseconds)
    {
        long day = CalendarMath.FloorDiv(microseconds, CalendarMath.MicrosecondsPerDay);
        long rest = microseconds - (day * CalendarMath.MicrosecondsPerDay);
        var (y, m, d) = CalendarMath.FromDayNumber(calendar, day);
        if (y is < CalendarMath.MinYear or > CalendarMath.MaxYear)
        {
            throw OutOfRange(calendar);
        }

        long seconds = rest / 1_000_000L;
        return new CfDateTime(calendar, y, m, d, (int)(seconds / 3600), (int)(seconds / 60 % 60), (int)(seconds % 60), (int)(rest % 1_000_000L));
    }

    /// <summary>Whether the fields name an existing instant of the calendar.</summary>
    public static bool IsValid(CfCalendar calendar, int year, int month, int day, int hour = 0, int minute = 0, int second = 0, int microsecond = 0) =>
        CalendarMath.IsValidDate(calendar, year, month, day)
        && hour is >= 0 and < 24 && minute is >= 0 and < 60 && second is >= 0 and < 60 && microsecond is >= 0 and < 1_000_000;

    public CfDateTime AddMicroseconds(long microseconds)
    {
        long start = ToMicroseconds();
        long sum = start + microseconds;
        if (((start ^ sum) & (microseconds ^ sum)) < 0)
        {
            throw OutOfRange(Calendar);
        }

        return FromMicroseconds(Calendar, sum);
    }

    public CfDateTime AddDays(long days) => AddMicroseconds(checked(days * CalendarMath.MicrosecondsPerDay));

    /// <summary>The same time of day on another date of the same calendar (validated).</summary>
    public CfDateTime WithDate(int year, int month, int day) =>
        new(Calendar, year, month, day, Hour, Minute, Second, Microsecond);

    /// <summary>
    /// Parses "Y-M-D" with optional time "h:m[:s[.fraction]]" after 'T' or spaces, and an optional
    /// zone "Z", "UTC", "GMT", "+hh:mm", "-hhmm", "+hh". Years may be negative ("-100-01-01").
    /// A zone offset is applied, so the result is in UTC. Fractions beyond microseconds are truncated.
    /// </summary>
    /// <exception cref="ZarrPartitionException">InvalidCfDate when the text is not a date or the date does not exist in the calendar.</exception>
    public static CfDateTime Parse(string text, CfCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseFields(text, out var f, out string? why))
        {
            throw new ZarrPartitionException(
                "InvalidCfDate",
                ErrorKind.InvalidArgument,
                text,
                $"'{text}' is not a date: {why} Use 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' or 'YYYY-MM-DDTHH:MM:SS[.ffffff][Z]'.");
        }

        if (!IsValid(calendar, f.Year, f.Month, f.Day, f.Hour, f.Minute, f.Second, f.Microsecond))
        {
            throw new ZarrPartitionException(
                "InvalidCfDate",
                ErrorKind.InvalidArgument,
                text,
                $"'{text}': {Describe(calendar, f.Year, f.Month, f.Day, f.Hour, f.Minute, f.Second, f.Microsecond)}");
        }

        var value = new CfDateTime(calendar, f.Year, f.Month, f.Day, f.Hour, f.Minute, f.Second, f.Microsecond);
        return f.OffsetMinutes == 0 ? value : value.AddMicroseconds(-f.OffsetMinutes * 60_000_000L);
    }

    public static bool TryParse(string? text, CfCalendar calendar, out CfDateTime value)
    {
        value = default;
        if (text is null || !TryParseFields(text, out var f, out _)
            || !IsValid(calendar, f.Year, f.Month, f.Day, f.Hour, f.Minute, f.Second, f.Microsecond))
        {
            return false;
        }

        try
        {
            value = new CfDateTime(calendar, f.Year, f.Month, f.Day, f.Hour, f.Minute, f.Second, f.Microsecond)
                .AddMicroseconds(-f.OffsetMinutes * 60_000_000L);
            return true;
        }
        catch (ZarrPartitionException)
        {
            return false;
        }
    }

    /// <summary>"YYYY-MM-DD HH:MM:SS", with ".ffffff" when the microsecond is not zero; negative years as "-0100".</summary>
    public override string ToString() => ToString(Microsecond != 0);

    public string ToString(bool includeMicroseconds)
    {
        var year = Year < 0
            ? "-" + (-(long)Year).ToString("D4", CultureInfo.InvariantCulture)
            : Year.ToString("D4", CultureInfo.InvariantCulture);
        var text = string.Create(CultureInfo.InvariantCulture, $"{year}-{Month:D2}-{Day:D2} {Hour:D2}:{Minute:D2}:{Second:D2}");
        return includeMicroseconds ? text + "." + Microsecond.ToString("D6", CultureInfo.InvariantCulture) : text;
    }

    public bool Equals(CfDateTime other) =>
        Calendar == other.Calendar && Year == other.Year && Month == other.Month && Day == other.Day
        && Hour == other.Hour && Minute == other.Minute && Second == other.Second && Microsecond == other.Microsecond;

    public override bool Equals(object? obj) => obj is CfDateTime other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Calendar, Year, Month, Day, Hour, Minute, Second, Microsecond);

    /// <summary>Chronological order within a calendar; values of different calendars order by calendar first.</summary>
    public int CompareTo(CfDateTime other)
    {
        int c = Calendar.CompareTo(other.Calendar);
        if (c != 0)
        {
            return c;
        }

        c = Year.CompareTo(other.Year);
        if (c == 0) c = Month.CompareTo(other.Month);
        if (c == 0) c = Day.CompareTo(other.Day);
        if (c == 0) c = Hour.CompareTo(other.Hour);
        if (c == 0) c = Minute.CompareTo(other.Minute);
        if (c == 0) c = Second.CompareTo(other.Second);
        if (c == 0) c = Microsecond.CompareTo(other.Microsecond);
        return c;
    }

    public static bool operator ==(CfDateTime left, CfDateTime right) => left.Equals(right);

    public static bool operator !=(CfDateTime left, CfDateTime right) => !left.Equals(right);

    public static bool operator <(CfDateTime left, CfDateTime right) => left.CompareTo(right) < 0;

    public static bool operator >(CfDateTime left, CfDateTime right) => left.CompareTo(right) > 0;

    public static bool operator <=(CfDateTime left, CfDateTime right) => left.CompareTo(right) <= 0;

    public static bool operator >=(CfDateTime left, CfDateTime right) => left.CompareTo(right) >= 0;

    internal static ZarrPartitionException OutOfRange(CfCalendar calendar) => new(
        "TimeOutOfRange",
        ErrorKind.InvalidData,
        calendar.ToCfName(),
        $"The time lies outside years {CalendarMath.MinYear}…{CalendarMath.MaxYear}, the range this library represents; check the time units and the values.");

    internal readonly record struct Fields(int Year, int Month, int Day, int Hour, int Minute, int Second, int Microsecond, int OffsetMinutes);

    internal static bool TryParseFields(string text, out Fields fields, out string? why)
    {
        fields = default;
        var m = DatePattern.Match(text);
        if (!m.Success)
        {
            why = "expected year-month-day, optionally followed by hour:minute[:second[.fraction]] and a time zone.";
            return false;
        }

        if (!int.TryParse(m.Groups["y"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int year)
            || year is < CalendarMath.MinYear or > CalendarMath.MaxYear)
        {
            why = $"the year must lie in {CalendarMath.MinYear}…{CalendarMath.MaxYear}.";
            return false;
        }

        int Get(string name) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;

        int micro = 0;
        if (m.Groups["f"].Success && m.Groups["f"].Value.Length > 0)
        {
            var frac = m.Groups["f"].Value;
            frac = frac.Length >= 6 ? frac[..6] : frac.PadRight(6, '0');
            micro = int.Parse(frac, CultureInfo.InvariantCulture);
        }

        int offset = 0;
        if (m.Groups["tz"].Success)
        {
            var tz = m.Groups["tz"].Value;
            if (tz[0] is '+' or '-')
            {
                var digits = tz[1..].Replace(":", string.Empty, StringComparison.Ordinal);
                int hh = int.Parse(digits.Length > 2 ? digits[..^2] : digits, CultureInfo.InvariantCulture);
                int mm = digits.Length > 2 ? int.Parse(digits[^2..], CultureInfo.InvariantCulture) : 0;
                if (hh > 23 || mm > 59)
                {
                    why = $"the time zone offset '{tz}' is out of range.";
                    return false;
                }

                offset = (tz[0] == '-' ? -1 : 1) * ((hh * 60) + mm);
            }
        }

        fields = new Fields(year, Get("mo"), Get("d"), Get("h"), Get("mi"), Get("s"), micro, offset);
        why = null;
        return true;
    }

    private static string Describe(CfCalendar calendar, int year, int month, int day, int hour, int minute, int second, int microsecond)
    {
        string cal = calendar.ToCfName();
        if (year is < CalendarMath.MinYear or > CalendarMath.MaxYear)
        {
            return $"year {year} is outside {CalendarMath.MinYear}…{CalendarMath.MaxYear}.";
        }

        if (year == 0 && !calendar.HasYearZero())
        {
            return $"year 0 does not exist in the {cal} calendar (year -1 precedes year 1); use -1 or the proleptic_gregorian calendar.";
        }

        if (month is < 1 or > 12)
        {
            return $"month {month} is not 1…12.";
        }

        if (day < 1 || day > CalendarMath.DaysInMonth(calendar, year, month))
        {
            return $"day {day} does not exist in {year}-{month:D2} of the {cal} calendar, which has {CalendarMath.DaysInMonth(calendar, year, month)} days.";
        }

        if (calendar == CfCalendar.Standard && year == 1582 && month == 10 && day is > 4 and < 15)
        {
            return $"1582-10-{day:D2} does not exist in the standard (mixed Julian/Gregorian) calendar: 1582-10-04 is followed by 1582-10-15. Use proleptic_gregorian or julian for such dates.";
        }

        return $"time {hour}:{minute}:{second}.{microsecond:D6} is not a time of day (hour 0…23, minute and second 0…59, microsecond 0…999999).";
    }
}
