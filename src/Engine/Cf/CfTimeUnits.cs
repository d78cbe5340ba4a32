using System.Globalization;
using System.Text.RegularExpressions;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Cf;

/// <summary>
/// CF time units, "&lt;unit&gt; since &lt;reference date&gt;", bound to a calendar: decodes numbers to
/// <see cref="CfDateTime"/> and encodes back, with cftime's rules:
/// units microseconds, milliseconds, seconds, minutes, hours, days and their abbreviations
/// (microsec(s); millisec(s), msec(s), ms; sec(s), s; min(s); hr(s), h; day, d); "months" only in
/// 360_day and "common_years" only in noleap; years, weeks and "us" are rejected. A time zone on the
/// reference date is applied (the reference is held in UTC). Floating-point values are decoded as cftime
/// does: value × (microseconds per unit) in extended precision, rounded to the nearest microsecond,
/// ties to even (see <see cref="MultiplyExtended"/>); for units of a second or longer, a
/// result one microsecond off a whole second is snapped onto it, as cftime does.
/// </summary>
public sealed class CfTimeUnits
{
    private static readonly Regex UnitsPattern = new(
        @"^\s*(?<unit>[A-Za-z_]+)\s+since\s+(?<ref>\S.*?)\s*$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.ExplicitCapture);

    private CfTimeUnits(string text, CfTimeUnit unit, CfDateTime reference)
    {
        Text = text;
        Unit = unit;
        ReferenceDate = reference;
    }

    /// <summary>The units attribute as given.</summary>
    public string Text { get; }

    public CfTimeUnit Unit { get; }

    /// <summary>The reference date in UTC (a zone offset in the attribute has been applied).</summary>
    public CfDateTime ReferenceDate { get; }

    public CfCalendar Calendar => ReferenceDate.Calendar;

    public long MicrosecondsPerUnit => MicrosecondsPer(Unit);

    public static long MicrosecondsPer(CfTimeUnit unit) => unit switch
    {
        CfTimeUnit.Microseconds => 1L,
        CfTimeUnit.Milliseconds => 1_000L,
        CfTimeUnit.Seconds => 1_000_000L,
        CfTimeUnit.Minutes => 60_000_000L,
        CfTimeUnit.Hours => 3_600_000_000L,
        CfTimeUnit.Days => CalendarMath.MicrosecondsPerDay,
        CfTimeUnit.Months => 30 * CalendarMath.MicrosecondsPerDay,
        CfTimeUnit.CommonYears => 365 * CalendarMath.MicrosecondsPerDay,
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };

    /// <summary>Parses a units attribute for a calendar.</summary>
    /// <exception cref="ZarrPartitionException">
    /// InvalidTimeUnits (no "since" or no reference date), UnsupportedTimeUnit (a unit cftime does not
    /// decode in this calendar), InvalidCfDate (a reference date that does not exist in the calendar).
    /// </exception>
    public static CfTimeUnits Parse(string units, CfCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(units);
        var m = UnitsPattern.Match(units);
        if (!m.Success)
        {
            throw new ZarrPartitionException(
                "InvalidTimeUnits",
                ErrorKind.InvalidArgument,
                units,
                $"Time units '{units}' are not of the form '<unit> since <date>', e.g. 'days since 1970-01-01' or 'hours since 1900-01-01 00:00:00'.");
        }

        var unit = ParseUnit(m.Groups["unit"].Value, calendar, units);
        var refText = m.Groups["ref"].Value;
        if (!CfDateTime.TryParseFields(refText, out var f, out string? why))
        {
            throw new ZarrPartitionException(
                "InvalidTimeUnits",
                ErrorKind.InvalidArgument,
                units,
                $"Time units '{units}': the reference date '{refText}' is not a date: {why} Use e.g. '1970-01-01', '1900-01-01 00:00:00' or '1970-01-01T00:00:00Z'.");
        }

        if (calendar == CfCalendar.NoLeap && f.Month == 2 && f.Day == 29)
        {
            throw new ZarrPartitionException(
                "InvalidCfDate",
                ErrorKind.InvalidArgument,
                units,
                $"Time units '{units}': a leap day cannot be the reference date in the noleap calendar.");
        }

        CfDateTime reference;
        try
        {
            reference = CfDateTime.Parse(refText, calendar);
        }
        catch (ZarrPartitionException e) when (e.ErrorId == "InvalidCfDate")
        {
            throw new ZarrPartitionException(
                "InvalidCfDate",
                ErrorKind.InvalidArgument,
                units,
                $"Time units '{units}' in the {calendar.ToCfName()} calendar: {e.Message}",
                e);
        }

        return new CfTimeUnits(units, unit, reference);
    }

    /// <summary>Parses the units and the calendar attribute (null or blank calendar = standard).</summary>
    public static CfTimeUnits Parse(string units, string? calendar) => Parse(units, CfCalendars.Parse(calendar));

    /// <summary>The date <paramref name="value"/> units after the reference, rounded to the microsecond.</summary>
    /// <exception cref="ZarrPartitionException">NonFiniteTime for NaN or infinity; TimeOutOfRange when the date is too far away.</exception>
    public CfDateTime Decode(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ZarrPartitionException(
                "NonFiniteTime",
                ErrorKind.InvalidData,
                Text,
                $"Cannot decode the time value {value.ToString(CultureInfo.InvariantCulture)} ({Text}); mask fill values before decoding.");
        }

        if (Math.Abs(value) >= 9.2e18 / MicrosecondsPerUnit)
        {
            throw CfDateTime.OutOfRange(Calendar);
        }

        var (nearest, floor, ceiling) = MultiplyExtended(value, MicrosecondsPerUnit);
        long micro = nearest;
        if (Unit is not (CfTimeUnit.Microseconds or CfTimeUnit.Milliseconds))
        {
            // cftime snaps a result one microsecond off a whole second back onto it.
            long rest = nearest - (CalendarMath.FloorDiv(nearest, 1_000_000) * 1_000_000);
            micro = rest == 1 ? floor : rest == 999_999 ? ceiling : nearest;
        }
        return ReferenceDate.AddMicroseconds(micro);
    }

    /// <summary>The date <paramref name="value"/> whole units after the reference (exact integer arithmetic).</summary>
    public CfDateTime Decode(long value)
    {
        long micro;
        try
        {
            micro = checked(value * MicrosecondsPerUnit);
        }
        catch (OverflowException)
        {
            throw CfDateTime.OutOfRange(Calendar);
        }

        return ReferenceDate.AddMicroseconds(micro);
    }

    /// <summary>Encodes a date of the same calendar: exact when it is a whole number of units from the reference.</summary>
    public CfEncodedTime Encode(CfDateTime date)
    {
        if (date.Calendar != Calendar)
        {
            throw new ZarrPartitionException(
                "CalendarMismatch",
                ErrorKind.InvalidArgument,
                Text,
                $"Cannot encode a {date.Calendar.ToCfName()} date with {Calendar.ToCfName()} time units; convert the date to the {Calendar.ToCfName()} calendar first.");
        }

        long diff = date.ToMicroseconds() - ReferenceDate.ToMicroseconds();
        long per = MicrosecondsPerUnit;
        if (diff % per == 0)
        {
            long exact = diff / per;
            return new CfEncodedTime(exact, exact);
        }

        return new CfEncodedTime(null, (double)diff / per);
    }

    /// <summary>"&lt;unit&gt; since YYYY-MM-DD HH:MM:SS" with the canonical unit name and the UTC reference.</summary>
    public override string ToString() => $"{UnitName(Unit)} since {ReferenceDate}";

    public static string UnitName(CfTimeUnit unit) => unit switch
    {
        CfTimeUnit.Microseconds => "microseconds",
        CfTimeUnit.Milliseconds => "milliseconds",
        CfTimeUnit.Seconds => "seconds",
        CfTimeUnit.Minutes => "minutes",
        CfTimeUnit.Hours => "hours",
        CfTimeUnit.Days => "days",
        CfTimeUnit.Months => "months",
        CfTimeUnit.CommonYears => "common_years",
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };

    /// <summary>
    /// value × factor as cftime computes it: the product in x87 extended precision (numpy longdouble,
    /// a 64-bit significand, rounded to nearest even), then its nearest integer (ties to even), floor
    /// and ceiling. Emulated exactly with 128-bit integers. |value × factor| must be below 2^63.
    /// </summary>
    internal static (long Nearest, long Floor, long Ceiling) MultiplyExtended(double value, long factor)
    {
        if (value == 0)
        {
            return (0, 0, 0);
        }

        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)((bits >> 52) & 0x7FF);
        ulong mantissa = (ulong)bits & ((1UL << 52) - 1);
        if (biased == 0)
        {
            biased = 1;
        }
        else
        {
            mantissa |= 1UL << 52;
        }

        int exponent = biased - 1075;                        // |value| = mantissa × 2^exponent
        UInt128 product = (UInt128)mantissa * (ulong)factor; // exact, below 2^100
        int length = 128 - (int)UInt128.LeadingZeroCount(product);
        if (length > 64)
        {
            int shift = length - 64;
            product = ShiftRightRoundEven(product, shift);
            exponent += shift;
        }

        UInt128 nearest, truncated;
        bool inexact;
        if (exponent >= 0)
        {
            nearest = truncated = product << exponent;
            inexact = false;
        }
        else if (exponent <= -100)
        {
            nearest = truncated = 0;
            inexact = true;
        }
        else
        {
            nearest = ShiftRightRoundEven(product, -exponent);
            truncated = product >> -exponent;
            inexact = (truncated << -exponent) != product;
        }

        long n = (long)(ulong)nearest;
        long t = (long)(ulong)truncated;
        long up = inexact ? t + 1 : t;
        return value < 0 ? (-n, -up, -t) : (n, t, up);
    }

    private static UInt128 ShiftRightRoundEven(UInt128 value, int shift)
    {
        UInt128 quotient = value >> shift;
        UInt128 remainder = value - (quotient << shift);
        UInt128 half = UInt128.One << (shift - 1);
        if (remainder > half || (remainder == half && (quotient & UInt128.One) == UInt128.One))
        {
            quotient++;
        }

        return quotient;
    }

    private static CfTimeUnit ParseUnit(string name, CfCalendar calendar, string units)
    {
        switch (name.ToLowerInvariant())
        {
            case "microseconds" or "microsecond" or "microsec" or "microsecs":
                return CfTimeUnit.Microseconds;
            case "milliseconds" or "millisecond" or "millisec" or "millisecs" or "msec" or "msecs" or "ms":
                return CfTimeUnit.Milliseconds;
            case "seconds" or "second" or "sec" or "secs" or "s":
                return CfTimeUnit.Seconds;
            case "minutes" or "minute" or "min" or "mins":
                return CfTimeUnit.Minutes;
            case "hours" or "hour" or "hr" or "hrs" or "h":
                return CfTimeUnit.Hours;
            case "days" or "day" or "d":
                return CfTimeUnit.Days;
            case "months" or "month":
                if (calendar == CfCalendar.Day360)
                {
                    return CfTimeUnit.Months;
                }

                throw Unsupported(units, name,
                    $"'{name}' has no fixed length in the {calendar.ToCfName()} calendar (only in 360_day, where it means 30 days). Encode the times in days (e.g. 'days since …'), or set calendar='360_day' if the data uses it.");
            case "common_years" or "common_year":
                if (calendar == CfCalendar.NoLeap)
                {
                    return CfTimeUnit.CommonYears;
                }

                throw Unsupported(units, name,
                    $"'{name}' (365 days) is only allowed in the noleap/365_day calendar, not in {calendar.ToCfName()}. Encode the times in days instead.");
            case "years" or "year" or "yr" or "yrs" or "a":
                throw Unsupported(units, name,
                    $"'{name}' has no fixed length in CF time (udunits defines a year as 365.242198781 days); cftime and xarray refuse to decode it. Encode the times in days instead (or 'common_years' in the noleap calendar).");
            default:
                throw Unsupported(units, name,
                    $"unit '{name}' is not supported. Use microseconds, milliseconds, seconds, minutes, hours or days (or msec, ms, secs, sec, s, mins, min, hrs, hr, h, day, d); 'months' only with 360_day, 'common_years' only with noleap.");
        }
    }

    private static ZarrPartitionException Unsupported(string units, string unit, string why) =>
        new("UnsupportedTimeUnit", ErrorKind.NotSupported, units, $"Time units '{units}': {why}");
}
