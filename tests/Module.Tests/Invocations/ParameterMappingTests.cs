using System.Collections;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Module.Completion;
using ZarrPartition.Module.Invocations;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Tests.Invocations;

/// <summary>How PowerShell values (hashtables, numbers as PowerShell gives them) become engine requests.</summary>
public sealed class ParameterMappingTests
{
    [Fact]
    public void Chunk_hashtables_take_numbers_of_any_width_and_numeric_text()
    {
        var map = DimensionSizes.From(new Hashtable { ["time"] = 24, ["lat"] = 90L, ["lon"] = "180", ["level"] = 2.0, ["x"] = (byte)3 }, "Chunks")!;
        Assert.Equal(24, map["time"]);
        Assert.Equal(90, map["lat"]);
        Assert.Equal(180, map["lon"]);
        Assert.Equal(2, map["level"]);
        Assert.Equal(3, map["x"]);
        Assert.Null(DimensionSizes.From(null, "Chunks"));
        Assert.Null(DimensionSizes.From(new Hashtable(), "Chunks"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    [InlineData(2.5)]
    [InlineData("many")]
    [InlineData(3000000000L)]
    public void Bad_chunk_sizes_are_a_terminating_parameter_error(object value)
    {
        var e = Assert.Throws<ZarrPartitionException>(() => DimensionSizes.From(new Hashtable { ["time"] = value }, "Chunks"));
        Assert.Equal(ModuleErrors.InvalidDimensionSizes, e.ErrorId);
        Assert.Contains("-Chunks @{time=24; lat=90}", e.Message, StringComparison.Ordinal);
        Assert.True(ErrorPolicy.Map(e, ErrorScope.Store).Terminating);
    }

    [Fact]
    public void Pack_tables_become_the_engines_packing_specs()
    {
        var specs = PackTable.From(new Hashtable { ["t2m"] = 16, ["sp"] = "16:50000:110000" })!.OrderBy(p => p.Variable).ToList();
        Assert.Equal("sp", specs[0].Variable);
        Assert.Equal(16, specs[0].Bits);
        Assert.Equal(50000, specs[0].Min);
        Assert.Equal(110000, specs[0].Max);
        Assert.Equal(16, specs[1].Bits);
        Assert.Equal("InvalidPackTable", Assert.Throws<ZarrPartitionException>(() => PackTable.From(new Hashtable { ["a,b"] = 8 })).ErrorId);
        Assert.Equal("InvalidPackSpec", Assert.Throws<ZarrPartitionException>(() => PackTable.From(new Hashtable { ["t2m"] = 12 })).ErrorId);
    }

    [Fact]
    public void Template_requests_carry_every_parameter()
    {
        var r = new NewTemplateInvocation(["/d/a.nc"], "/d/s.zarr", 3, new Hashtable { ["time"] = 24 }, new Hashtable { ["time"] = 96 }, "zstd:3", "time", "2020-01-01", "2020-12-31", "1h",
            "spatial", 10, ["t2m"], null, new Hashtable { ["t2m"] = 16 }, Force: true).ToRequest();
        Assert.Equal(3, r.ZarrFormat);
        Assert.Equal(96, r.Shards!["time"]);
        Assert.Equal("spatial", r.AccessPattern);
        Assert.Equal(10, r.TargetChunkMB);
        Assert.Equal(["t2m"], r.Variables);
        Assert.Null(r.DropVariables);
        Assert.True(r.Force);
        Assert.False(r.Append);
        Assert.Equal(16, Assert.Single(r.Pack!).Bits);

        var plan = new PlanInvocation("/d/s.zarr", Dimension: ["time", "lat"], WorkerCount: 8, MaxMemory: 2L << 30, Strategy: "xpartition", ThrottleLimit: 2, Incomplete: true).ToRequest();
        Assert.Equal(["time", "lat"], plan.Dims);
        Assert.Equal(8, plan.Ranks);
        Assert.Equal(2L << 30, plan.MaxMemoryBytes);
        Assert.Equal(2, plan.Threads);
        Assert.True(plan.Incomplete);
        Assert.Null(new PlanInvocation("/d/s.zarr", Dimension: []).ToRequest().Dims);
    }

    [Fact]
    public void Plans_go_next_to_the_store_by_default()
    {
        Assert.Equal("/data/t2m.zarr.plan.json", PlanFile.DefaultPath("/data/t2m.zarr/", incomplete: false));
        Assert.Equal("/data/t2m.zarr.incomplete.plan.json", PlanFile.DefaultPath("/data/t2m.zarr", incomplete: true));
    }

    [Fact]
    public void Completion_matches_prefixes_and_quotes_names_that_need_it()
    {
        Assert.Equal(["t2m", "tp"], DatasetNames.Match(["lat", "t2m", "tp"], "t"));
        Assert.Equal(["t2m"], DatasetNames.Match(["lat", "t2m", "tp"], "'T2*"));
        Assert.Equal(["'my var'"], DatasetNames.Match(["my var"], ""));
        Assert.Equal("a", DatasetNames.FirstPath(new object[] { "a", "b" }));
        Assert.Null(DatasetNames.FirstPath(null));
        Assert.Empty(DatasetNames.Variables("/no/such/store"));
    }

    [Fact]
    public void Completion_reads_names_from_stores_and_files()
    {
        using var s = new SampleStore();
        Assert.Contains("t2m", DatasetNames.Variables(s.Sources[0]));
        Assert.Contains("time", DatasetNames.Dimensions(s.Sources[0]));
        OperationPump.Run(new ConvertInvocation(s.Sources, s.Store).Run, new ZarrPartition.Module.Tests.Runtime.FakeHost(), CancellationToken.None);
        Assert.Contains("t2m", DatasetNames.Variables(s.Store));
        Assert.Equal(["lat", "lon", "time"], DatasetNames.Dimensions(s.Store));
    }
}
