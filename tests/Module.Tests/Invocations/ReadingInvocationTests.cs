using System.Collections;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Module.Invocations;
using ZarrPartition.Module.Runtime;
using ZarrPartition.Module.Tests.Runtime;

namespace ZarrPartition.Module.Tests.Invocations;

/// <summary>Get-ZarrStore, Read-ZarrArray, Measure-ZarrArray and ConvertTo-Zarr as their cmdlets run them.</summary>
public sealed class ReadingInvocationTests
{
    private static IReadOnlyList<object> Run(IInvocation invocation, FakeHost? host = null) =>
        OperationPump.Run(invocation.Run, host ?? new FakeHost(), CancellationToken.None).Value;

    [Fact]
    public void Get_ZarrStore_describes_a_NetCDF_file_and_a_store()
    {
        using var s = new SampleStore();
        var file = (ZarrSourceInfo)Assert.Single(Run(new DescribeInvocation(s.Sources[0])));
        Assert.Equal(s.Sources[0], file.Path);
        Assert.Contains(file.Dimensions, d => d.StartsWith("time=24", StringComparison.Ordinal));
        var t2m = Assert.Single(file.Variables, v => v.Name == "t2m");
        Assert.Equal(["time", "lat", "lon"], t2m.Dimensions);
        Assert.Equal(24, t2m.Shape[0]);

        var host = new FakeHost();
        var conversion = (ZarrConversion)Assert.Single(Run(new ConvertInvocation(s.Sources, s.Store, Chunks: new Hashtable { ["time"] = 48 }), host));
        Assert.Equal(2, conversion.ZarrFormat);
        Assert.True(conversion.Chunks > 0);
        Assert.Contains(host.Progress, p => p.Completed);
        var store = (ZarrStoreInfo)Assert.Single(Run(new DescribeInvocation(s.Store)));
        var array = Assert.Single(store.Arrays, a => a.Name == "t2m");
        Assert.Equal(["time", "lat", "lon"], array.Dimensions);
        Assert.Equal(96, array.Shape[0]);
        Assert.Equal(48, array.Chunks[0]);
        Assert.Equal(array.ChunkCount, array.ChunksPresent);
        Assert.Equal(-1, ((ZarrStoreInfo)Run(new DescribeInvocation(s.Store, CountChunks: false))[0]).Arrays[0].ChunksPresent);

        var missing = Assert.Throws<ZarrPartitionException>(() => Run(new DescribeInvocation(s["nothing"])));
        Assert.Equal("StoreNotFound", missing.ErrorId);
    }

    [Fact]
    public void Read_and_measure_decode_as_xarray_does()
    {
        using var s = new SampleStore();
        Run(new ConvertInvocation(s.Sources, s.Store));
        var values = (ZarrArrayValues)Assert.Single(Run(new ReadInvocation(s.Store, "t2m", "time=0:2,lat=0:3,lon=5")));
        Assert.Equal([2L, 3L, 1L], values.Shape);
        Assert.Equal([0L, 0L, 5L], values.Start);
        Assert.Equal(6, values.Values.Length);
        Assert.NotNull(values.Coordinates[0].Times);
        Assert.StartsWith("2020-01-01", values.Coordinates[0].Times![0], StringComparison.Ordinal);

        var stats = Run(new MeasureInvocation(s.Store, ["t2m"])).Cast<ZarrArrayStatistics>().ToList();
        var t2m = Assert.Single(stats);
        Assert.Equal(s.Store, t2m.Store);
        Assert.True(t2m.Count > 0);
        Assert.InRange(t2m.Mean, t2m.Min, t2m.Max);

        var bad = Assert.Throws<ZarrPartitionException>(() => Run(new ReadInvocation(s.Store, "t2m", "time=")));
        Assert.Equal("InvalidRegion", bad.ErrorId);
        Assert.True(ErrorPolicy.Map(bad, ErrorScope.Store).Terminating);
        var unknown = Assert.Throws<ZarrPartitionException>(() => Run(new MeasureInvocation(s.Store, ["nope"])));
        Assert.Equal("UnknownVariable", unknown.ErrorId);
    }

    [Fact]
    public void A_Zarr_store_alone_is_copied_as_a_store()
    {
        using var s = new SampleStore();
        Run(new ConvertInvocation(s.Sources, s.Store));
        var copy = new ConvertInvocation([s.Store], s["v3.zarr"], ZarrFormat: 3, Chunks: new Hashtable { ["time"] = 24 }, Shards: new Hashtable { ["time"] = 48 });
        Assert.True(copy.CopiesStore);
        var result = (ZarrConversion)Assert.Single(Run(copy));
        Assert.Equal(3, result.ZarrFormat);
        var t2m = ((ZarrStoreInfo)Run(new DescribeInvocation(s["v3.zarr"]))[0]).Arrays.Single(a => a.Name == "t2m");
        Assert.Equal(48, t2m.Shards![0]);
        Assert.False(new ConvertInvocation([s.Store], s["x.zarr"], ConcatDimension: "time").CopiesStore);
    }
}
