using System.Text.Json.Nodes;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Tests.Interop;
using ZarrPartition.Engine.Tests.Operations;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Cli;

/// <summary>`zarrpartition read` in a separate process: JSON and CSV against xarray's <c>.isel(...).values</c>, the text dump, errors.</summary>
public class ReadCliTests : IClassFixture<DecodedStoreFixture>
{
    /// <summary>argv: store, variable, JSON region {dim: [start, stop]}, our output file, "json" or "csv".</summary>
    private const string Compare = """
        import sys, json, csv, numpy as np, pandas as pd, xarray as xr
        store, name, region, path, kind = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4], sys.argv[5]
        ds = xr.open_zarr(store)
        da = ds[name].isel({d: slice(a, b) for d, (a, b) in region.items()})
        want = da.values
        def label(d, x):
            return pd.Timestamp(x).isoformat() if da[d].dtype.kind == "M" else x
        bad = []
        if kind == "json":
            doc = json.load(open(path))
            if doc["dims"] != list(da.dims) or doc["shape"] != list(da.shape) or doc["dataType"] != str(want.dtype):
                bad.append(f"header {doc['dims']} {doc['shape']} {doc['dataType']}")
            ours = np.array([np.nan if x is None else x for x in np.array(doc["values"], dtype=object).ravel()], dtype=want.dtype).reshape(want.shape)
            if not np.array_equal(ours, want, equal_nan=True):
                bad.append("values differ")
            for d in da.dims:
                c = da[d].values
                if c.dtype.kind == "M":
                    ok = doc["coords"][d] == [label(d, x) for x in c]
                else:
                    ok = np.array_equal(np.array(doc["coords"][d], dtype=c.dtype), c)
                if not ok:
                    bad.append(f"coordinate {d}: {doc['coords'][d]} vs {c}")
            if doc["region"] != {d: region.get(d, [0, ds.dims[d]]) for d in da.dims}:
                bad.append(f"region {doc['region']}")
        else:
            rows = list(csv.reader(open(path)))
            if rows[0] != list(da.dims) + [name]:
                bad.append(f"header {rows[0]}")
            rows = rows[1:]
            if len(rows) != want.size:
                bad.append(f"{len(rows)} rows for {want.size} values")
            for row, idx in zip(rows, np.ndindex(*want.shape)):
                v = want[idx]
                got = np.nan if row[-1] == "" else want.dtype.type(row[-1])
                if not (got == v or (np.isnan(got) and np.isnan(v))):
                    bad.append(f"value at {idx}: {row[-1]} vs {v}")
                for k, d in enumerate(da.dims):
                    c = da[d].values[idx[k]]
                    if da[d].dtype.kind == "M":
                        ok = row[k] == pd.Timestamp(c).isoformat()
                    else:
                        ok = da[d].dtype.type(row[k]) == c
                    if not ok:
                        bad.append(f"{d} at {idx}: {row[k]} vs {c}")
        print("BAD: " + "; ".join(bad[:10]) if bad else "all equal")
        sys.exit(1 if bad else 0)
        """;

    private readonly DecodedStoreFixture _fx;

    public ReadCliTests(DecodedStoreFixture fx) => _fx = fx;

    [Theory]
    [InlineData("packed", "time=6:8,lat=0:3", """{"time": [6, 8], "lat": [0, 3]}""")]
    [InlineData("tas", "time=3:6,lat=1:5,lon=3:", """{"time": [3, 6], "lat": [1, 5], "lon": [3, 9]}""")]
    [InlineData("pr", "time=-2:,lat=6,lon=7:", """{"time": [8, 10], "lat": [6, 7], "lon": [7, 9]}""")]
    public void JsonAndCsvMatchXarrayIsel(string variable, string region, string pythonRegion)
    {
        using var dir = new TempDir();
        foreach (var kind in new[] { "json", "csv" })
        {
            var (code, stdout, stderr) = CliRunner.Run("read", "--store", _fx.StorePath, variable, "--region", region, "--" + kind);
            Assert.True(code == 0, stderr);
            var file = dir.Sub("out." + kind);
            File.WriteAllText(file, stdout);
            Assert.Contains("all equal", ReferenceTools.RunPython(Compare, _fx.StorePath, variable, pythonRegion, file, kind));
        }
    }

    [Fact]
    public void JsonHasTheDocumentedShape()
    {
        var (code, stdout, stderr) = CliRunner.Run("read", "--store", _fx.StorePath, "elev", "--region", "lat=0:2,lon=0:3", "--json");
        Assert.True(code == 0, stderr);
        var doc = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal("elev", doc["variable"]!.GetValue<string>());
        Assert.Equal(["lat", "lon"], doc["dims"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal([2L, 3L], doc["shape"]!.AsArray().Select(d => d!.GetValue<long>()));
        Assert.Equal([0L, 2L], doc["region"]!["lat"]!.AsArray().Select(d => d!.GetValue<long>()));
        Assert.Equal(3, doc["coords"]!["lon"]!.AsArray().Count);
        Assert.Equal(2, doc["values"]!.AsArray().Count);
        Assert.Equal(3, doc["values"]![0]!.AsArray().Count);
    }

    [Fact]
    public void TextDumpIsReadable()
    {
        var (code, stdout, stderr) = CliRunner.Run("read", "--store", _fx.StorePath, "tas", "--region", "time=4:6,lat=3,lon=3:6");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n');
        Assert.StartsWith("tas (time, lat, lon): float32 [2, 1, 3] at time=4:6, lat=3:4, lon=3:6, units K", lines[0]);
        Assert.Contains("[time=2000-01-02T00:00:00]", stdout);
        Assert.Contains("[time=2000-01-02T06:00:00]", stdout);
        Assert.Contains("lat \\ lon", stdout);
        Assert.Contains("NaN", stdout); // [4:8, 3:6, 4:8] is the deleted chunk

        (code, stdout, stderr) = CliRunner.Run("read", "--store", _fx.StorePath, "time", "--region", "time=0:2");
        Assert.True(code == 0, stderr);
        Assert.Contains("time=2000-01-01T06:00:00  6", stdout);
    }

    [Theory]
    [InlineData(new[] { "--region", "time=0:x" }, 2, "InvalidRegion", "'time=0:x'")]
    [InlineData(new[] { "--region", "time=0:24,lat" }, 2, "InvalidRegion", "'lat'")]
    [InlineData(new[] { "--region", "time=0:11" }, 2, "RegionOutOfBounds", "10 elements")]
    [InlineData(new[] { "--region", "depth=0" }, 2, "UnknownDimension", "time, lat, lon")]
    [InlineData(new[] { "--json", "--csv" }, 2, "ConflictingFormats", "--json or --csv")]
    public void RefusesBadArguments(string[] extra, int exit, string errorId, string mentioned)
    {
        var (code, stdout, stderr) = CliRunner.Run(["read", "--store", _fx.StorePath, "tas", .. extra]);
        Assert.Equal(exit, code);
        Assert.Contains($"error [{errorId}]", stderr);
        Assert.Contains(mentioned, stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void RefusesUnknownVariablesAndLargeArraysWithoutARegion()
    {
        var (code, _, stderr) = CliRunner.Run("read", "--store", _fx.StorePath, "nope");
        Assert.Equal(2, code);
        Assert.Contains("error [UnknownVariable]", stderr);

        // 10,400,000 int8 values, no chunk written: the check comes before any read
        using var dir = new TempDir();
        var store = new FileSystemStore(dir.Sub("big.zarr"), create: true);
        ZarrHierarchy.CreateGroup(store, "", new GroupMetadata(2, new JsonObject()));
        ZarrArray.Create(store, "big", ArrayMetadata.Create(2, [4000, 2600], [1000, 1000], ZarrDataType.Int8, null, null, ["row", "col"], null));
        (code, _, stderr) = CliRunner.Run("read", "--store", store.Location, "big");
        Assert.Equal(2, code);
        Assert.Contains("error [RegionTooLarge]", stderr);
        Assert.Contains("--region row=0:3846", stderr);

        (code, var stdout, stderr) = CliRunner.Run("read", "--store", store.Location, "big", "--region", "row=3999,col=-2:", "--csv");
        Assert.True(code == 0, stderr);
        Assert.Equal("row,col,big\n3999,2598,0\n3999,2599,0\n", stdout.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
