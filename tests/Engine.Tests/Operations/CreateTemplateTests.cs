using System.Text.Json.Nodes;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Tests.Cli;
using ZarrPartition.Engine.Tests.Interop;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Operations;

/// <summary>
/// Templates opened by xarray: decoded time axis, dimensions, dtypes, attributes and coordinates as the
/// sources have them, data variables all fill and no data chunk written; ranges, specs and appends.
/// </summary>
public class CreateTemplateTests
{
    internal const string MakeCollection = """
        import sys, netCDF4, numpy as np
        out, n, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
        rng = np.random.default_rng(5)
        for i in range(n):
            ds = netCDF4.Dataset(f"{out}/part{i}.nc", "w", format="NETCDF4")
            ds.title = "collection"
            ds.institution = "test"
            ds.createDimension("time", None)
            ds.createDimension("lat", 10)
            ds.createDimension("lon", 12)
            t = ds.createVariable("time", "f8", ("time",))
            t.units = "hours since 1990-01-01 00:00:00"
            t.calendar = "noleap"
            t.standard_name = "time"
            t[:] = np.arange(steps) * 6 + steps * 6 * i
            la = ds.createVariable("lat", "f4", ("lat",)); la.units = "degrees_north"; la[:] = np.linspace(-45, 45, 10)
            ds.createVariable("lon", "f4", ("lon",))[:] = np.linspace(0, 330, 12)
            v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), fill_value=np.float32(-999), zlib=True, chunksizes=(steps, 5, 6))
            v.units = "K"; v.long_name = "2 m temperature"
            v[:] = (280 + rng.normal(0, 5, (steps, 10, 12))).astype("f4")
            p = ds.createVariable("packed", "i2", ("time", "lat", "lon"), fill_value=np.int16(-32767))
            p.scale_factor = 0.5; p.add_offset = 100.0
            p.set_auto_maskandscale(False)
            p[:] = rng.integers(-1000, 1000, (steps, 10, 12)).astype("i2")
            m = ds.createVariable("orography", "f4", ("lat", "lon"), fill_value=np.float32(-1))
            m[:] = rng.random((10, 12)).astype("f4")
            ds.close()
        """;

    private const string CheckTemplate = """
        import sys, glob, json, numpy as np, xarray as xr
        store, pattern = sys.argv[1], sys.argv[2]
        ours = xr.open_zarr(store)
        ref = xr.open_mfdataset(sorted(glob.glob(pattern)), combine="nested", concat_dim="time",
                                data_vars="minimal", coords="minimal", compat="override")
        out = {"sizes": dict(ours.sizes), "same_sizes": dict(ours.sizes) == dict(ref.sizes),
               "time_equal": bool((ours.time.values == ref.time.values).all()),
               "coords": sorted(ours.coords), "ref_coords": sorted(ref.coords),
               "global_attrs": ours.attrs == ref.attrs}
        for name in ref.data_vars:
            o, r = ours[name], ref[name]
            out[name] = {"dims": list(o.dims) == list(r.dims), "dtype": str(o.dtype) == str(r.dtype),
                         "attrs": o.attrs == r.attrs, "all_fill": bool(o.isnull().all()),
                         "encoding_match": all(o.encoding.get(k) == r.encoding.get(k) for k in ("scale_factor", "add_offset", "units", "calendar"))}
        for name in ("lat", "lon"):
            out[name + "_equal"] = bool((ours[name].values == ref[name].values).all()) and ours[name].attrs == ref[name].attrs
        out["time_attrs"] = ours.time.encoding.get("units") == ref.time.encoding.get("units") and ours.time.encoding.get("calendar") == ref.time.encoding.get("calendar")
        print(json.dumps(out))
        """;

    [Fact]
    public void XarrayOpensTheTemplateWithTheSourcesAxisAttributesAndAllFillData()
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(MakeCollection, src, "4", "8");
        var files = Directory.GetFiles(src, "*.nc").OrderByDescending(f => f, StringComparer.Ordinal).ToArray(); // out of order on purpose
        var dest = dir.Sub("t.zarr");
        var (code, stdout, stderr) = CliRunner.Run(["template", .. files, "--store", dest, "--json"]);
        Assert.True(code == 0, stderr);
        var result = JsonNode.Parse(stdout)!;
        Assert.Equal(32, result["TimeSteps"]!.GetValue<long>());

        var check = JsonNode.Parse(ReferenceTools.RunPython(CheckTemplate, dest, Path.Combine(src, "*.nc")))!;
        Assert.True(check["same_sizes"]!.GetValue<bool>(), check.ToJsonString());
        Assert.True(check["time_equal"]!.GetValue<bool>(), check.ToJsonString());
        Assert.True(check["time_attrs"]!.GetValue<bool>(), check.ToJsonString());
        Assert.True(check["global_attrs"]!.GetValue<bool>(), check.ToJsonString());
        Assert.Equal(check["ref_coords"]!.ToJsonString(), check["coords"]!.ToJsonString());
        Assert.True(check["lat_equal"]!.GetValue<bool>() && check["lon_equal"]!.GetValue<bool>(), check.ToJsonString());
        foreach (var name in new[] { "t2m", "packed", "orography" })
        {
            var v = check[name]!;
            Assert.True(v["dims"]!.GetValue<bool>() && v["dtype"]!.GetValue<bool>() && v["attrs"]!.GetValue<bool>() && v["encoding_match"]!.GetValue<bool>(), name + ": " + v.ToJsonString());
            Assert.True(v["all_fill"]!.GetValue<bool>(), name + " is not all fill: " + v.ToJsonString());
        }

        // metadata only: no data variable has a chunk; the coordinates do
        var store = new FileSystemStore(dest);
        foreach (var name in new[] { "t2m", "packed", "orography" })
        {
            Assert.DoesNotContain(store.List(name + "/"), k => !Path.GetFileName(k).StartsWith('.'));
        }

        Assert.Contains("time/0", store.List("time/"));
        var record = TemplateRecord.Read(store)!;
        Assert.Equal("time", record.TimeDimension);
        Assert.Equal(["lat", "lon", "time"], record.Coordinates.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TimeChunksAlignWithTheSourceFilesAndNeverExceedADimension()
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(MakeCollection, src, "3", "24");
        var dest = dir.Sub("t.zarr");
        var result = CreateTemplate.Run(new CreateTemplate.Request(Directory.GetFiles(src, "*.nc"), dest), new RecordingSink());
        Assert.Equal(72, result.TimeSteps);
        int t = result.Chunks["time"];
        Assert.True(24 % t == 0 || t % 24 == 0, $"time chunk {t} does not align with 24-step files");
        Assert.Equal(10, result.Chunks["lat"]);
        Assert.Equal(12, result.Chunks["lon"]);
        var meta = ZarrHierarchy.Open(new FileSystemStore(dest)).Arrays["t2m"];
        Assert.Equal([t, 10, 12], meta.ChunkShape);
    }

    [Fact]
    public void AStartEndFrequencyAxisIsEncodedLikeTheSourcesAndDecodesToTheRange()
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(MakeCollection, src, "1", "4");
        var dest = dir.Sub("t.zarr");
        var (code, _, stderr) = CliRunner.Run(["template", Path.Combine(src, "part0.nc"), "--store", dest, "--start", "1990-02-27", "--end", "1990-03-02 18:00", "--frequency", "6h", "--chunks", "time=5"]);
        Assert.True(code == 0, stderr);
        var output = ReferenceTools.RunPython("""
            import sys, xarray as xr
            ds = xr.open_zarr(sys.argv[1])
            expect = xr.cftime_range("1990-02-27", "1990-03-02 18:00", freq="6H", calendar="noleap")
            assert list(ds.time.values) == list(expect), (ds.time.values[:5], expect[:5])
            assert ds.time.encoding["units"] == "hours since 1990-01-01 00:00:00", ds.time.encoding
            assert ds.t2m.shape == (len(expect), 10, 12) and ds.t2m.chunks[0][0] == 5
            print("ok", len(expect))
            """, dest);
        Assert.Contains("ok 16", output); // noleap: Feb 27, 28, Mar 1, 2 at four steps a day
    }

    [Fact]
    public void ASpecBuildsAStoreFromScratch()
    {
        using var dir = new TempDir();
        var spec = dir.Sub("spec.json");
        File.WriteAllText(spec, """
            {
              "attributes": { "title": "from scratch", "version": 3 },
              "dimensions": {
                "time": { "start": "2001-01-01", "end": "2001-01-03 21:00", "frequency": "3h", "units": "hours since 2001-01-01", "calendar": "360_day" },
                "lat": { "start": -60, "step": 30, "size": 5, "attributes": { "units": "degrees_north" } },
                "lon": { "values": [0, 90, 180, 270], "dtype": "float32" },
                "member": { "size": 3 }
              },
              "variables": {
                "t2m": { "dtype": "float32", "dims": ["time", "member", "lat", "lon"], "attributes": { "units": "K" } },
                "count": { "dtype": "int32", "dims": ["time", "lat", "lon"], "fill_value": -1 },
                "land": { "dtype": "uint8", "dims": ["lat", "lon"] }
              }
            }
            """);
        var dest = dir.Sub("s.zarr");
        var (code, _, stderr) = CliRunner.Run(["template", spec, "--store", dest, "--chunks", "time=8", "--zarr-format", "3"]);
        Assert.True(code == 0, stderr);
        // zarr-python 2.13 cannot read v3: check through our own reader
        var h = ZarrHierarchy.Open(new FileSystemStore(dest));
        Assert.Equal([24, 3, 5, 4], h.Arrays["t2m"].Shape);
        Assert.Equal(8, h.Arrays["t2m"].ChunkShape[0]);
        Assert.Equal("time,member,lat,lon", string.Join(",", h.Arrays["t2m"].DimensionNames!));
        Assert.Equal("from scratch", h.Groups[""].Attributes["title"]!.GetValue<string>());
        var time = new ZarrArray(new FileSystemStore(dest), "time", h.Arrays["time"]).ReadAll<long>();
        Assert.Equal(Enumerable.Range(0, 24).Select(i => 3L * i), time);
        var lat = new ZarrArray(new FileSystemStore(dest), "lat", h.Arrays["lat"]).ReadAll<double>();
        Assert.Equal([-60.0, -30, 0, 30, 60], lat);
        Assert.Equal("360_day", h.Arrays["time"].Attributes["calendar"]!.GetValue<string>());
        Assert.Equal(-1, h.Arrays["count"].DataType.ReadAsDouble(h.Arrays["count"].FillBytes, 0));
        Assert.False(h.Arrays.ContainsKey("member")); // a dimension with only a size has no coordinate
        Assert.DoesNotContain(new FileSystemStore(dest).List("t2m/"), k => k.Contains("/c/", StringComparison.Ordinal));

        // the same spec as v2, read by xarray: decoded 360_day times, NaN data, the count fill masked
        var v2 = dir.Sub("s2.zarr");
        (code, _, stderr) = CliRunner.Run(["template", spec, "--store", v2]);
        Assert.True(code == 0, stderr);
        var check = ReferenceTools.RunPython("""
            import sys, xarray as xr
            ds = xr.open_zarr(sys.argv[1])
            expect = xr.cftime_range("2001-01-01", "2001-01-03 21:00", freq="3H", calendar="360_day")
            assert list(ds.time.values) == list(expect)
            assert ds.t2m.dims == ("time", "member", "lat", "lon") and str(ds.t2m.dtype) == "float32"
            assert bool(ds.t2m.isnull().all()) and bool(ds["count"].isnull().all())
            assert list(ds.lon.values) == [0, 90, 180, 270] and ds.lat.attrs["units"] == "degrees_north"
            assert ds.attrs == {"title": "from scratch", "version": 3}, ds.attrs
            print("ok", dict(ds.sizes))
            """, v2);
        Assert.Contains("ok", check);
    }

    [Fact]
    public void AppendExtendsTheTimeAxisAndSkipsStepsAlreadyThere()
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(MakeCollection, src, "4", "8");
        var files = Directory.GetFiles(src, "*.nc").Order(StringComparer.Ordinal).ToArray();
        var dest = dir.Sub("t.zarr");
        CreateTemplate.Run(new CreateTemplate.Request(files[..2], dest, Chunks: new Dictionary<string, int> { ["time"] = 8 }), new RecordingSink());
        Assert.Equal(16, ZarrHierarchy.Open(new FileSystemStore(dest)).Arrays["t2m"].Shape[0]);

        // files 1..3: file 1 is already there and is skipped
        var sink = new RecordingSink();
        var result = CreateTemplate.Run(new CreateTemplate.Request(files[1..], dest, Append: true), sink);
        Assert.True(result.Performed && result.Appended);
        Assert.Equal(32, result.TimeSteps);
        Assert.Contains(sink.VerboseMessages, m => m.Contains("8 time step(s) are already", StringComparison.Ordinal));
        var h = ZarrHierarchy.Open(new FileSystemStore(dest));
        Assert.Equal(32, h.Arrays["t2m"].Shape[0]);
        Assert.Equal(32, h.Arrays["packed"].Shape[0]);
        Assert.Equal([10, 12], h.Arrays["orography"].Shape);

        var check = JsonNode.Parse(ReferenceTools.RunPython(CheckTemplate, dest, Path.Combine(src, "*.nc")))!;
        Assert.True(check["time_equal"]!.GetValue<bool>() && check["same_sizes"]!.GetValue<bool>(), check.ToJsonString());

        // appending the same files again changes nothing
        var again = new RecordingSink();
        Assert.False(CreateTemplate.Run(new CreateTemplate.Request(files, dest, Append: true), again).Performed);
        Assert.Contains(again.Warnings, w => w.Contains("Nothing to append", StringComparison.Ordinal));
    }

    [Fact]
    public void BadRequestsFailBeforeAnythingIsWritten()
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(MakeCollection, src, "2", "4");
        var files = Directory.GetFiles(src, "*.nc");
        var dest = dir.Sub("t.zarr");
        var sink = new RecordingSink();

        Assert.Equal("IncompleteTimeRange", Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new(files, dest, Start: "1990-01-01"), sink)).ErrorId);
        Assert.Equal("ForceAndAppend", Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new(files, dest, Force: true, Append: true), sink)).ErrorId);
        Assert.Equal("AppendNeedsStore", Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new(files, dest, Append: true), sink)).ErrorId);
        Assert.Equal("UnknownVariable", Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new(files, dest, Variables: ["nope"]), sink)).ErrorId);
        Assert.Equal("InvalidAccessPattern", Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new(files, dest, AccessPattern: "diagonal"), sink)).ErrorId);
        var intSpec = dir.Sub("int.json");
        File.WriteAllText(intSpec, """{ "dimensions": { "time": { "start": "2000-01-01", "end": "2000-01-02", "frequency": "90min", "units": "hours since 2000-01-01" } }, "variables": {} }""");
        var notWhole = Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new([intSpec], dest), sink));
        Assert.Equal("TimeNotWhole", notWhole.ErrorId);
        Assert.Contains("minutes since", notWhole.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dest));

        // an existing store needs --force; an arbitrary folder is never replaced
        CreateTemplate.Run(new(files, dest), sink);
        Assert.Equal("DestinationExists", Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new(files, dest), sink)).ErrorId);
        var other = dir.Sub("not-a-store");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "notes.txt"), "keep me");
        Assert.Equal("DestinationNotZarr", Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new(files, other, Force: true), sink)).ErrorId);
        Assert.True(File.Exists(Path.Combine(other, "notes.txt")));

        // a spec with an undefined dimension names the problem
        var spec = dir.Sub("bad.json");
        File.WriteAllText(spec, """{ "dimensions": { "x": { "size": 3 } }, "variables": { "v": { "dtype": "float32", "dims": ["y"] } } }""");
        var e = Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new([spec], dir.Sub("s.zarr")), sink));
        Assert.Equal("InvalidSpec", e.ErrorId);
        Assert.Contains("'y'", e.Message, StringComparison.Ordinal);

        // -WhatIf writes nothing
        var whatIf = new RecordingSink { Answer = false };
        Assert.False(CreateTemplate.Run(new(files, dir.Sub("w.zarr")), whatIf).Performed);
        Assert.False(Directory.Exists(dir.Sub("w.zarr")));
        Assert.Single(whatIf.Asked);
    }

    [Fact]
    public void PackedVariablesGetTheirIntegerTypeScaleOffsetAndFillAsXarrayReadsThem()
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(MakeCollection, src, "2", "4");
        var files = Directory.GetFiles(src, "*.nc");
        var dest = dir.Sub("p.zarr");
        var sink = new RecordingSink();
        CreateTemplate.Run(new CreateTemplate.Request(files, dest, Pack: PackSpec.ParseList("t2m=16,orography=8:0:1")), sink);
        Assert.Contains(sink.VerboseMessages, m => m.StartsWith("t2m packed into int16", StringComparison.Ordinal) && m.Contains("from Data", StringComparison.Ordinal));
        Assert.Contains(sink.VerboseMessages, m => m.StartsWith("orography packed into int8", StringComparison.Ordinal) && m.Contains("from User", StringComparison.Ordinal));

        // the range comes from the data (the -999 fill left out): the ends are exactly the data's min and max
        var output = ReferenceTools.RunPython("""
            import sys, glob, json, numpy as np, xarray as xr
            ours = xr.open_zarr(sys.argv[1])
            ref = xr.open_mfdataset(sorted(glob.glob(sys.argv[2])), combine="nested", concat_dim="time")
            e = ours.t2m.encoding
            lo, hi = float(ref.t2m.min()), float(ref.t2m.max())
            sf, ao = e["scale_factor"], e["add_offset"]
            print(json.dumps({"dtype": str(e["dtype"]), "fill": int(e["_FillValue"]), "decoded": str(ours.t2m.dtype),
                              "lo": round((lo - ao) / sf), "hi": round((hi - ao) / sf), "all_nan": bool(ours.t2m.isnull().all()),
                              "oro_dtype": str(ours.orography.encoding["dtype"]), "oro_sf": ours.orography.encoding["scale_factor"]}))
            """, dest, Path.Combine(src, "*.nc"));
        var r = JsonNode.Parse(output)!;
        Assert.Equal("int16", r["dtype"]!.GetValue<string>());
        Assert.Equal(-32768, r["fill"]!.GetValue<int>());
        Assert.Equal("float32", r["decoded"]!.GetValue<string>());
        Assert.Equal(-32767, r["lo"]!.GetValue<int>());
        Assert.Equal(32767, r["hi"]!.GetValue<int>());
        Assert.True(r["all_nan"]!.GetValue<bool>());
        Assert.Equal("int8", r["oro_dtype"]!.GetValue<string>());
        Assert.Equal(1.0 / 254, r["oro_sf"]!.GetValue<double>(), 12);

        // only float data variables can be packed; a spec has no data, so it needs a range
        Assert.Equal("CannotPack", Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new(files, dir.Sub("x.zarr"), Pack: [new PackSpec("lat", 16)]), sink)).ErrorId);
        Assert.Equal("CannotPack", Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new(files, dir.Sub("x.zarr"), Pack: [new PackSpec("packed", 8)]), sink)).ErrorId);
        var spec = dir.Sub("spec.json");
        File.WriteAllText(spec, """{ "dimensions": { "x": { "size": 3 } }, "variables": { "v": { "dtype": "float32", "dims": ["x"] } } }""");
        var e = Assert.Throws<ZarrPartitionException>(() => CreateTemplate.Run(new([spec], dir.Sub("x.zarr"), Pack: [new PackSpec("v", 16)]), sink));
        Assert.Equal("PackingRangeMissing", e.ErrorId);
        Assert.False(Directory.Exists(dir.Sub("x.zarr")));
    }

    [Fact]
    public void AZarrStoreIsAModelToo()
    {
        using var dir = new TempDir();
        var sample = Path.Combine(ReferenceTools.RepositoryRoot, "examples", "data", "sample.zarr");
        var dest = dir.Sub("t.zarr");
        var result = CreateTemplate.Run(new CreateTemplate.Request([sample], dest, ZarrFormat: 3, Chunks: new Dictionary<string, int> { ["time"] = 12 }), new RecordingSink());
        Assert.True(result.Performed);
        var source = ZarrHierarchy.Open(new FileSystemStore(sample));
        var h = ZarrHierarchy.Open(new FileSystemStore(dest));
        Assert.Equal(3, h.ZarrFormat);
        foreach (var (name, meta) in source.Arrays)
        {
            Assert.Equal(meta.Shape, h.Arrays[name].Shape);
            Assert.Equal(meta.DataType, h.Arrays[name].DataType);
            Assert.Equal(string.Join(",", meta.DimensionNames!), string.Join(",", h.Arrays[name].DimensionNames!));
        }

        var store = new FileSystemStore(dest);
        Assert.Equal(new ZarrArray(new FileSystemStore(sample), "time", source.Arrays["time"]).ReadAsDoubles([0], source.Arrays["time"].Shape),
            new ZarrArray(store, "time", h.Arrays["time"]).ReadAsDoubles([0], h.Arrays["time"].Shape));
        Assert.Equal(0, new ZarrArray(store, "t2m", h.Arrays["t2m"]).CountChunksPresent());
    }
}
