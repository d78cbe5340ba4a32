using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Tests.Cf;

public sealed class CfTimeUnitsTests
{
    [Theory]
    [InlineData("hours since 1900-01-01 00:00:00.0", "standard", 1.5, "1900-01-01 01:30:00")]
    [InlineData("days since 1-1-1", "standard", 1.5, "0001-01-02 12:00:00")]
    [InlineData("seconds since 1970-01-01T00:00:00Z", "proleptic_gregorian", 86400, "1970-01-02 00:00:00")]
    [InlineData("days since 2000-01-01 12:00:00 +03:00", "standard", 1.5, "2000-01-02 21:00:00")]
    [InlineData("days since 2000-01-01 00:00:00 UTC", "standard", 1, "2000-01-02 00:00:00")]
    [InlineData("DAYS  since  2000-1-1", "noleap", 59, "2000-03-01 00:00:00")]
    [InlineData("msecs since 2000-1-1", "julian", 1.5, "2000-01-01 00:00:00.001500")]
    [InlineData("months since 2000-01-01", "360_day", 1, "2000-02-01 00:00:00")]
    [InlineData("common_years since 2000-01-01", "365_day", 1, "2001-01-01 00:00:00")]
    [InlineData("days since -100-01-01", "standard", 1.5, "-0100-01-02 12:00:00")]
    [InlineData("days since 1582-10-15", "standard", -1, "1582-10-04 00:00:00")]
    [InlineData("days since -1-01-01", "standard", 366, "0001-01-01 00:00:00")]
    public void DecodesOddSpellings(string units, string calendar, double value, string expected)
    {
        var u = CfTimeUnits.Parse(units, calendar);
        Assert.Equal(expected, u.Decode(value).ToString());
    }

    [Theory]
    [InlineData("months since 2000-01-01", "standard", "UnsupportedTimeUnit", "360_day")]
    [InlineData("years since 2000-01-01", "noleap", "UnsupportedTimeUnit", "days")]
    [InlineData("weeks since 2000-01-01", "standard", "UnsupportedTimeUnit", "hours")]
    [InlineData("common_years since 2000-01-01", "360_day", "UnsupportedTimeUnit", "noleap")]
    [InlineData("days after 2000-01-01", "standard", "InvalidTimeUnits", "since")]
    [InlineData("days since", "standard", "InvalidTimeUnits", "since")]
    [InlineData("days since 2000", "standard", "InvalidTimeUnits", "1970-01-01")]
    [InlineData("days since 0-01-01", "standard", "InvalidCfDate", "year 0")]
    [InlineData("days since 1582-10-10", "standard", "InvalidCfDate", "1582-10-15")]
    [InlineData("days since 2000-02-29", "noleap", "InvalidCfDate", "leap day")]
    [InlineData("days since 2001-02-30", "julian", "InvalidCfDate", "day 30")]
    [InlineData("days since 2000-01-01 25:00", "standard", "InvalidCfDate", "hour")]
    public void RejectsWithTypedErrors(string units, string calendar, string errorId, string hint)
    {
        var e = Assert.Throws<ZarrPartitionException>(() => CfTimeUnits.Parse(units, calendar));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(hint, e.Message, StringComparison.Ordinal);
        Assert.Equal(units, e.Target);
    }

    [Fact]
    public void UnknownCalendarListsSupportedNames()
    {
        var e = Assert.Throws<ZarrPartitionException>(() => CfCalendars.Parse("none"));
        Assert.Equal("UnknownCalendar", e.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("proleptic_gregorian", e.Message, StringComparison.Ordinal);
        Assert.Equal(CfCalendar.Standard, CfCalendars.Parse("GREGORIAN"));
        Assert.Equal(CfCalendar.Day360, CfCalendars.Parse(" 360_Day "));
    }

    [Fact]
    public void EncodesExactlyWhenOnTheUnitGrid()
    {
        var u = CfTimeUnits.Parse("hours since 2000-01-01", CfCalendar.NoLeap);
        Assert.Equal(new CfEncodedTime(25, 25), u.Encode(new CfDateTime(CfCalendar.NoLeap, 2000, 1, 2, 1)));
        var half = u.Encode(new CfDateTime(CfCalendar.NoLeap, 2000, 1, 1, 0, 30));
        Assert.Null(half.Exact);
        Assert.Equal(0.5, half.Value);
        Assert.Throws<ZarrPartitionException>(() => u.Encode(new CfDateTime(CfCalendar.Standard, 2000, 1, 1)));
    }

    [Fact]
    public void NonFiniteAndHugeValuesAreTypedErrors()
    {
        var u = CfTimeUnits.Parse("days since 2000-01-01", CfCalendar.Standard);
        Assert.Equal("NonFiniteTime", Assert.Throws<ZarrPartitionException>(() => u.Decode(double.NaN)).ErrorId);
        Assert.Equal("TimeOutOfRange", Assert.Throws<ZarrPartitionException>(() => u.Decode(1e300)).ErrorId);
        Assert.Equal("TimeOutOfRange", Assert.Throws<ZarrPartitionException>(() => u.Decode(long.MaxValue)).ErrorId);
    }

    [Theory]
    [InlineData("2000-1-2", "2000-01-02 00:00:00")]
    [InlineData("2000-01-02T03:04:05", "2000-01-02 03:04:05")]
    [InlineData("2000-01-02 03:04:05.5", "2000-01-02 03:04:05.500000")]
    [InlineData("2000-01-02T03:04:05Z", "2000-01-02 03:04:05")]
    [InlineData("2000-01-02 03:04 UTC", "2000-01-02 03:04:00")]
    [InlineData("-1001-02-29", "-1001-02-29 00:00:00")] // historical -1001 = astronomical -1000, a leap year
    public void ParsesDates(string text, string expected)
    {
        Assert.Equal(expected, CfDateTime.Parse(text, CfCalendar.Julian).ToString());
    }

    [Fact]
    public void ValidityDependsOnTheCalendar()
    {
        Assert.True(CfDateTime.IsValid(CfCalendar.Day360, 2001, 2, 30));
        Assert.False(CfDateTime.IsValid(CfCalendar.Standard, 2001, 2, 30));
        Assert.False(CfDateTime.IsValid(CfCalendar.NoLeap, 2000, 2, 29));
        Assert.True(CfDateTime.IsValid(CfCalendar.AllLeap, 2001, 2, 29));
        Assert.True(CfDateTime.IsValid(CfCalendar.Julian, 1900, 2, 29));
        Assert.False(CfDateTime.IsValid(CfCalendar.ProlepticGregorian, 1900, 2, 29));
        Assert.True(CfDateTime.IsValid(CfCalendar.ProlepticGregorian, 0, 2, 29));
        Assert.False(CfDateTime.IsValid(CfCalendar.Julian, 0, 1, 1));
        Assert.False(CfDateTime.IsValid(CfCalendar.Standard, 1582, 10, 10));
        Assert.True(CfDateTime.IsValid(CfCalendar.ProlepticGregorian, 1582, 10, 10));
        Assert.Equal(278, new CfDateTime(CfCalendar.Standard, 1582, 10, 15).DayOfYear);
        Assert.Equal(360, new CfDateTime(CfCalendar.Day360, 2001, 12, 30).DayOfYear);
        Assert.Equal(366, new CfDateTime(CfCalendar.AllLeap, 2001, 12, 31).DayOfYear);
    }

    [Fact]
    public void MicrosecondCountsRoundTripEveryDayOfEveryCalendar()
    {
        foreach (var cal in Enum.GetValues<CfCalendar>())
        {
            var d0 = new CfDateTime(cal, -1001, 1, 1);
            long day0 = d0.DayNumber;
            var prev = d0;
            for (long i = 1; i < 366 * 40; i++)
            {
                var d = CfDateTime.FromMicroseconds(cal, (day0 + (i * 97)) * 86_400_000_000L + 1);
                Assert.Equal(d, CfDateTime.FromMicroseconds(cal, d.ToMicroseconds()));
                Assert.True(d > prev);
                prev = d;
            }
        }
    }
}
