namespace ZarrPartition.Engine.Cf;

/// <summary>
/// Day counts of the CF calendars. A day number is the count of days since 0001-01-01 of the same
/// calendar (negative before it). Real-world calendars go through the Julian day number so that the
/// mixed calendar switches from Julian 1582-10-04 to Gregorian 1582-10-15 on consecutive days.
/// </summary>
internal static class CalendarMath
{
    public const long MicrosecondsPerDay = 86_400_000_000L;

    /// <summary>Years this library accepts; keeps every microsecond count well inside int64.</summary>
    public const int MinYear = -200_000;
    public const int MaxYear = 200_000;

    private const long GregorianEpochJdn = 1_721_426; // Gregorian 0001-01-01
    private const long JulianEpochJdn = 1_721_424;    // Julian 0001-01-01
    private const long GregorianStartJdn = 2_299_161; // Gregorian 1582-10-15 = day after Julian 1582-10-04

    private static readonly int[] CommonMonthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    private static readonly int[] CumulativeCommon = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    private static readonly int[] CumulativeLeap = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];

    public static bool IsLeap(CfCalendar calendar, int year)
    {
        switch (calendar)
        {
            case CfCalendar.NoLeap:
            case CfCalendar.Day360:
                return false;
            case CfCalendar.AllLeap:
                return true;
            case CfCalendar.ProlepticGregorian:
                return IsGregorianLeap(year);
            case CfCalendar.Julian:
                return IsJulianLeap(ToAstronomical(year));
            case CfCalendar.Standard:
                return year > 1582 ? IsGregorianLeap(year) : IsJulianLeap(ToAstronomical(year));
            default:
                throw new ArgumentOutOfRangeException(nameof(calendar));
        }
    }

    public static int DaysInMonth(CfCalendar calendar, int year, int month)
    {
        if (month is < 1 or > 12)
        {
            return 0;
        }

        if (calendar == CfCalendar.Day360)
        {
            return 30;
        }

        return month == 2 && IsLeap(calendar, year) ? 29 : CommonMonthDays[month - 1];
    }

    /// <summary>True when the date exists in the calendar (year range, year zero, month length, the 1582 gap).</summary>
    public static bool IsValidDate(CfCalendar calendar, int year, int month, int day)
    {
        if (year is < MinYear or > MaxYear || (year == 0 && !calendar.HasYearZero()))
        {
            return false;
        }

        if (day < 1 || day > DaysInMonth(calendar, year, month))
        {
            return false;
        }

        return !(calendar == CfCalendar.Standard && year == 1582 && month == 10 && day is > 4 and < 15);
    }

    /// <summary>Days since 0001-01-01 of the calendar. The date must be valid.</summary>
    public static long DayNumber(CfCalendar calendar, int year, int month, int day)
    {
        switch (calendar)
        {
            case CfCalendar.NoLeap:
                return (365L * (year - 1)) + CumulativeCommon[month - 1] + day - 1;
            case CfCalendar.AllLeap:
                return (366L * (year - 1)) + CumulativeLeap[month - 1] + day - 1;
            case CfCalendar.Day360:
                return (360L * (year - 1)) + (30 * (month - 1)) + day - 1;
            case CfCalendar.ProlepticGregorian:
                return GregorianDays(year, month, day);
            case CfCalendar.Julian:
                return JulianDays(ToAstronomical(year), month, day);
            case CfCalendar.Standard:
                if (year > 1582 || (year == 1582 && (month > 10 || (month == 10 && day >= 15))))
                {
                    return GregorianDays(year, month, day) + GregorianEpochJdn - JulianEpochJdn;
                }

                return JulianDays(ToAstronomical(year), month, day);
            default:
                throw new ArgumentOutOfRangeException(nameof(calendar));
        }
    }

    /// <summary>The inverse of <see cref="DayNumber"/>.</summary>
    public static (int Year, int Month, int Day) FromDayNumber(CfCalendar calendar, long dayNumber)
    {
        switch (calendar)
        {
            case CfCalendar.NoLeap:
                return FromFixedYear(dayNumber, 365, CumulativeCommon);
            case CfCalendar.AllLeap:
                return FromFixedYear(dayNumber, 366, CumulativeLeap);
            case CfCalendar.Day360:
            {
                long y = FloorDiv(dayNumber, 360);
                int doy = (int)(dayNumber - (y * 360));
                return ((int)(y + 1), (doy / 30) + 1, (doy % 30) + 1);
            }

            case CfCalendar.ProlepticGregorian:
                return FromGregorianDays(dayNumber);
            case CfCalendar.Julian:
            {
                var (y, m, d) = FromJulianDays(dayNumber);
                return (FromAstronomical(y), m, d);
            }

            case CfCalendar.Standard:
            {
                long jdn = dayNumber + JulianEpochJdn;
                if (jdn >= GregorianStartJdn)
                {
                    return FromGregorianDays(jdn - GregorianEpochJdn);
                }

                var (y, m, d) = FromJulianDays(dayNumber);
                return (FromAstronomical(y), m, d);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(calendar));
        }
    }

    public static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
    }

    /// <summary>Historical year (no zero) to astronomical (1 BC = 0).</summary>
    private static int ToAstronomical(int year) => year < 0 ? year + 1 : year;

    private static int FromAstronomical(int year) => year <= 0 ? year - 1 : year;

    private static bool IsGregorianLeap(int year) => (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

    private static bool IsJulianLeap(int astronomicalYear) => astronomicalYear % 4 == 0;

    // Both algorithms count from 1 March so that the leap day ends the computational year.
    private static int DayOfMarchYear(int month, int day) => ((153 * ((month + 9) % 12)) + 2) / 5 + day - 1;

    private static (int Month, int Day) FromMarchDay(int dayOfYear)
    {
        int mp = ((5 * dayOfYear) + 2) / 153;
        int day = dayOfYear - (((153 * mp) + 2) / 5) + 1;
        return (mp < 10 ? mp + 3 : mp - 9, day);
    }

    /// <summary>Proleptic Gregorian, astronomical year: days since 0001-01-01.</summary>
    private static long GregorianDays(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1L : year;
        long era = FloorDiv(y, 400);
        long yearOfEra = y - (era * 400);
        long dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + DayOfMarchYear(month, day);
        return (era * 146_097) + dayOfEra - 306; // 0000-03-01 is 306 days before 0001-01-01
    }

    private static (int, int, int) FromGregorianDays(long days)
    {
        long z = days + 306;
        long era = FloorDiv(z, 146_097);
        long dayOfEra = z - (era * 146_097);
        long yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36_524) - (dayOfEra / 146_096)) / 365;
        int dayOfYear = (int)(dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100)));
        var (month, day) = FromMarchDay(dayOfYear);
        long year = yearOfEra + (era * 400) + (month <= 2 ? 1 : 0);
        return ((int)year, month, day);
    }

    /// <summary>Julian, astronomical year: days since Julian 0001-01-01.</summary>
    private static long JulianDays(int year, int month, int day)
    {
        long y = month <= 2 ? year - 1L : year;
        long cycle = FloorDiv(y, 4);
        long yearOfCycle = y - (cycle * 4);
        return (cycle * 1461) + (yearOfCycle * 365) + DayOfMarchYear(month, day) - 306;
    }

    private static (int, int, int) FromJulianDays(long days)
    {
        long z = days + 306;
        long cycle = FloorDiv(z, 1461);
        long dayOfCycle = z - (cycle * 1461);
        long yearOfCycle = Math.Min(dayOfCycle / 365, 3);
        int dayOfYear = (int)(dayOfCycle - (365 * yearOfCycle));
        var (month, day) = FromMarchDay(dayOfYear);
        long year = (cycle * 4) + yearOfCycle + (month <= 2 ? 1 : 0);
        return ((int)year, month, day);
    }

    private static (int, int, int) FromFixedYear(long days, int yearLength, int[] cumulative)
    {
        long y = FloorDiv(days, yearLength);
        int doy = (int)(days - (y * yearLength));
        int month = 1;
        while (cumulative[month] <= doy)
        {
            month++;
        }

        return ((int)(y + 1), month, doy - cumulative[month - 1] + 1);
    }
}
