using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Tests.Cli;
using ZarrPartition.Engine.Tests.Interop;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Operations;

/// <summary>
/// Plans over real templates: every chunk of every data variable owned exactly once, on chunk boundaries,
/// coordinates in no partition; xpartition's regions; files placed on the time axis (misaligned lengths,
/// gaps, off-grid, overlapping and outside files, any order); the JSON contract; memory sizing.
/// </summary>
public class PlanPartitionsTests
{
    /// <summary>Hourly NetCDF files: argv[2] is a JSON list of [name, first hour, steps].</summary>
    private const string MakeFiles = """
        import sys, json, netCDF4, numpy as np
        out, files = sys.argv[1], json.loads(sys.argv[2])
        for name, first, steps in files:
            ds = netCDF4.Dataset(f"{out}/{name}", "w", format="NETCDF4")
            ds.createDimension("time", None); ds.createDimension("lat", 6); ds.createDimension("lon", 8)
            t = ds.createVariable("time", "f8", ("time",)); t.units = "hours since 2000-01-01"; t.calendar = "standard"
            t[:] = first + np.arange(steps, dtype="f8")
            ds.createVariable("lat", "f4", ("lat",))[:] = np.arange(6)
            ds.createVariable("lon", "f4", ("lon",))[:] = np.arange(8)
            v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), chunksizes=(max(1, steps), 6, 8))
            v[:] = np.ones((steps, 6, 8), "f4")
            ds.close()
        """;

    private static string Spec(string dir, string name, int timeSteps, string variables)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, $$"""
            { "dimensions": {
                "time": { "start": "2000-01-01", "end": "{{new DateTime(2000, 1, 1).AddHours(timeSteps - 1):yyyy-MM-dd HH:mm}}", "frequency": "1h", "units": "hours since 2000-01-01" },
                "lat": { "start": 0, "step": 1, "size": 20 }, "lon": { "start": 0, "step": 1, "size": 30 }, "level": { "size": 4 } },
              "variables": { {{variables}} } }
            """);
        return path;
    }

    /// <summary>Checks that the plan owns every chunk of every data variable exactly once, on chunk boundaries.</summary>
    internal static void AssertOwnsEveryChunkOnce(PartitionPlan plan)
    {
        var h = ZarrHierarchy.Open(new FileSystemStore(plan.Store));
        var record = TemplateRecord.Read(new FileSystemStore(plan.Store));
        var coordinates = record?.Coordinates ?? [];
        foreach (var p in plan.Partitions)
        {
            Assert.Equal(plan.Partitions.Count, p.Count);
            Assert.DoesNotContain(p.Variables, coordinates.Contains);
        }

        foreach (var (name, meta) in h.Arrays.Where(kv => !coordinates.Contains(kv.Key)))
        {
            var owners = new Dictionary<string, int>(StringComparer.Ordinal);
            var dims = meta.DimensionNames!.Select(d => d!).ToArray();
            foreach (var p in plan.Partitions.Where(p => p.Variables.Contains(name)))
            {
                var lo = new long[dims.Length];
                var hi = new long[dims.Length];
                for (int d = 0; d < dims.Length; d++)
                {
                    Assert.True(p.Region.TryGetValue(dims[d], out var r), $"partition {p.Index} lacks dimension {dims[d]} of {name}");
                    Assert.True(r[0] % meta.ChunkShape[d] == 0, $"partition {p.Index}: {dims[d]} starts at {r[0]}, not on a chunk boundary of {name}");
                    Assert.True(r[1] % meta.ChunkShape[d] == 0 || r[1] == meta.Shape[d], $"partition {p.Index}: {dims[d]} stops at {r[1]}, not on a chunk boundary of {name}");
                    Assert.True(r[1] <= meta.Shape[d] && r[0] < r[1] || meta.Shape[d] == 0, $"partition {p.Index}: {dims[d]} range [{r[0]},{r[1]}) outside {name}");
                    lo[d] = r[0] / meta.ChunkShape[d];
                    hi[d] = (r[1] + meta.ChunkShape[d] - 1) / meta.ChunkShape[d];
                }

                foreach (var c in ChunkGrid.Enumerate(lo, hi))
                {
                    var key = string.Join(".", c);
                    Assert.False(owners.ContainsKey(key), $"chunk {key} of {name} is owned by partitions {(owners.TryGetValue(key, out var o) ? o : -1)} and {p.Index}");
                    owners[key] = p.Index;
                }
            }

            Assert.Equal(meta.Grid.ChunkCount, owners.Count);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(500)]
    public void BalancedPlansOwnEveryChunkOnceWithMixedChunkingAndStaticVariables(int ranks)
    {
        using var dir = new TempDir();
        var spec = Spec(dir.Path, "spec.json", 100, """
            "t2m": { "dtype": "float32", "dims": ["time", "lat", "lon"] },
            "u": { "dtype": "float64", "dims": ["time", "level", "lat", "lon"] },
            "orog": { "dtype": "float32", "dims": ["lat", "lon"] },
            "mask": { "dtype": "uint8", "dims": ["lon"] }
            """);
        var store = dir.Sub("s.zarr");
        CreateTemplate.Run(new CreateTemplate.Request([spec], store, Chunks: new Dictionary<string, int> { ["time"] = 7, ["lat"] = 6, ["lon"] = 30, ["level"] = 1 }), new RecordingSink());

        var sink = new RecordingSink();
        var plan = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: ranks), sink);
        AssertOwnsEveryChunkOnce(plan);
        Assert.Equal(["time"], plan.Dims);
        Assert.Single(plan.Partitions, p => p.Variables.Contains("orog"));
        Assert.Single(plan.Partitions, p => p.Variables.Contains("mask"));
        Assert.DoesNotContain(plan.Partitions, p => p.Variables.Contains("time") || p.Variables.Contains("lat"));

        // 15 time chunks: no rank idle while there are at least as many chunks as ranks
        Assert.Equal(Math.Min(ranks, 15), plan.Partitions.Count);
        var timeChunks = plan.Partitions.Where(p => p.Variables.Contains("t2m")).Select(p => (p.Region["time"][1] - p.Region["time"][0] + 6) / 7).ToList();
        Assert.True(timeChunks.Max() - timeChunks.Min() <= 1, string.Join(",", timeChunks));
        if (ranks > 15)
        {
            Assert.Contains(sink.Warnings, w => w.Contains($"{ranks - 15} rank(s) will have nothing to do", StringComparison.Ordinal));
        }

        // along time and lat: more partitions, still exact
        var two = PlanPartitions.Run(new PlanPartitions.Request(store, Dims: ["time", "lat"], Ranks: ranks), new RecordingSink());
        AssertOwnsEveryChunkOnce(two);
        // t2m and u split 15 × 4 chunk rows; orog (lat, lon) is chunked along lat alone and planned apart (4 rows)
        Assert.Equal(ranks == 1 ? 2 : Math.Min(ranks, 15 * 4 + 4), two.Partitions.Count);
        Assert.Contains(two.Warnings, w => w.Contains("chunked", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(10, 4, new long[] { 3, 3, 3, 1 }, 0)]
    [InlineData(10, 6, new long[] { 2, 2, 2, 2, 2 }, 1)]
    [InlineData(16, 7, new long[] { 3, 3, 3, 3, 3, 1 }, 1)]
    [InlineData(3, 11, new long[] { 1, 1, 1 }, 8)]
    public void TheXPartitionStrategyReproducesXPartitionsRegions(int chunks, int ranks, long[] expected, int idle)
    {
        using var dir = new TempDir();
        var spec = Spec(dir.Path, "spec.json", chunks * 5, """ "t2m": { "dtype": "float32", "dims": ["time", "lat", "lon"] } """);
        var store = dir.Sub("s.zarr");
        CreateTemplate.Run(new CreateTemplate.Request([spec], store, Chunks: new Dictionary<string, int> { ["time"] = 5 }), new RecordingSink());
        var sink = new RecordingSink();
        var plan = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: ranks, Strategy: "xpartition"), sink);
        AssertOwnsEveryChunkOnce(plan);
        Assert.Equal(expected, plan.Partitions.Select(p => (p.Region["time"][1] - p.Region["time"][0]) / 5).ToArray());
        if (idle > 0)
        {
            Assert.Contains(sink.Warnings, w => w.Contains($"leaves {idle} of {ranks} rank(s) idle", StringComparison.Ordinal));
        }

        var balanced = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: ranks), new RecordingSink());
        Assert.Equal(Math.Min(ranks, chunks), balanced.Partitions.Count);
        Assert.True(balanced.Partitions.Max(p => p.Chunks) <= plan.Partitions.Max(p => p.Chunks));
    }

    [Fact]
    public void SourcesArePlacedOnTheAxisAndEachPartitionListsTheFilesItReads()
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        // four 24-hour files and a missing day (a gap) before the last one
        ReferenceTools.RunPython(MakeFiles, src, """[["d0.nc", 0, 24], ["d1.nc", 24, 24], ["d2.nc", 48, 24], ["d4.nc", 96, 24]]""");
        var files = Directory.GetFiles(src, "*.nc").OrderByDescending(f => f, StringComparer.Ordinal).ToArray();
        var store = dir.Sub("s.zarr");
        CreateTemplate.Run(new CreateTemplate.Request(files, store, Start: "2000-01-01", End: "2000-01-05 23:00", Frequency: "1h", Chunks: new Dictionary<string, int> { ["time"] = 10 }), new RecordingSink());

        var sink = new RecordingSink();
        var plan = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: 4, Sources: files), sink);
        AssertOwnsEveryChunkOnce(plan);
        Assert.Contains(plan.Warnings, w => w.StartsWith("Gap: 24 of 120", StringComparison.Ordinal) && w.Contains("2000-01-04 00:00:00", StringComparison.Ordinal));
        Assert.Contains(plan.Warnings, w => w.Contains("straddle chunk boundaries", StringComparison.Ordinal));

        // every partition reads exactly the files (and slabs) that meet its time range; the slabs cover the file steps in the range
        foreach (var p in plan.Partitions)
        {
            long lo = p.Region["time"][0], hi = p.Region["time"][1];
            var expected = new List<(string, long, long)>();
            foreach (var (name, first) in new[] { ("d0.nc", 0L), ("d1.nc", 24L), ("d2.nc", 48L), ("d4.nc", 96L) })
            {
                long s = Math.Max(lo, first), e = Math.Min(hi, first + 24);
                if (s < e)
                {
                    expected.Add((name, s - first, e - first));
                }
            }

            Assert.Equal(expected, p.Sources.Select(s => (Path.GetFileName(s.Path), s.Slab["time"][0], s.Slab["time"][1])).ToList());
        }

        // the same files in another order give the same plan
        var again = PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: 4, Sources: files.Order(StringComparer.Ordinal).ToArray()), new RecordingSink());
        Assert.Equal(plan.ToJsonText(), again.ToJsonText());
    }

    [Theory]
    [InlineData("""[["off.nc", 24.5, 24]]""", "SourceOffGrid", "off.nc")]
    [InlineData("""[["late.nc", 110, 24]]""", "SourceOutsideAxis", "late.nc")]
    [InlineData("""[["a.nc", 0, 24], ["b.nc", 12, 24]]""", "OverlappingSources", ".nc")]
    public void FilesOffTheGridOutsideTheAxisOrOverlappingAreErrorsNamingThem(string filesJson, string errorId, string named)
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(MakeFiles, src, filesJson);
        ReferenceTools.RunPython(MakeFiles, dir.Path, """[["model.nc", 0, 24]]""");
        var store = dir.Sub("s.zarr");
        CreateTemplate.Run(new CreateTemplate.Request([dir.Sub("model.nc")], store, Start: "2000-01-01", End: "2000-01-05 23:00", Frequency: "1h"), new RecordingSink());
        var e = Assert.Throws<ZarrPartitionException>(() => PlanPartitions.Run(new PlanPartitions.Request(store, Ranks: 2, Sources: Directory.GetFiles(src)), new RecordingSink()));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePlanFileIsAStableJsonContractWrittenByTheCli()
    {
        using var dir = new TempDir();
        var spec = Spec(dir.Path, "spec.json", 48, """ "t2m": { "dtype": "float32", "dims": ["time", "lat", "lon"] } """);
        var store = dir.Sub("s.zarr");
        var (code, _, stderr) = CliRunner.Run(["template", spec, "--store", store, "--chunks", "time=12"]);
        Assert.True(code == 0, stderr);
        var planFile = dir.Sub("plan.json");
        (code, var stdout, stderr) = CliRunner.Run(["plan", "--store", store, "--ranks", "3", "--output", planFile]);
        Assert.True(code == 0, stderr);
        Assert.Contains("Planned 3 partition(s)", stdout, StringComparison.Ordinal);

        var doc = JsonNode.Parse(File.ReadAllText(planFile))!;
        Assert.Equal(Path.GetFullPath(store), doc["store"]!.GetValue<string>());
        var parts = doc["partitions"]!.AsArray();
        Assert.Equal(3, parts.Count);
        long at = 0;
        foreach (var p in parts)
        {
            Assert.Equal(3, p!["count"]!.GetValue<int>());
            var time = p["region"]!["time"]!.AsArray().Select(x => x!.GetValue<long>()).ToArray();
            Assert.Equal(at, time[0]);
            at = time[1];
            Assert.Equal([0L, 20L], p["region"]!["lat"]!.AsArray().Select(x => x!.GetValue<long>()).ToArray());
            Assert.Equal(["t2m"], p["variables"]!.AsArray().Select(x => x!.GetValue<string>()).ToArray());
            Assert.True(p["estimatedBytes"]!.GetValue<long>() > 0 && p["chunks"]!.GetValue<long>() > 0);
        }

        Assert.Equal(48, at);
        Assert.NotNull(doc["warnings"]);
        var plan = PartitionPlan.Load(planFile);
        Assert.Equal(File.ReadAllText(planFile).Trim(), plan.ToJsonText());

        // errors: no ranks or memory; an unknown dimension; a damaged plan file
        (code, _, stderr) = CliRunner.Run(["plan", "--store", store]);
        Assert.Equal(2, code);
        Assert.Contains("RanksOrMemory", stderr, StringComparison.Ordinal);
        (code, _, stderr) = CliRunner.Run(["plan", "--store", store, "--ranks", "2", "--dims", "depth"]);
        Assert.Equal(2, code);
        Assert.Contains("'depth' is not a dimension", stderr, StringComparison.Ordinal);
        // Save writes atomically: the file round-trips and no temporary file is left beside it
        var saved = dir.Sub("saved.json");
        plan.Save(saved);
        Assert.Equal(plan.ToJsonText(), PartitionPlan.Load(saved).ToJsonText());
        Assert.DoesNotContain(Directory.GetFiles(dir.Path), f => f.EndsWith(".zptmp", StringComparison.Ordinal));
        Assert.Equal("PlanNotWritten", Assert.Throws<ZarrPartitionException>(() => plan.Save(Path.Combine(dir.Path, "no-such-folder", "p.json"))).ErrorId);

        File.WriteAllText(planFile, "{ \"partitions\": [ { \"index\": 0 } ] }");
        Assert.Equal("InvalidPlan", Assert.Throws<ZarrPartitionException>(() => PartitionPlan.Load(planFile)).ErrorId);
    }

    [Fact]
    public void MaxMemorySizesPartitionsAndWriterThreads()
    {
        using var dir = new TempDir();
        var spec = Spec(dir.Path, "spec.json", 1000, """ "u": { "dtype": "float64", "dims": ["time", "level", "lat", "lon"] } """);
        var store = dir.Sub("s.zarr");
        CreateTemplate.Run(new CreateTemplate.Request([spec], store, Chunks: new Dictionary<string, int> { ["time"] = 100 }), new RecordingSink());
        // 1000 × 4 × 20 × 30 × 8 B = 19.2 MB of data, chunks of 1.92 MB
        var plan = PlanPartitions.Run(new PlanPartitions.Request(store, MaxMemoryBytes: 200L << 20), new RecordingSink());
        AssertOwnsEveryChunkOnce(plan);
        Assert.Single(plan.Partitions);
        long perChunk = 3 * 100 * 4 * 20 * 30 * 8;
        int threads = plan.Partitions[0].Threads;
        Assert.Equal((int)(((200L << 20) - PlanPartitions.WriterOverheadBytes) / perChunk), threads);
        Assert.True(threads > 1);
        Assert.True(plan.Partitions[0].PeakMemoryBytes <= 200L << 20);

        var small = PlanPartitions.Run(new PlanPartitions.Request(store, MaxMemoryBytes: 4L << 20), new RecordingSink());
        AssertOwnsEveryChunkOnce(small);
        Assert.Equal(5, small.Partitions.Count); // 19.2 MB in partitions of at most 4 MiB
        Assert.All(small.Partitions, p => Assert.True(p.EstimatedBytes <= 4L << 20));
        Assert.Contains(small.Warnings, w => w.Contains("too small for one chunk", StringComparison.Ordinal));
    }
}
