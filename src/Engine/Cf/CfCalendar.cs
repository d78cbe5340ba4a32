namespace ZarrPartition.Engine.Cf;

/// <summary>
/// The CF calendars (CF conventions §4.4.1). Names are parsed with <see cref="CfCalendars.Parse"/>.
/// Year numbering follows cftime's defaults for CF 1.9: <see cref="Standard"/> and <see cref="Julian"/>
/// have no year zero (year -1 precedes year 1); every other calendar has a year zero.
/// </summary>
public enum CfCalendar
{
    /// <summary>"standard" / "gregorian": Julian before 1582-10-15, Gregorian from then on; 1582-10-05 … 14 do not exist.</summary>
    Standard,

    /// <summary>"proleptic_gregorian": Gregorian rules for every year, with a year zero.</summary>
    ProlepticGregorian,

    /// <summary>"julian": a leap year every four years, no year zero.</summary>
    Julian,

    /// <summary>"noleap" / "365_day": every year has 365 days.</summary>
    NoLeap,

    /// <summary>"all_leap" / "366_day": every year has 366 days.</summary>
    AllLeap,

    /// <summary>"360_day": twelve months of 30 days.</summary>
    Day360,
}
