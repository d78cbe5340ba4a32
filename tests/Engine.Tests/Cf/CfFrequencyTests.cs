using System.Text.Json;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.Cf;

public sealed class CfFrequencyTests
{
    private const string Script = """
        import json, sys, warnings
        import xarray
        warnings.simplefilter("ignore")
        out = []
        for c in json.load(open(sys.argv[1])):
            r = xarray.cftime_range(c["start"], c["end"], freq=c["freq"], calendar=c["calendar"])
            out.append([d.strftime("%Y-%m-%d %H:%M:%S") if d.year >= 0 else str(d) for d in r])
        json.dump(out, open(sys.argv[2], "w"))
        """;

    [Fact]
    public void RangesMatchXarrayCftimeRange()
    {
        string[] calendars = ["standard", "proleptic_gregorian", "julian", "noleap", "all_leap", "360_day"];
        (string Ours, string Theirs)[] freqs =
            [("MS", "MS"), ("2MS", "2MS"), ("M", "M"), ("ME", "M"), ("YS", "AS"), ("AS", "AS"), ("Y", "A"), ("1D", "D"), ("7D", "7D"),
             ("P1D", "D"), ("PT6H", "6H"), ("3H", "3H"), ("30min", "30T"), ("P1W", "7D"), ("W", "7D")];
        (string Start, string End)[] spans =
            [("1999-11-15 06:00:00", "2004-03-01 00:00:00"), ("1582-09-20 00:00:00", "1583-02-01 00:00:00"), ("0100-01-01 00:00:00", "0100-03-30 00:00:00")];
        var cases = new List<(string Cal, string Ours, string Theirs, string Start, string End)>();
        foreach (var cal in calendars)
        {
            foreach (var (ours, theirs) in freqs)
            {
                foreach (var (start, end) in spans)
                {
                    if ((ours.Contains('H') || ours.Contains("min") || ours == "7D" || ours.Contains('W')) && !start.StartsWith("0100", StringComparison.Ordinal))
                    {
                        continue; // keep the sub-daily ranges short
                    }

                    cases.Add((cal, ours, theirs, start, end));
                }
            }
        }

        var input = Path.Combine(Path.GetTempPath(), $"zp-cffreq-{Guid.NewGuid():N}.json");
        var output = input + ".out.json";
        try
        {
            File.WriteAllText(input, JsonSerializer.Serialize(cases.Select(c => new { calendar = c.Cal, freq = c.Theirs, start = c.Start, end = c.End })));
            ReferenceTools.RunPython(Script, input, output);
            var results = JsonSerializer.Deserialize<List<List<string>>>(File.ReadAllText(output))!;
            for (int i = 0; i < cases.Count; i++)
            {
                var c = cases[i];
                var calendar = CfCalendars.Parse(c.Cal);
                var ours = CfFrequency.Parse(c.Ours)
                    .Range(CfDateTime.Parse(c.Start, calendar), CfDateTime.Parse(c.End, calendar))
                    .Select(d => d.ToString(includeMicroseconds: false)).ToList();
                Assert.True(ours.Count > 0 || results[i].Count == 0);
                Assert.True(results[i].SequenceEqual(ours), $"{c.Cal} {c.Ours} {c.Start}..{c.End}: xarray [{string.Join(", ", results[i].Take(6))}…] ours [{string.Join(", ", ours.Take(6))}…]");
            }
        }
        finally
        {
            File.Delete(input);
            File.Delete(output);
        }
    }

    [Theory]
    [InlineData("noleap", "2001-01-31", "2001-02-28")]
    [InlineData("360_day", "2001-01-30", "2001-02-30")]
    [InlineData("standard", "2000-01-31", "2000-02-29")]
    [InlineData("julian", "1900-01-31", "1900-02-29")]
    [InlineData("standard", "1582-09-10", "1582-10-15")]
    [InlineData("standard", "-1-12-31", "1-01-31")]
    public void MonthStepsClipTheDay(string calendar, string start, string expected)
    {
        var cal = CfCalendars.Parse(calendar);
        var d = CfFrequency.Parse("P1M").AddTo(CfDateTime.Parse(start, cal), 1);
        Assert.Equal(CfDateTime.Parse(expected, cal), d);
    }

    [Fact]
    public void MonthRangesCountFromTheStartSoDaysDoNotDrift()
    {
        var cal = CfCalendar.NoLeap;
        var r = CfFrequency.Parse("P1M").Range(CfDateTime.Parse("2001-01-31", cal), CfDateTime.Parse("2001-04-30", cal)).Select(d => d.Day).ToArray();
        Assert.Equal([31, 28, 31, 30], r);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1M1D")]
    [InlineData("0D")]
    [InlineData("5Q")]
    [InlineData("fortnight")]
    public void InvalidFrequenciesAreTypedErrors(string text)
    {
        var e = Assert.Throws<ZarrPartitionException>(() => CfFrequency.Parse(text));
        Assert.Equal("InvalidFrequency", e.ErrorId);
        Assert.Contains("PT1H", e.Message, StringComparison.Ordinal);
    }
}
