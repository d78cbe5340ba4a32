using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Tests.Interop;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Operations;

/// <summary>
/// Regions read against xarray's <c>.isel(...).values</c> exactly (NaN equal to NaN), with coordinates
/// (CF times as ISO dates); the region syntax and its errors; the size limit without a region.
/// </summary>
public class ReadArrayTests : IClassFixture<DecodedStoreFixture>
{
    /// <summary>argv[1] the store, argv[2] a manifest of reads: variable, region, our values (float64 file), our coordinates.</summary>
    public const string CompareWithXarray = """
        import sys, json, numpy as np, pandas as pd, xarray as xr
        ds = xr.open_zarr(sys.argv[1])
        bad = []
        for case in json.load(open(sys.argv[2])):
            name, region = case["variable"], case["region"]
            da = ds[name].isel({d: slice(a, b) for d, (a, b) in region.items()})
            if list(da.dims) != case["dims"] or list(da.shape) != case["shape"]:
                bad.append(f"{name} {region}: dims/shape {da.dims} {da.shape} vs {case['dims']} {case['shape']}")
                continue
            if case["values"]:
                ours = np.fromfile(case["values"], dtype="<f8").reshape(da.shape)
                want = da.values
                if want.dtype.kind != "f" and want.dtype.kind not in "iu":
                    bad.append(f"{name}: xarray gives {want.dtype}")
                if str(want.dtype) != case["dataType"]:
                    bad.append(f"{name} {region}: dtype {want.dtype} vs ours {case['dataType']}")
                if not np.array_equal(ours, want.astype("float64"), equal_nan=True):
                    bad.append(f"{name} {region}: values differ")
            for d, ours in case["coords"].items():
                c = da[d].values
                if c.dtype.kind == "M":
                    want = [None if pd.isnull(x) else pd.Timestamp(x).isoformat() for x in c]
                    if want != ours:
                        bad.append(f"{name} {region}: times of {d} {want} vs {ours}")
                elif not np.array_equal(np.array(ours, dtype="float64"), c.astype("float64"), equal_nan=True):
                    bad.append(f"{name} {region}: coordinate {d} {c} vs {ours}")
            missing = [d for d in da.dims if d in ds.coords and d not in case["coords"]]
            if missing:
                bad.append(f"{name} {region}: no coordinate for {missing}")
        print("BAD: " + "; ".join(bad) if bad else "all equal")
        sys.exit(1 if bad else 0)
        """;

    private readonly DecodedStoreFixture _fx;

    public ReadArrayTests(DecodedStoreFixture fx) => _fx = fx;

    [Fact]
    public void ReadsWhatXarrayIselGivesExactlyWithCoordinates()
    {
        (string Variable, string? Region, bool Values)[] cases =
        [
            ("tas", null, true),                           // whole, with NaN and a deleted chunk
            ("tas", "time=2:9,lat=1:7,lon=3:", true),      // across chunks, edges, the deleted chunk 1.1.1
            ("packed", "time=0:5,lat=0:4", true),          // int16 unpacked to float32, the deleted chunk 0.0.0
            ("pr", "time=7:,lat=5:,lon=-3:", true),        // _FillValue, the deleted edge chunk 2.2.2
            ("count", "time=-1", true),                    // int32, one index
            ("count", "lon=8,lat=6,time=9", true),         // the last value, out of order
            ("elev", null, true),
            ("lat", "lat=2:5", true),                      // a float32 coordinate itself
            ("time", "time=3:7", false),                   // int64 hours since …: xarray shows dates, we the numbers; compare the dates
        ];
        using var dir = new TempDir();
        var manifest = new JsonArray();
        for (int i = 0; i < cases.Length; i++)
        {
            var (name, region, compareValues) = cases[i];
            var result = ReadArray.Run(new ReadArray.Request(_fx.StorePath, name, region is null ? null : DimensionRange.ParseList(region)), new RecordingSink());
            Assert.Equal(result.Shape.Aggregate(1L, (n, s) => n * s), result.Values.Length);
            var file = dir.Sub($"v{i}.bin");
            File.WriteAllBytes(file, System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.Values.AsSpan()).ToArray());
            var coords = new JsonObject();
            foreach (var c in result.Coordinates.Where(c => c.Array is not null))
            {
                coords[c.Dimension] = c.Times is { } t
                    ? new JsonArray(t.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray())
                    : new JsonArray(c.Values!.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
            }

            manifest.Add(new JsonObject
            {
                ["variable"] = name,
                ["region"] = new JsonObject(result.Coordinates.Select(c => KeyValuePair.Create(c.Dimension, (JsonNode?)new JsonArray(c.Start, c.Stop)))),
                ["dims"] = new JsonArray(result.Dimensions.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
                ["shape"] = new JsonArray(result.Shape.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["dataType"] = result.DataType,
                ["values"] = compareValues ? file : null,
                ["coords"] = coords,
            });
        }

        File.WriteAllText(dir.Sub("manifest.json"), manifest.ToJsonString());
        Assert.Contains("all equal", ReferenceTools.RunPython(CompareWithXarray, _fx.StorePath, dir.Sub("manifest.json")));
    }

    [Fact]
    public void GivesTheRegionTheCoordinatesAndTheDecodedType()
    {
        var r = ReadArray.Run(new ReadArray.Request(_fx.StorePath, "packed", DimensionRange.ParseList("time=1, lon=-2:")), new RecordingSink());
        Assert.Equal(["time", "lat", "lon"], r.Dimensions);
        Assert.Equal([1L, 7, 2], r.Shape);
        Assert.Equal([1L, 0, 7], r.Start);
        Assert.Equal("float32", r.DataType);
        Assert.Equal(("time", 1L, 2L, "time"), (r.Coordinates[0].Dimension, r.Coordinates[0].Start, r.Coordinates[0].Stop, r.Coordinates[0].Array));
        Assert.Equal(new string?[] { "2000-01-01T06:00:00" }, r.Coordinates[0].Times!);
        Assert.Equal([6.0], r.Coordinates[0].Values!);
        Assert.Equal([17.5, 20.0], r.Coordinates[2].Values!);
        Assert.Null(r.Coordinates[2].Times);
        Assert.All(r.Values, v => Assert.Equal(v, (double)(float)v)); // float32 values, widened exactly

        var json = r.ToJson();
        Assert.Equal("packed", json["variable"]!.GetValue<string>());
        Assert.Equal("2000-01-01T06:00:00", json["coords"]!["time"]![0]!.GetValue<string>());
        Assert.Equal(7, json["values"]!.AsArray()[0]!.AsArray().Count);
        Assert.Equal(2, json["values"]![0]![0]!.AsArray().Count);
    }

    [Fact]
    public void DimensionsWithoutCoordinateArraysHaveOnlyTheirRange()
    {
        using var dir = new TempDir();
        var store = new FileSystemStore(dir.Sub("nc.zarr"), create: true);
        ZarrHierarchy.CreateGroup(store, "", new GroupMetadata(2, new JsonObject()));
        var arr = ZarrArray.Create(store, "v", ArrayMetadata.Create(2, [3, 4], [2, 3], ZarrDataType.Int16, FillValueJson.FromDouble(-1, ZarrDataType.Int16), null, null, null));
        arr.WriteRegion([0, 0], [3, 4], System.Runtime.InteropServices.MemoryMarshal.AsBytes(new short[] { 0, 1, 2, 3, 4, -1, 6, 7, 8, 9, 10, 11 }.AsSpan()).ToArray());
        var r = ReadArray.Run(new ReadArray.Request(store.Location, "v", DimensionRange.ParseList("dim_1=1:3")), new RecordingSink());
        Assert.Equal(["dim_0", "dim_1"], r.Dimensions);
        Assert.Equal([1.0, 2, double.NaN, 6, 9, 10], r.Values);
        Assert.All(r.Coordinates, c => Assert.Null(c.Array));
        Assert.Equal("float32", r.DataType); // int16 with a fill value decodes to float32, as xarray does
    }

    [Fact]
    public void RefusesALargeArrayWithoutARegionButReadsWithOne()
    {
        var e = Assert.Throws<ZarrPartitionException>(() => ReadArray.Run(new ReadArray.Request(_fx.StorePath, "tas", MaxValues: 100), new RecordingSink()));
        Assert.Equal("RegionTooLarge", e.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("630 values", e.Message);
        Assert.Contains("--region time=0:1", e.Message); // 63 values a step: one step stays under 100

        var r = ReadArray.Run(new ReadArray.Request(_fx.StorePath, "tas", DimensionRange.ParseList("time=0:10"), MaxValues: 100), new RecordingSink());
        Assert.Equal(630, r.Values.Length);
    }

    [Theory]
    [InlineData("tas", "time=0:11", "RegionOutOfBounds", "time=0:11")]
    [InlineData("tas", "time=10", "RegionOutOfBounds", "time=10")]
    [InlineData("tas", "lat=-8:", "RegionOutOfBounds", "lat=-8:")]
    [InlineData("tas", "lat=5:2", "EmptyRegion", "lat=5:2")]
    [InlineData("tas", "depth=0:1", "UnknownDimension", "depth")]
    [InlineData("elev", "time=0", "UnknownDimension", "lat, lon")]
    [InlineData("nope", null, "UnknownVariable", "'nope'")]
    public void RefusesBadReadsWithATypedError(string variable, string? region, string errorId, string mentioned)
    {
        var e = Assert.Throws<ZarrPartitionException>(() => ReadArray.Run(new ReadArray.Request(_fx.StorePath, variable, region is null ? null : DimensionRange.ParseList(region)), new RecordingSink()));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(mentioned, e.Message);
    }

    [Theory]
    [InlineData("time=0:x", "time=0:x", "'x'")]
    [InlineData("time=0:24,lat", "lat", "no '='")]
    [InlineData("time=1:2:3", "time=1:2:3", "steps")]
    [InlineData("=0:2", "=0:2", "name is empty")]
    [InlineData("time=", "time=", "index is empty")]
    [InlineData("time=0:2,,lat=1", "''", "empty")]
    [InlineData("time=0:2,time=3", "time=3", "more than once")]
    [InlineData("time=1.5", "time=1.5", "not an integer")]
    public void RegionSyntaxErrorsNameTheBadEntry(string text, string entry, string why)
    {
        var e = Assert.Throws<ZarrPartitionException>(() => DimensionRange.ParseList(text));
        Assert.Equal("InvalidRegion", e.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(entry == "''" ? "entry ''" : $"'{entry}'", e.Message);
        Assert.Contains(why, e.Message);
        Assert.Contains("time=0:24,lat=10:20", e.Message); // the accepted form
    }

    [Theory]
    [InlineData("t=0:24", 0L, 24L)]
    [InlineData("t=5", 5L, 6L)]
    [InlineData("t=-1", 29L, 30L)]
    [InlineData("t=:3", 0L, 3L)]
    [InlineData("t=28:", 28L, 30L)]
    [InlineData("t=-5:-2", 25L, 28L)]
    [InlineData(" t = 1 : 30 ", 1L, 30L)]
    public void RegionEntriesResolveLikePythonSlices(string text, long start, long stop)
    {
        var range = DimensionRange.Parse(text);
        Assert.Equal("t", range.Dimension);
        Assert.Equal((start, stop), range.Resolve(30, "v"));
    }
}
