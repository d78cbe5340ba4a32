using System.Globalization;
using System.Text.Json;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.Cf;

/// <summary>
/// Decoding and encoding against Debian's python3-cftime (num2date / date2num): thousands of seeded
/// random dates per calendar, several units and reference dates, all in one Python process.
/// </summary>
public sealed class CfTimeUnitsInteropTests
{
    private const string Script = """
        import json, sys, warnings
        import numpy as np
        import cftime
        warnings.simplefilter("ignore")
        cases = json.load(open(sys.argv[1]))
        out = []
        for c in cases:
            cal, units = c["calendar"], c["units"]
            def fields(d):
                return [d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond]
            ints = cftime.num2date(np.array(c["ints"], dtype=np.int64), units, cal) if c["ints"] else []
            floats = cftime.num2date(np.array(c["floats"], dtype=np.float64), units, cal) if c["floats"] else []
            enc = []
            for f in c["dates"]:
                v = cftime.date2num(cftime.datetime(*f, calendar=cal), units, cal)
                isint = isinstance(v, (int, np.integer))
                enc.append([isint, int(v) if isint else float(v)])
            out.append({"ints": [fields(d) for d in ints], "floats": [fields(d) for d in floats], "encoded": enc})
        json.dump(out, open(sys.argv[2], "w"))
        """;

    private static readonly string[] References =
        ["1970-01-01", "1-1-1", "1582-10-15", "1900-01-01 00:00:00.0", "2000-03-01T06:30:00Z", "-500-6-1 12:00:00"];

    private static readonly string[] Units = ["seconds", "hours", "days", "minutes", "milliseconds"];

    public static TheoryData<string> Calendars =>
        new() { "standard", "gregorian", "proleptic_gregorian", "julian", "noleap", "365_day", "all_leap", "366_day", "360_day" };

    [Theory]
    [MemberData(nameof(Calendars))]
    public void DecodeAndEncodeMatchCftime(string calendarName)
    {
        var calendar = CfCalendars.Parse(calendarName);
        var rng = new Random(20240601 + (int)calendar);
        var cases = new List<Case>();
        foreach (var unitName in Units)
        {
            foreach (var refText in References)
            {
                var units = CfTimeUnits.Parse($"{unitName} since {refText}", calendar);
                var dates = new List<CfDateTime>();
                for (int i = 0; i < 120; i++)
                {
                    dates.Add(RandomDate(rng, calendar));
                }

                var ints = new List<long>();
                var floats = new List<double>();
                foreach (var d in dates)
                {
                    var e = units.Encode(d);
                    if (e.Exact is long x)
                    {
                        ints.Add(x);
                    }

                    floats.Add(e.Value);
                    floats.Add(Math.Round(e.Value * 8) / 8 + (rng.NextDouble() - 0.5) * 1e-3);
                }

                cases.Add(new Case(calendarName, units, dates, ints, floats));
            }
        }

        var results = RunCftime(cases);
        int compared = 0;
        for (int c = 0; c < cases.Count; c++)
        {
            var k = cases[c];
            var r = results[c];
            for (int i = 0; i < k.Ints.Count; i++)
            {
                var ours = Fields(k.Units.Decode(k.Ints[i]));
                var theirs = Fields(r.Ints[i]);
                Assert.True(ours == theirs, $"{calendarName} '{k.Units.Text}' decode int {k.Ints[i]}: cftime {theirs}, ours {ours}");
                compared++;
            }

            for (int i = 0; i < k.Floats.Count; i++)
            {
                var ours = Fields(k.Units.Decode(k.Floats[i]));
                var theirs = Fields(r.Floats[i]);
                Assert.True(ours == theirs, $"{calendarName} '{k.Units.Text}' decode {k.Floats[i].ToString("R", CultureInfo.InvariantCulture)}: cftime {theirs}, ours {ours}");
                compared++;
            }

            for (int i = 0; i < k.Dates.Count; i++)
            {
                var ours = k.Units.Encode(k.Dates[i]);
                var (isInt, value) = r.Encoded[i];
                if (isInt)
                {
                    Assert.True(ours.Exact == (long)value, $"{calendarName} '{k.Units.Text}' encode {k.Dates[i]}: cftime {value}, ours {ours}");
                }
                else
                {
                    Assert.True(ours.Exact is null, $"{calendarName} '{k.Units.Text}' encode {k.Dates[i]}: cftime float {value}, ours exact {ours.Exact}");
                    Assert.True(Math.Abs(ours.Value - value) <= 1e-6 * Math.Max(1, Math.Abs(value)), $"{calendarName} '{k.Units.Text}' encode {k.Dates[i]}: cftime {value:R}, ours {ours.Value:R}");
                }

                compared++;
            }
        }

        Assert.True(compared > 5000, $"only {compared} comparisons");
    }

    internal static CfDateTime RandomDate(Random rng, CfCalendar calendar)
    {
        while (true)
        {
            int year = rng.Next(-1000, 3001);
            int month = rng.Next(1, 13);
            int dim = calendar.DaysInMonth(year, month);
            int day = rng.Next(4) switch { 0 => 1, 1 => dim, _ => rng.Next(1, dim + 1) };
            int micro = rng.Next(3) switch { 0 => 0, 1 => rng.Next(1000) * 1000, _ => rng.Next(1_000_000) };
            int hour = rng.Next(24), minute = rng.Next(60), second = rng.Next(60);
            if (rng.Next(4) == 0)
            {
                hour = minute = second = micro = 0;
            }

            if (CfDateTime.IsValid(calendar, year, month, day, hour, minute, second, micro))
            {
                return new CfDateTime(calendar, year, month, day, hour, minute, second, micro);
            }
        }
    }

    internal static string Fields(CfDateTime d) => d.ToString(includeMicroseconds: true);

    private static string Fields(int[] f)
    {
        var year = f[0] < 0 ? "-" + (-f[0]).ToString("D4", CultureInfo.InvariantCulture) : f[0].ToString("D4", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{year}-{f[1]:D2}-{f[2]:D2} {f[3]:D2}:{f[4]:D2}:{f[5]:D2}.{f[6]:D6}");
    }

    private static List<Result> RunCftime(List<Case> cases)
    {
        var input = Path.Combine(Path.GetTempPath(), $"zp-cf-{Guid.NewGuid():N}.json");
        var output = input + ".out.json";
        try
        {
            var payload = cases.Select(c => new
            {
                calendar = c.Calendar,
                units = c.Units.Text,
                ints = c.Ints,
                floats = c.Floats,
                dates = c.Dates.Select(d => new[] { d.Year, d.Month, d.Day, d.Hour, d.Minute, d.Second, d.Microsecond }),
            });
            File.WriteAllText(input, JsonSerializer.Serialize(payload));
            ReferenceTools.RunPython(Script, input, output);
            using var doc = JsonDocument.Parse(File.ReadAllText(output));
            return doc.RootElement.EnumerateArray().Select(e => new Result(
                e.GetProperty("ints").EnumerateArray().Select(ToFields).ToList(),
                e.GetProperty("floats").EnumerateArray().Select(ToFields).ToList(),
                e.GetProperty("encoded").EnumerateArray().Select(x => (x[0].GetBoolean(), x[1].GetDouble())).ToList())).ToList();
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    private static int[] ToFields(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    private sealed record Case(string Calendar, CfTimeUnits Units, List<CfDateTime> Dates, List<long> Ints, List<double> Floats);

    private sealed record Result(List<int[]> Ints, List<int[]> Floats, List<(bool IsInt, double Value)> Encoded);
}
