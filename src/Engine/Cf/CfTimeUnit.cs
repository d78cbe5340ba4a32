namespace ZarrPartition.Engine.Cf;

/// <summary>The unit of a CF time coordinate ("&lt;unit&gt; since &lt;date&gt;"), as cftime accepts it.</summary>
public enum CfTimeUnit
{
    Microseconds,
    Milliseconds,
    Seconds,
    Minutes,
    Hours,
    Days,

    /// <summary>30 days; only in the 360_day calendar, where a month has a fixed length.</summary>
    Months,

    /// <summary>365 days; only in the noleap calendar, where a year has a fixed length.</summary>
    CommonYears,
}
