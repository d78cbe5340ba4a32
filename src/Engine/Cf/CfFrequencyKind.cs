namespace ZarrPartition.Engine.Cf;

/// <summary>How a <see cref="CfFrequency"/> steps.</summary>
public enum CfFrequencyKind
{
    /// <summary>A fixed number of microseconds.</summary>
    Fixed,

    /// <summary>Calendar months (ISO "P1M", "P1Y" = 12), keeping the day of month, clipped to the month's length.</summary>
    Months,

    /// <summary>First day of the month ("MS").</summary>
    MonthStart,

    /// <summary>Last day of the month ("M", "ME").</summary>
    MonthEnd,

    /// <summary>1 January ("YS", "AS").</summary>
    YearStart,

    /// <summary>31 December (30 in 360_day) ("Y", "A", "YE").</summary>
    YearEnd,
}
