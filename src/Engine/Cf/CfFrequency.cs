using System.Globalization;
using System.Text.RegularExpressions;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Cf;

/// <summary>
/// A step between CF dates: a fixed duration (microseconds … weeks), calendar months or years, or an
/// anchored step (month start/end, year start/end), parsed from ISO 8601 durations ("PT1H", "P1D",
/// "P1M", "P1Y", "P1W") or pandas-style aliases ("1h", "3H", "30min", "D", "7D", "W", "MS", "M"/"ME",
/// "YS"/"AS", "Y"/"A"/"YE").
/// </summary>
/// <remarks>
/// Semantics, matching xarray's cftime_range where it has the same alias:
/// fixed steps add an exact duration; "MS"/"M"/"YS"/"Y" are anchored — <see cref="Range"/> first rolls
/// the start forward onto the anchor (keeping the time of day) and each step lands on the anchor.
/// Non-anchored month and year steps (ISO "P1M", "P1Y") keep the day of month and clip it to the
/// month's length (Jan 31 + 1 month = Feb 28 in noleap, Feb 30 in 360_day); in the standard calendar
/// a result inside the 1582 gap moves to 1582-10-15. "W" is exactly 7 days from the start (pandas
/// anchors it on Sundays; we do not).
/// </remarks>
public sealed class CfFrequency
{
    private static readonly Regex Alias = new(@"^\s*(?<n>\d*)\s*(?<u>[A-Za-z]+)\s*$", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture);

    private static readonly Regex Iso = new(
        @"^P(?:(?<Y>\d+)Y)?(?:(?<Mo>\d+)M)?(?:(?<W>\d+)W)?(?:(?<D>\d+)D)?(?:T(?:(?<H>\d+)H)?(?:(?<Mi>\d+)M)?(?:(?<S>\d+)S)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase);

    private CfFrequency(CfFrequencyKind kind, long amount, string text)
    {
        Kind = kind;
        Amount = amount;
        Text = text;
    }

    public CfFrequencyKind Kind { get; }

    /// <summary>Microseconds for <see cref="CfFrequencyKind.Fixed"/>, otherwise a count of months or years.</summary>
    public long Amount { get; }

    public string Text { get; }

    public override string ToString() => Text;

    /// <exception cref="ZarrPartitionException">InvalidFrequency for anything else.</exception>
    public static CfFrequency Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        var iso = Iso.Match(t);
        if (iso.Success && t.Length > 1 && !t.EndsWith('T'))
        {
            long Get(string g) => iso.Groups[g].Success ? long.Parse(iso.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
            long years = Get("Y"), months = Get("Mo");
            long micro = checked((((Get("W") * 7) + Get("D")) * CalendarMath.MicrosecondsPerDay) + (Get("H") * 3_600_000_000L) + (Get("Mi") * 60_000_000L) + (Get("S") * 1_000_000L));
            if ((years != 0 || months != 0) && micro != 0)
            {
                throw Invalid(text, "a duration mixing years or months with days or times has no single step; use one of them.");
            }

            if (years != 0 || months != 0)
            {
                return new CfFrequency(CfFrequencyKind.Months, (years * 12) + months, text);
            }

            return micro > 0 ? new CfFrequency(CfFrequencyKind.Fixed, micro, text) : throw Invalid(text, "the duration is zero.");
        }

        var m = Alias.Match(t);
        if (!m.Success)
        {
            throw Invalid(text, null);
        }

        long n = m.Groups["n"].Value.Length == 0 ? 1 : long.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        if (n <= 0)
        {
            throw Invalid(text, "the multiple must be positive.");
        }

        var kind = m.Groups["u"].Value switch
        {
            "us" or "U" => (CfFrequencyKind.Fixed, 1L),
            "ms" or "L" => (CfFrequencyKind.Fixed, 1_000L),
            "s" or "S" => (CfFrequencyKind.Fixed, 1_000_000L),
            "min" or "T" => (CfFrequencyKind.Fixed, 60_000_000L),
            "h" or "H" => (CfFrequencyKind.Fixed, 3_600_000_000L),
            "D" or "d" => (CfFrequencyKind.Fixed, CalendarMath.MicrosecondsPerDay),
            "W" => (CfFrequencyKind.Fixed, 7 * CalendarMath.MicrosecondsPerDay),
            "MS" => (CfFrequencyKind.MonthStart, 1L),
            "M" or "ME" => (CfFrequencyKind.MonthEnd, 1L),
            "YS" or "AS" => (CfFrequencyKind.YearStart, 1L),
            "Y" or "A" or "YE" => (CfFrequencyKind.YearEnd, 1L),
            _ => throw Invalid(text, null),
        };
        return new CfFrequency(kind.Item1, checked(kind.Item2 * n), text);
    }

    /// <summary><paramref name="date"/> moved by <paramref name="n"/> steps (negative moves back).</summary>
    public CfDateTime AddTo(CfDateTime date, int n)
    {
        switch (Kind)
        {
            case CfFrequencyKind.Fixed:
                return date.AddMicroseconds(checked(Amount * n));
            case CfFrequencyKind.Months:
            {
                var (y, mo) = AddMonths(date, Amount * n);
                return Clipped(date, y, mo, date.Day);
            }

            case CfFrequencyKind.MonthStart:
            {
                var (y, mo) = AddMonths(date, Amount * n);
                return date.WithDate(y, mo, 1);
            }

            case CfFrequencyKind.MonthEnd:
            {
                var (y, mo) = AddMonths(date, Amount * n);
                return date.WithDate(y, mo, date.Calendar.DaysInMonth(y, mo));
            }

            case CfFrequencyKind.YearStart:
                return date.WithDate(AddMonths(date, Amount * n * 12).Year, 1, 1);
            case CfFrequencyKind.YearEnd:
                {
                int y = AddMonths(date, Amount * n * 12).Year;
                return date.WithDate(y, 12, date.Calendar.DaysInMonth(y, 12));
            }
            default:
                throw new InvalidOperationException();
        }
    }

    /// <summary>
    /// Dates from <paramref name="start"/> (rolled forward onto the anchor for anchored steps) to
    /// <paramref name="end"/> (rolled back onto the anchor, keeping its time of day, as xarray's
    /// cftime_range does), inclusive of end when it is on the grid. Steps are counted from the
    /// first date, so clipped month days do not drift.
    /// </summary>
    public IEnumerable<CfDateTime> Range(CfDateTime start, CfDateTime end)
    {
        if (start.Calendar != end.Calendar)
        {
            throw new ZarrPartitionException("CalendarMismatch", ErrorKind.InvalidArgument, Text, "Range start and end must be in the same calendar.");
        }

        var first = RollForward(start);
        var last = RollBack(end);
        for (int i = 0; ; i++)
        {
            var d = AddTo(first, i);
            if (d > last)
            {
                yield break;
            }

            yield return d;
        }
    }

    /// <summary>
    /// The last anchor day at or before <paramref name="date"/>, keeping its time of day (as xarray
    /// does with a range's end); the date itself for non-anchored steps.
    /// </summary>
    public CfDateTime RollBack(CfDateTime date)
    {
        switch (Kind)
        {
            case CfFrequencyKind.MonthStart:
                return date.WithDate(date.Year, date.Month, 1);
            case CfFrequencyKind.MonthEnd:
            {
                if (date.Day == date.DaysInMonth)
                {
                    return date;
                }

                var (y, m) = AddMonths(date, -1);
                return date.WithDate(y, m, date.Calendar.DaysInMonth(y, m));
            }

            case CfFrequencyKind.YearStart:
                return date.WithDate(date.Year, 1, 1);
            case CfFrequencyKind.YearEnd:
            {
                int dec = date.Calendar.DaysInMonth(date.Year, 12);
                if (date.Month == 12 && date.Day == dec)
                {
                    return date;
                }

                int y = AddMonths(date, -12).Year;
                return date.WithDate(y, 12, date.Calendar.DaysInMonth(y, 12));
            }

            default:
                return date;
        }
    }

    /// <summary>The first date on the anchor at or after <paramref name="date"/> (the date itself for non-anchored steps).</summary>
    public CfDateTime RollForward(CfDateTime date)
    {
        switch (Kind)
        {
            case CfFrequencyKind.MonthStart:
                return date.Day == 1 ? date : date.WithDate(AddMonths(date, 1).Year, AddMonths(date, 1).Month, 1);
            case CfFrequencyKind.MonthEnd:
                return date.WithDate(date.Year, date.Month, date.DaysInMonth);
            case CfFrequencyKind.YearStart:
                return date.Month == 1 && date.Day == 1 ? date : date.WithDate(AddMonths(date, 12).Year, 1, 1);
            case CfFrequencyKind.YearEnd:
                return date.WithDate(date.Year, 12, date.Calendar.DaysInMonth(date.Year, 12));
            default:
                return date;
        }
    }

    private static (int Year, int Month) AddMonths(CfDateTime date, long months)
    {
        bool noZero = !date.Calendar.HasYearZero();
        long astro = noZero && date.Year < 0 ? date.Year + 1 : date.Year;
        long total = checked((astro * 12) + date.Month - 1 + months);
        long y = CalendarMath.FloorDiv(total, 12);
        int m = (int)(total - (y * 12)) + 1;
        if (noZero && y <= 0)
        {
            y--;
        }

        if (y is < CalendarMath.MinYear or > CalendarMath.MaxYear)
        {
            throw CfDateTime.OutOfRange(date.Calendar);
        }

        return ((int)y, m);
    }

    private static CfDateTime Clipped(CfDateTime date, int year, int month, int day)
    {
        day = Math.Min(day, date.Calendar.DaysInMonth(year, month));
        if (date.Calendar == CfCalendar.Standard && year == 1582 && month == 10 && day is > 4 and < 15)
        {
            day = 15;
        }

        return date.WithDate(year, month, day);
    }

    private static ZarrPartitionException Invalid(string text, string? why) => new(
        "InvalidFrequency",
        ErrorKind.InvalidArgument,
        text,
        $"'{text}' is not a frequency{(why is null ? "." : ": " + why)} Use an ISO 8601 duration (PT1H, PT30M, P1D, P1W, P1M, P1Y) "
        + "or an alias with an optional multiple: us, ms, s, min, h, D, W, MS (month start), M/ME (month end), YS/AS (year start), Y/A/YE (year end), e.g. '6h', '30min', '3MS'.");
}
