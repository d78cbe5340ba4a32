using System.Diagnostics;
using System.Globalization;
using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Bench;

/// <summary>
/// Our side of bench/template-plan.sh. Prints CSV lines: case,seconds.
/// Usage: plan DIR REPEATS
///  - template: a JSON spec of 1,000,000 hourly steps and 20 float32 variables (time, lat 180, lon 360),
///    time chunks of 100, written as a template (metadata and coordinates only);
///  - plan: a store of 10,000,000 chunks (one variable, 1,000,000 steps × lat 1,000 in chunks of 10 × 10)
///    split along time and lat into 10,000 partitions.
/// </summary>
public static class PlanScenario
{
    public static int Run(string[] args)
    {
        var dir = args[0];
        int repeats = int.Parse(args[1], CultureInfo.InvariantCulture);
        Directory.CreateDirectory(dir);
        var vars = string.Join(",\n", Enumerable.Range(0, 20).Select(i => $"\"v{i:00}\": {{ \"dtype\": \"float32\", \"dims\": [\"time\", \"lat\", \"lon\"], \"attributes\": {{ \"units\": \"K\" }} }}"));
        var spec = Path.Combine(dir, "million.json");
        File.WriteAllText(spec, $$"""
            { "dimensions": {
                "time": { "start": "1900-01-01", "end": "2014-01-29 15:00", "frequency": "1h", "units": "hours since 1900-01-01" },
                "lat": { "start": -89.5, "step": 1, "size": 180 }, "lon": { "start": 0.5, "step": 1, "size": 360 } },
              "variables": { {{vars}} } }
            """);
        var planSpec = Path.Combine(dir, "tenmillion.json");
        File.WriteAllText(planSpec, """
            { "dimensions": {
                "time": { "start": "1900-01-01", "end": "2014-01-29 15:00", "frequency": "1h", "units": "hours since 1900-01-01" },
                "lat": { "start": 0, "step": 0.1, "size": 1000 }, "lon": { "size": 4 } },
              "variables": { "v": { "dtype": "float32", "dims": ["time", "lat", "lon"] } } }
            """);
        var sink = new NullSink();
        var planStore = Path.Combine(dir, "tenmillion.zarr");
        CreateTemplate.Run(new CreateTemplate.Request([planSpec], planStore, Chunks: new Dictionary<string, int> { ["time"] = 10, ["lat"] = 10 }, Force: true), sink);
        double bestTemplate = double.MaxValue, bestPlan = double.MaxValue;
        int partitions = 0;
        long chunks = 0;
        for (int r = 0; r < repeats; r++)
        {
            var store = Path.Combine(dir, "million.zarr");
            var sw = Stopwatch.StartNew();
            var t = CreateTemplate.Run(new CreateTemplate.Request([spec], store, Chunks: new Dictionary<string, int> { ["time"] = 100 }, Force: true), sink);
            bestTemplate = Math.Min(bestTemplate, sw.Elapsed.TotalSeconds);
            if (t.TimeSteps != 1_000_000)
            {
                throw new InvalidOperationException($"template has {t.TimeSteps} steps");
            }

            sw.Restart();
            var plan = PlanPartitions.Run(new PlanPartitions.Request(planStore, Dims: ["time", "lat"], Ranks: 10_000), sink);
            bestPlan = Math.Min(bestPlan, sw.Elapsed.TotalSeconds);
            partitions = plan.Partitions.Count;
            chunks = plan.Partitions.Sum(p => p.Chunks);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours template 1M steps x 20 vars,{bestTemplate:0.000}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ours plan {chunks} chunks into {partitions} partitions,{bestPlan:0.000}"));
        return 0;
    }
}
