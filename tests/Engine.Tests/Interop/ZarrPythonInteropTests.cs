using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Interop;

/// <summary>Both directions against Debian's zarr-python 2.13 and numcodecs 0.11.</summary>
public class ZarrPythonInteropTests : IClassFixture<ZarrPythonFixture>
{
    private readonly ZarrPythonFixture _fx;

    public ZarrPythonInteropTests(ZarrPythonFixture fx) => _fx = fx;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadsEveryStoreZarrPythonWrites(bool consolidated)
    {
        var h = ZarrHierarchy.Open(new FileSystemStore(_fx.StorePath), consolidated);
        Assert.Equal(consolidated, h.Consolidated);
        Assert.True(_fx.Manifest.Count > 50, "the fixture script made too few cases");
        var failures = new StringBuilder();
        foreach (var (name, dtype) in _fx.Manifest)
        {
            try
            {
                var array = h.OpenArray(name);
                var actual = array.ReadRegion(new long[array.Metadata.Rank], array.Metadata.Shape);
                var expected = _fx.Expected(name);
                if (!actual.AsSpan().SequenceEqual(expected))
                {
                    failures.AppendLine($"{name} ({dtype}): values differ");
                }

                if (name != "nan_fill_f4" && name != "int_fill_i2" && array.Metadata.Attributes["case"]?.GetValue<string>() != name)
                {
                    failures.AppendLine($"{name}: attribute 'case' lost");
                }
            }
            catch (Exception e)
            {
                failures.AppendLine($"{name} ({dtype}): {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public void DimensionNamesAndFillValuesComeThrough()
    {
        var h = ZarrHierarchy.Open(new FileSystemStore(_fx.StorePath));
        var nan = h.Arrays["nan_fill_f4"];
        Assert.True(float.IsNaN(BitConverter.ToSingle(nan.FillValue!)));
        Assert.Equal(-999, BitConverter.ToInt16(h.Arrays["int_fill_i2"].FillValue!));
        Assert.Equal(new string?[] { "d0", "d1", "d2" }, h.Arrays["default_f4"].DimensionNames!);
        Assert.True(h.Arrays["dtype_be_f8"].DataType.BigEndian);
        Assert.True(h.Arrays["order_f_f4"].FortranOrder);
        Assert.Equal('/', h.Arrays["slash_sep_f4"].KeyEncoding.Separator);
    }

    public static TheoryData<string, string> WriteCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var codec in new[] { "blosc:lz4:5", "blosc:zstd:3", "blosc:zlib:1", "blosc:lz4:5:noshuffle", "zstd:3", "zlib:1", "gzip:6", "lz4", "none" })
        {
            foreach (var dtype in new[] { "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bool" })
            {
                data.Add(codec, dtype);
            }
        }

        return data;
    }

    [Fact]
    public void ZarrPythonReadsEveryV2StoreWeWrite()
    {
        using var dir = new TempDir();
        var storePath = dir.Sub("ours.zarr");
        var store = new FileSystemStore(storePath, create: true);
        ZarrHierarchy.CreateGroup(store, "", new GroupMetadata(2, new JsonObject { ["title"] = "written by ZarrPartition" }));
        var expectedDir = dir.Sub("expected");
        Directory.CreateDirectory(expectedDir);
        var r = new Random(3);
        var cases = new JsonArray();
        int n = 0;
        foreach (var row in WriteCases())
        {
            var codec = (string)row[0];
            var dtype = ZarrDataType.ParseV3((string)row[1], "test");
            var name = $"a{n++}";
            var shape = new long[] { 23, 9, 7 };
            var bytes = new byte[23 * 9 * 7 * dtype.Size];
            r.NextBytes(bytes);
            if (dtype.Kind == DataTypeKind.Float)
            {
                // smooth values, a few NaNs
                for (int i = 0; i < bytes.Length / dtype.Size; i++)
                {
                    double v = i % 97 == 0 ? double.NaN : 280 + Math.Sin(i / 30.0) * 20;
                    if (dtype.Size == 4)
                    {
                        BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), (float)v);
                    }
                    else
                    {
                        BitConverter.TryWriteBytes(bytes.AsSpan(i * 8), v);
                    }
                }
            }
            else if (dtype.Kind == DataTypeKind.Bool)
            {
                for (int i = 0; i < bytes.Length; i++)
                {
                    bytes[i] &= 1;
                }
            }

            var fill = dtype.Kind == DataTypeKind.Float ? FillValueJson.FromDouble(double.NaN, dtype) : dtype.Kind == DataTypeKind.Bool ? null : FillValueJson.FromDouble(7, dtype);
            var array = ZarrArray.Create(store, name, ArrayMetadata.Create(2, shape, [10, 4, 7], dtype, fill, CodecSpec.Parse(codec).Build(dtype), ["time", "lat", "lon"], new JsonObject { ["codec"] = codec }));
            array.WriteRegion([0, 0, 0], shape, bytes);
            File.WriteAllBytes(Path.Combine(expectedDir, name + ".bin"), bytes);
            cases.Add(new JsonObject { ["name"] = name, ["dtype"] = dtype.V2TypeString, ["codec"] = codec });
        }

        ZarrHierarchy.Consolidate(store);
        File.WriteAllText(dir.Sub("cases.json"), cases.ToJsonString());
        var output = ReferenceTools.RunPython("""
            import json, sys, numpy as np, zarr
            store, expected, cases = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
            root = zarr.open_consolidated(store, mode="r")
            bad = []
            assert root.attrs["title"] == "written by ZarrPartition"
            for c in cases:
                a = root[c["name"]]
                want = np.fromfile(f"{expected}/{c['name']}.bin", dtype=np.dtype(c["dtype"])).reshape(a.shape)
                got = a[...]
                same = np.array_equal(got, want, equal_nan=True) if got.dtype.kind == "f" else np.array_equal(got, want)
                if not same or a.attrs["_ARRAY_DIMENSIONS"] != ["time", "lat", "lon"] or a.attrs["codec"] != c["codec"]:
                    bad.append(c["name"] + " " + c["codec"] + " " + c["dtype"])
            print(len(cases), "checked;", "BAD: " + ", ".join(bad) if bad else "all equal")
            sys.exit(1 if bad else 0)
            """, storePath, expectedDir, dir.Sub("cases.json"));
        Assert.Contains("all equal", output);
    }
}
