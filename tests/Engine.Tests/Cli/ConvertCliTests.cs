using System.Text;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Tests.Interop;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Cli;

/// <summary>
/// `zarrpartition convert` on every zarr-python fixture, to v2, v3 and sharded v3, read back equal by
/// zarr-python (v2) and zarrita (v3), in separate processes.
/// </summary>
public class ConvertCliTests : IClassFixture<ZarrPythonFixture>
{
    private readonly ZarrPythonFixture _fx;

    public ConvertCliTests(ZarrPythonFixture fx) => _fx = fx;

    [Fact]
    public void ConvertsToV2AndZarrPythonReadsItEqual()
    {
        using var dir = new TempDir();
        var dest = dir.Sub("v2.zarr");
        var (code, stdout, stderr) = CliRunner.Run("convert", _fx.StorePath, "--store", dest, "--zarr-format", "2", "--codec", "zlib:1", "--chunks", "d0=7");
        Assert.True(code == 0, stderr);
        Assert.Contains("Wrote", stdout);
        var names = _fx.Manifest.Select(m => m.Name).ToList();
        File.WriteAllText(dir.Sub("names.json"), new JsonArray(names.Select(n => (JsonNode)n).ToArray()).ToJsonString());
        var expectedDir = Path.GetDirectoryName(_fx.StorePath)! + "/expected";
        var output = ReferenceTools.RunPython("""
            import json, sys, numpy as np, zarr
            store, expected, names = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
            root = zarr.open_consolidated(store, mode="r")
            bad = []
            for n in names:
                a = root[n]
                want = np.fromfile(f"{expected}/{n}.bin", dtype=a.dtype.newbyteorder("<")).reshape(a.shape)
                got = a[...]
                ok = np.array_equal(got, want, equal_nan=True) if got.dtype.kind == "f" else np.array_equal(got, want)
                if a.ndim and a.attrs.get("_ARRAY_DIMENSIONS", ["d0"])[0] != "d0":
                    ok = False
                if "_ARRAY_DIMENSIONS" in a.attrs and a.ndim and a.shape[0] > 7 and a.chunks[0] != 7:
                    ok = False
                if a.compressor is not None and a.compressor.codec_id != "zlib":
                    ok = False
                if not ok:
                    bad.append(n)
            print(len(names), "checked;", "BAD: " + ", ".join(bad) if bad else "all equal")
            sys.exit(1 if bad else 0)
            """, dest, expectedDir, dir.Sub("names.json"));
        Assert.Contains("all equal", output);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConvertsToV3AndZarritaReadsItEqual(bool sharded)
    {
        using var dir = new TempDir();
        var dest = dir.Sub("v3.zarr");
        string[] args = sharded
            ? ["convert", _fx.StorePath, "--store", dest, "--zarr-format", "3", "--chunks", "d0=4,d1=4", "--shards", "d0=8,d1=12", "--codec", "blosc:zstd:3"]
            : ["convert", _fx.StorePath, "--store", dest, "--zarr-format", "3"];
        var (code, _, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, stderr);

        var ours = ZarrHierarchy.Open(new FileSystemStore(dest));
        Assert.Equal(3, ours.ZarrFormat);
        Assert.True(ours.Consolidated);
        if (sharded)
        {
            Assert.NotNull(ours.Arrays["default_f4"].Sharding);
        }

        // zarrita 0.7.5 has no fixed-length byte strings and fails on arrays with a zero-length
        // dimension ("Input contains an empty iterator"); our own reader checks those two
        var names = _fx.Manifest
            .Where(m => !m.DType.StartsWith("|S", StringComparison.Ordinal) && ours.Arrays[m.Name].Shape.All(s => s > 0))
            .Select(m => m.Name)
            .ToArray();
        var outDir = dir.Sub("zarrita");
        Directory.CreateDirectory(outDir);
        var lines = ReferenceTools.RunNode("read.mjs", [dest, outDir, .. names]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(names.Length, lines.Length);
        var failures = new StringBuilder();
        foreach (var (name, _) in _fx.Manifest)
        {
            var expected = _fx.Expected(name);
            var mine = ours.OpenArray(name);
            if (!mine.ReadRegion(new long[mine.Metadata.Rank], mine.Metadata.Shape).AsSpan().SequenceEqual(expected))
            {
                failures.AppendLine($"{name}: our reader differs");
            }

            if (names.Contains(name) && !File.ReadAllBytes(Path.Combine(outDir, name + ".bin")).AsSpan().SequenceEqual(expected))
            {
                failures.AppendLine($"{name}: zarrita reads different values");
            }
        }

        var meta = JsonNode.Parse(lines[0])!;
        Assert.Equal("d0", meta["dims"]![0]!.GetValue<string>());
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Fact]
    public void ExistingDestinationsAreRefusedWithoutForceAndArbitraryFoldersAlways()
    {
        using var dir = new TempDir();
        var dest = dir.Sub("out.zarr");
        Directory.CreateDirectory(dest);
        File.WriteAllText(Path.Combine(dest, "precious.txt"), "keep me");
        var (code, _, stderr) = CliRunner.Run("convert", _fx.StorePath, "--store", dest);
        Assert.Equal(2, code);
        Assert.Contains("DestinationExists", stderr);
        (code, _, stderr) = CliRunner.Run("convert", _fx.StorePath, "--store", dest, "--force");
        Assert.NotEqual(0, code);
        Assert.Contains("DestinationNotZarr", stderr);
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(dest, "precious.txt")));

        var zarrDest = dir.Sub("z.zarr");
        Assert.Equal(0, CliRunner.Run("convert", _fx.StorePath, "--store", zarrDest, "--codec", "none").ExitCode);
        (code, _, stderr) = CliRunner.Run("convert", _fx.StorePath, "--store", zarrDest, "--force", "--zarr-format", "3");
        Assert.True(code == 0, stderr);
        Assert.Equal(3, ZarrHierarchy.Open(new FileSystemStore(zarrDest)).ZarrFormat);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(dir.Path), p => Path.GetFileName(p).StartsWith('.'));
    }

    [Fact]
    public void BadArgumentsFailBeforeAnythingIsWritten()
    {
        using var dir = new TempDir();
        var dest = dir.Sub("never.zarr");
        foreach (var args in new[]
        {
            new[] { "--codec", "snappy:3" },
            ["--chunks", "tiem=4"],
            ["--chunks", "d0=-1"],
            ["--shards", "d0=8"],
            ["--zarr-format", "4"],
        })
        {
            var (code, _, stderr) = CliRunner.Run(["convert", _fx.StorePath, "--store", dest, .. args]);
            Assert.True(code != 0, string.Join(' ', args));
            Assert.Contains("error [", stderr);
            Assert.False(Directory.Exists(dest), string.Join(' ', args));
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void InfoDescribesTheStoreAsTextAndJson()
    {
        var (code, text, _) = CliRunner.Run("info", _fx.StorePath);
        Assert.Equal(0, code);
        Assert.Contains("Zarr v2 store", text);
        Assert.Contains("blosc_zstd_bit_f4 (d0, d1): <f4 [50, 70]", text);
        (code, var json, _) = CliRunner.Run("info", _fx.StorePath, "--json");
        Assert.Equal(0, code);
        var doc = JsonNode.Parse(json)!;
        var arr = doc["arrays"]!.AsArray().First(a => a!["path"]!.GetValue<string>() == "nan_fill_f4")!;
        Assert.Equal("NaN", arr["fillValue"]!.GetValue<string>());
        Assert.Equal(9, arr["chunkCount"]!.GetValue<long>());
        Assert.Equal(2, arr["chunksPresent"]!.GetValue<long>());
    }
}
