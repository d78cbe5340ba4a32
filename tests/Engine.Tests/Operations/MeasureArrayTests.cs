using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Operations;

/// <summary>
/// Statistics against numpy over xarray's decoded values (NaN, _FillValue, packed int16, uneven edge
/// chunks, deleted chunks), independent of the thread count; v3 fill values that are data; the choice of
/// data variables; errors, cancellation and progress; the moment combination itself.
/// </summary>
public class MeasureArrayTests : IClassFixture<DecodedStoreFixture>
{
    private readonly DecodedStoreFixture _fx;

    public MeasureArrayTests(DecodedStoreFixture fx) => _fx = fx;

    [Fact]
    public void MatchesNumpyOverXarraysDecodedValuesForEveryDataVariable()
    {
        var result = MeasureArray.Run(new MeasureArray.Request(_fx.StorePath), new RecordingSink());
        Assert.Equal(Path.GetFullPath(_fx.StorePath), result.Store);
        Assert.Equal(["count", "elev", "packed", "pr", "tas"], result.Variables.Select(v => v.Name).Order(StringComparer.Ordinal));
        foreach (var v in result.Variables)
        {
            AssertMatches(_fx.Expected[v.Name]!, v);
        }

        // the deleted chunks are all fill, so all missing: tas [4:8, 3:6, 4:8] (48 values), packed [0:4, 0:3, 0:4] (48) and the edge chunk pr [8:10, 6:7, 8:9] (2)
        Assert.True(result.Variables.Single(v => v.Name == "tas").Missing >= 48);
        Assert.Equal("float32", result.Variables.Single(v => v.Name == "packed").DataType);
        Assert.Equal("int32", result.Variables.Single(v => v.Name == "count").DataType);
        Assert.Equal(0, result.Variables.Single(v => v.Name == "count").Missing);
    }

    [Fact]
    public void GivesBitIdenticalResultsWhateverTheThreadsAndMemory()
    {
        var baseline = MeasureArray.Run(new MeasureArray.Request(_fx.StorePath, Threads: 1), new RecordingSink());
        foreach (var (threads, memory) in new[] { (2, 0L), (7, 0L), (16, 4096L) })
        {
            var other = MeasureArray.Run(new MeasureArray.Request(_fx.StorePath, null, threads, memory), new RecordingSink());
            Assert.Equal(baseline.Variables.Length, other.Variables.Length);
            for (int i = 0; i < baseline.Variables.Length; i++)
            {
                var (a, b) = (baseline.Variables[i], other.Variables[i]);
                Assert.Equal((a.Name, a.Count, a.Missing), (b.Name, b.Count, b.Missing));
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.Min), BitConverter.DoubleToInt64Bits(b.Min));
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.Max), BitConverter.DoubleToInt64Bits(b.Max));
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.Mean), BitConverter.DoubleToInt64Bits(b.Mean));
                Assert.Equal(BitConverter.DoubleToInt64Bits(a.Std), BitConverter.DoubleToInt64Bits(b.Std));
            }
        }
    }

    [Fact]
    public void MeasuresNamedArraysCoordinatesIncluded()
    {
        var result = MeasureArray.Run(new MeasureArray.Request(_fx.StorePath, ["tas", "lat", "tas"]), new RecordingSink());
        Assert.Equal(["tas", "lat"], result.Variables.Select(v => v.Name));
        var lat = result.Variables[1];
        Assert.Equal((7L, 0L), (lat.Count, lat.Missing));

        // lat is float32 linspace(-30, 30, 7) + 0.1: its extremes exactly as float32
        Assert.Equal((double)(-30f + 0.1f), lat.Min);
        Assert.Equal((double)(30f + 0.1f), lat.Max);
        Assert.Equal(["time", "lat", "lon"], result.Variables[0].Dimensions);
        Assert.Equal("K", result.Variables[0].Units);
    }

    [Fact]
    public void ReportsProgressOverEveryChunk()
    {
        var sink = new RecordingSink();
        MeasureArray.Run(new MeasureArray.Request(_fx.StorePath, ["tas", "elev"]), sink);
        var last = sink.ProgressReports.Last();
        Assert.True(last.Finished);
        Assert.Equal(27 + 9, last.Total);
        Assert.Equal(27 + 9, last.Completed);
        Assert.Contains(sink.VerboseMessages, m => m.StartsWith("tas: 27 chunks", StringComparison.Ordinal));
    }

    [Fact]
    public void StopsWhenCancelled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => MeasureArray.Run(new MeasureArray.Request(_fx.StorePath), new RecordingSink { Cancellation = cts.Token }));
    }

    [Fact]
    public void RefusesUnknownArraysAndMissingStores()
    {
        var e = Assert.Throws<ZarrPartitionException>(() => MeasureArray.Run(new MeasureArray.Request(_fx.StorePath, ["tas", "nope"]), new RecordingSink()));
        Assert.Equal("UnknownVariable", e.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("'nope'", e.Message);
        Assert.Contains("packed", e.Message); // lists what exists

        using var dir = new TempDir();
        var missing = Assert.Throws<ZarrPartitionException>(() => MeasureArray.Run(new MeasureArray.Request(dir.Sub("none.zarr")), new RecordingSink()));
        Assert.Equal("StoreNotFound", missing.ErrorId);
        var threads = Assert.Throws<ZarrPartitionException>(() => MeasureArray.Run(new MeasureArray.Request(_fx.StorePath, Threads: -1), new RecordingSink()));
        Assert.Equal(ErrorKind.InvalidArgument, threads.Kind);
    }

    [Fact]
    public void V3FillValueIsDataUnlessAFillValueAttributeMasksIt()
    {
        // xarray masks only a _FillValue attribute in v3 (a float one as base64 of its float64 bytes), not the array's fill_value
        using var dir = new TempDir();
        var store = new FileSystemStore(dir.Sub("v3.zarr"), create: true);
        ZarrHierarchy.CreateGroup(store, "", new GroupMetadata(3, new JsonObject()));
        var ints = ZarrArray.Create(store, "ints", ArrayMetadata.Create(3, [10, 6], [4, 4], ZarrDataType.Int16, FillValueJson.FromDouble(7, ZarrDataType.Int16), null, ["y", "x"], null));
        var floats = ZarrArray.Create(store, "floats", ArrayMetadata.Create(3, [10, 6], [4, 4], ZarrDataType.Float32, FillValueJson.FromDouble(-1, ZarrDataType.Float32), null, ["y", "x"],
            new JsonObject { ["_FillValue"] = Convert.ToBase64String(BitConverter.GetBytes(-1.0)) }));
        var data = Enumerable.Range(0, 60).Select(i => (short)(i % 13)).ToArray();
        var floatData = data.Select(v => v == 3 ? -1f : v * 0.5f).ToArray();

        // only the first row of chunks is written; the rest (and the edge chunks) are absent = fill
        ints.WriteRegion([0, 0], [4, 6], System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan(0, 24)).ToArray());
        floats.WriteRegion([0, 0], [4, 6], System.Runtime.InteropServices.MemoryMarshal.AsBytes(floatData.AsSpan(0, 24)).ToArray());

        var result = MeasureArray.Run(new MeasureArray.Request(store.Location), new RecordingSink());
        var expectInts = data.Take(24).Select(v => (double)v).Concat(Enumerable.Repeat(7.0, 36)).ToArray();
        AssertMoments(expectInts, result.Variables.Single(v => v.Name == "ints"));
        var s = result.Variables.Single(v => v.Name == "floats");
        var expectFloats = floatData.Take(24).Where(v => v != -1f).Select(v => (double)v).ToArray();
        Assert.Equal(60 - expectFloats.Length, s.Missing);
        AssertMoments(expectFloats, s);
    }

    [Fact]
    public void MergesManyChunksInBatchesInChunkOrder()
    {
        // 700 chunks: more than one batch of chunks in flight, merged in order
        using var dir = new TempDir();
        var store = new FileSystemStore(dir.Sub("many.zarr"), create: true);
        ZarrHierarchy.CreateGroup(store, "", new GroupMetadata(2, new JsonObject()));
        var random = new Random(3);
        var data = Enumerable.Range(0, 700 * 5).Select(_ => random.NextDouble() < 0.05 ? double.NaN : 1000 + (random.NextDouble() * 10)).ToArray();
        var arr = ZarrArray.Create(store, "v", ArrayMetadata.Create(2, [700, 5], [1, 4], ZarrDataType.Float64, FillValueJson.FromDouble(double.NaN, ZarrDataType.Float64), null, ["a", "b"], null));
        arr.WriteRegion([0, 0], [700, 5], System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        var one = MeasureArray.Run(new MeasureArray.Request(store.Location, Threads: 1), new RecordingSink()).Variables.Single();
        var many = MeasureArray.Run(new MeasureArray.Request(store.Location, Threads: 3), new RecordingSink()).Variables.Single();
        Assert.Equal(one with { Dimensions = many.Dimensions, Shape = many.Shape }, many);
        Assert.Equal(data.Count(double.IsNaN), one.Missing);
        AssertMoments(data.Where(v => !double.IsNaN(v)).ToArray(), one);
    }

    [Fact]
    public void TemplateCoordinatesAreNotDataVariables()
    {
        using var dir = new TempDir();
        var store = new FileSystemStore(dir.Sub("t.zarr"), create: true);
        ZarrHierarchy.CreateGroup(store, "", new GroupMetadata(2, new JsonObject()));
        foreach (var name in new[] { "a", "b", "bounds" })
        {
            var arr = ZarrArray.Create(store, name, ArrayMetadata.Create(2, [5], [5], ZarrDataType.Float64, null, null, ["n"], null));
            arr.WriteRegion([0], [5], System.Runtime.InteropServices.MemoryMarshal.AsBytes(new double[] { 1, 2, 3, 4, 5 }.AsSpan()).ToArray());
        }

        Assert.Equal(["a", "b", "bounds"], MeasureArray.Run(new MeasureArray.Request(store.Location), new RecordingSink()).Variables.Select(v => v.Name));
        new TemplateRecord(null, ["bounds"], 0, "now").Write(store);
        Assert.Equal(["a", "b"], MeasureArray.Run(new MeasureArray.Request(store.Location), new RecordingSink()).Variables.Select(v => v.Name));
        var a = MeasureArray.Run(new MeasureArray.Request(store.Location, ["a"]), new RecordingSink()).Variables[0];
        Assert.Equal((5L, 1.0, 5.0, 3.0, Math.Sqrt(2)), (a.Count, a.Min, a.Max, a.Mean, a.Std));
    }

    [Fact]
    public void CombiningBlocksInAnyGroupingGivesTheTwoPassMoments()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            var values = Enumerable.Range(0, random.Next(1, 400)).Select(_ => random.NextDouble() < 0.1 ? double.NaN : 1e6 + (random.NextDouble() * 100)).ToArray();
            var combined = RunningMoments.Empty;
            for (int start = 0; start < values.Length;)
            {
                int len = Math.Min(values.Length - start, random.Next(0, 40));
                combined = combined.Combine(RunningMoments.Of(values.AsSpan(start, len)));
                start += len;
            }

            var whole = RunningMoments.Of(values);
            Assert.Equal(whole.Count, combined.Count);
            Assert.Equal(whole.Missing, combined.Missing);
            Assert.Equal(values.Count(double.IsNaN), combined.Missing);
            Assert.Equal(whole.Min, combined.Min);
            Assert.Equal(whole.Max, combined.Max);
            if (whole.Count > 0)
            {
                Assert.Equal(whole.Mean, combined.Mean, 1e-13 * Math.Abs(whole.Mean));
                Assert.Equal(Math.Sqrt(whole.Variance), Math.Sqrt(combined.Variance), (1e-9 * Math.Sqrt(whole.Variance)) + 1e-12);
            }
        }
    }

    private static void AssertMatches(JsonNode expected, ArrayStatistics actual)
    {
        Assert.Equal(expected["count"]!.GetValue<long>(), actual.Count);
        Assert.Equal(expected["missing"]!.GetValue<long>(), actual.Missing);
        Assert.Equal(expected["dtype"]!.GetValue<string>(), actual.DataType);

        // the same decoded values: extremes exactly; mean and std to a relative 1e-9
        Assert.Equal(expected["min"]!.GetValue<double>(), actual.Min);
        Assert.Equal(expected["max"]!.GetValue<double>(), actual.Max);
        AssertClose(expected["mean"]!.GetValue<double>(), actual.Mean, actual.Name + " mean");
        AssertClose(expected["std"]!.GetValue<double>(), actual.Std, actual.Name + " std");
    }

    private static void AssertMoments(double[] values, ArrayStatistics actual)
    {
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
        Assert.Equal(values.Length, actual.Count);
        Assert.Equal(values.Min(), actual.Min);
        Assert.Equal(values.Max(), actual.Max);
        AssertClose(mean, actual.Mean, actual.Name + " mean");
        AssertClose(std, actual.Std, actual.Name + " std");
    }

    internal static void AssertClose(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Abs(expected) + 1e-300, $"{what}: expected {expected:R}, got {actual:R}");
}
