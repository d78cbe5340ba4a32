using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Tests.Cli;
using ZarrPartition.Engine.Tests.Interop;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Operations;

/// <summary>
/// NetCDF collections converted by the CLI (a separate process) and compared with xarray: our store
/// through open_zarr against the sources through open_mfdataset — decoded values, attributes, times.
/// </summary>
public class ConvertSourcesTests
{
    private const string MakeCollection = """
        import sys, netCDF4, numpy as np
        out, fmt, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
        rng = np.random.default_rng(11)
        for i in range(n):
            ds = netCDF4.Dataset(f"{out}/part{i}.nc", "w", format=fmt)
            ds.title = "collection"
            ds.createDimension("time", None)
            ds.createDimension("lat", 10)
            ds.createDimension("lon", 12)
            ds.createDimension("nchar", 4)
            t = ds.createVariable("time", "f8", ("time",))
            t.units = "days since 1990-01-01"
            t.calendar = "noleap"
            t[:] = np.arange(6) + 6 * i
            ds.createVariable("lat", "f4", ("lat",))[:] = np.linspace(-45, 45, 10)
            ds.createVariable("lon", "f4", ("lon",))[:] = np.linspace(0, 330, 12)
            kw = {"zlib": True, "shuffle": True, "chunksizes": (3, 5, 6)} if fmt.startswith("NETCDF4") else {}
            v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), fill_value=np.float32(-999), **kw)
            v.units = "K"
            data = (280 + rng.normal(0, 5, (6, 10, 12))).astype("f4")
            data[0, 0, 0] = -999
            v[:] = data
            p = ds.createVariable("packed", "i2", ("time", "lat", "lon"), fill_value=np.int16(-32767), **kw)
            p.scale_factor = 0.5
            p.add_offset = 100.0
            p.set_auto_maskandscale(False)
            p[:] = rng.integers(-1000, 1000, (6, 10, 12)).astype("i2")
            ds.createVariable("mask", "i1", ("lat", "lon"))[:] = rng.integers(0, 2, (10, 12)).astype("i1")
            st = ds.createVariable("station", "S1", ("lat", "nchar"))
            st[:] = netCDF4.stringtochar(np.array([f"s{k:03d}" for k in range(10)], dtype="S4"))
            ds.close()
        print("made", n)
        """;

    private const string Compare = """
        import sys, glob, xarray as xr
        store, pattern = sys.argv[1], sys.argv[2]
        ours = xr.open_zarr(store).load()
        ref = xr.open_mfdataset(sorted(glob.glob(pattern)), combine="nested", concat_dim="time",
                                data_vars="minimal", coords="minimal", compat="override").load()
        xr.testing.assert_identical(ours, ref)
        print("identical", dict(ours.sizes), str(ours.time.values[0]), str(ours.time.values[-1]))
        """;

    [Theory]
    [InlineData("NETCDF4")]
    [InlineData("NETCDF4_CLASSIC")]
    [InlineData("NETCDF3_CLASSIC")]
    [InlineData("NETCDF3_64BIT_OFFSET")]
    [InlineData("NETCDF3_64BIT_DATA")]
    public void XarrayReadsTheConvertedCollectionEqualToTheSources(string format)
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(MakeCollection, src, format, "4");
        var files = Directory.GetFiles(src, "*.nc").OrderByDescending(f => f, StringComparer.Ordinal).ToArray(); // out of order on purpose
        var dest = dir.Sub("out.zarr");
        var (code, _, stderr) = CliRunner.Run(["convert", .. files, "--store", dest, "--chunks", "time=4"]);
        Assert.True(code == 0, stderr);
        var output = ReferenceTools.RunPython(Compare, dest, Path.Combine(src, "*.nc"));
        Assert.Contains("identical", output);
        Assert.Contains("'time': 24", output);
    }

    [Fact]
    public void AV3ShardedConversionHoldsTheSameValuesAsTheV2OneXarrayChecked()
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(MakeCollection, src, "NETCDF4", "3");
        var files = Directory.GetFiles(src, "*.nc");
        var v2 = dir.Sub("v2.zarr");
        var v3 = dir.Sub("v3.zarr");
        Assert.Equal(0, CliRunner.Run(["convert", .. files, "--store", v2]).ExitCode);
        Assert.Contains("identical", ReferenceTools.RunPython(Compare, v2, Path.Combine(src, "*.nc")));
        var (code, _, stderr) = CliRunner.Run(["convert", .. files, "--store", v3, "--zarr-format", "3", "--chunks", "time=2", "--shards", "time=6", "--codec", "zstd:3"]);
        Assert.True(code == 0, stderr);
        var a = ZarrHierarchy.Open(new FileSystemStore(v2));
        var b = ZarrHierarchy.Open(new FileSystemStore(v3));
        Assert.Equal(a.Arrays.Keys, b.Arrays.Keys);
        Assert.NotNull(b.Arrays["t2m"].Sharding);
        foreach (var name in a.Arrays.Keys)
        {
            var x = a.OpenArray(name);
            var y = b.OpenArray(name);
            Assert.Equal(x.Metadata.Shape, y.Metadata.Shape);
            Assert.Equal(x.Metadata.DimensionNames, y.Metadata.DimensionNames);
            Assert.True(x.ReadRegion(new long[x.Metadata.Rank], x.Metadata.Shape).AsSpan().SequenceEqual(y.ReadRegion(new long[y.Metadata.Rank], y.Metadata.Shape)), name);
        }

        // v3 keeps the CF _FillValue among the attributes, where newer xarray looks for it: floats as
        // base64 of the little-endian float64, integers as numbers
        Assert.Equal(-999.0, BitConverter.ToDouble(Convert.FromBase64String(b.Arrays["t2m"].Attributes["_FillValue"]!.GetValue<string>())));
        Assert.Equal(-32767, b.Arrays["packed"].Attributes["_FillValue"]!.GetValue<long>());
    }

    [Fact]
    public void SourcesThatDisagreeAreAnErrorNamingTheFileBeforeAnythingIsWritten()
    {
        using var dir = new TempDir();
        var src = dir.Sub("src");
        Directory.CreateDirectory(src);
        ReferenceTools.RunPython(MakeCollection, src, "NETCDF4", "3");
        ReferenceTools.RunPython("""
            import sys, netCDF4
            ds = netCDF4.Dataset(sys.argv[1], "w", format="NETCDF4")
            ds.createDimension("time", None); ds.createDimension("lat", 11); ds.createDimension("lon", 12); ds.createDimension("nchar", 4)
            for name, dims, t in [("time", ("time",), "f8"), ("lat", ("lat",), "f4"), ("lon", ("lon",), "f4"), ("t2m", ("time", "lat", "lon"), "f4"),
                                  ("packed", ("time", "lat", "lon"), "i2"), ("mask", ("lat", "lon"), "i1"), ("station", ("lat", "nchar"), "S1")]:
                v = ds.createVariable(name, t, dims)
            ds["time"].units = "days since 1990-01-01"
            ds["time"][:] = [100.0]
            ds.close()
            """, Path.Combine(src, "odd.nc"));
        var dest = dir.Sub("out.zarr");
        var (code, _, stderr) = CliRunner.Run(["convert", .. Directory.GetFiles(src, "*.nc"), "--store", dest]);
        Assert.NotEqual(0, code);
        Assert.Contains("SourcesDisagree", stderr);
        Assert.Contains("odd.nc", stderr);
        Assert.Contains("lat", stderr);
        Assert.False(Directory.Exists(dest));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir.Path), p => Path.GetFileName(p).StartsWith('.'));
    }

    [Fact]
    public void InfoDescribesANetCdfFileAsNcdumpDoes()
    {
        using var dir = new TempDir();
        ReferenceTools.RunPython(MakeCollection, dir.Path, "NETCDF4", "1");
        var (code, text, stderr) = CliRunner.Run("info", Path.Combine(dir.Path, "part0.nc"));
        Assert.True(code == 0, stderr);
        Assert.Contains("time = UNLIMITED ; // (6 currently)", text);
        Assert.Contains("float t2m(time, lat, lon) ;", text);
        Assert.Contains("t2m:_ChunkSizes = 3, 5, 6 ;", text);
        Assert.Contains("NETCDF4", text);
        (code, var json, _) = CliRunner.Run("info", Path.Combine(dir.Path, "part0.nc"), "--json");
        Assert.Equal(0, code);
        var doc = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var t2m = doc["root"]!["variables"]!.AsArray().First(v => v!["name"]!.GetValue<string>() == "t2m")!;
        Assert.Equal(-999, t2m["attributes"]!["_FillValue"]!.GetValue<double>());
        Assert.Contains("deflate", t2m["filters"]!.ToJsonString());
    }
}
