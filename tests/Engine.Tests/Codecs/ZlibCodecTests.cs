using System.Runtime.InteropServices;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.Codecs;

public class ZlibCodecTests
{
    private static byte[] NoisyFloats(int count)
    {
        var r = new Random(5);
        var v = Enumerable.Range(0, count).Select(i => 280f + 10f * MathF.Sin(i / 500f) + (float)(r.NextDouble() * 0.6)).ToArray();
        return MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
    }

    /// <summary>A random 1,000-byte pattern repeated: long-distance repeats that only LZ matching finds.</summary>
    private static byte[] Repeated(int length)
    {
        var pattern = new byte[1000];
        new Random(6).NextBytes(pattern);
        return Enumerable.Range(0, length).Select(i => pattern[i % pattern.Length]).ToArray();
    }

    [Fact]
    public void LevelOneCodesLiteralsOnlyWhenASampleShowsNoRepeats()
    {
        var codec = new ZlibCodec(1);
        Assert.True(codec.CodesLiteralsOnly(NoisyFloats(1 << 18)));
        Assert.False(codec.CodesLiteralsOnly(Repeated(1 << 19)));
        Assert.False(codec.CodesLiteralsOnly(new byte[1 << 19]));
        Assert.False(codec.CodesLiteralsOnly(NoisyFloats(1000)));
        Assert.False(new ZlibCodec(5).CodesLiteralsOnly(NoisyFloats(1 << 18)));
        Assert.False(new ZlibCodec(1, gzip: true).CodesLiteralsOnly(NoisyFloats(1 << 18)));

        // literal coding must not grow noisy floats the way zlib-ng's level-1 default does, and the
        // repeated pattern must still get LZ matching's ratio
        var noisy = NoisyFloats(1 << 18);
        Assert.True(codec.Encode(noisy).Length < noisy.Length * 0.9);
        var repeated = Repeated(1 << 19);
        Assert.True(codec.Encode(repeated).Length < repeated.Length / 20);
    }

    [Fact]
    public void SpanEncodingEqualsArrayEncoding()
    {
        var codec = new ZlibCodec(1);
        foreach (var input in new[] { NoisyFloats(1 << 18), Repeated(1 << 19), NoisyFloats(100), Array.Empty<byte>() })
        {
            var dst = new byte[codec.MaxEncodedLength(input.Length)];
            int n = codec.Encode(input, dst);
            Assert.Equal(codec.Encode(input), dst[..n]);
            Assert.Equal(input, codec.Decode(dst.AsSpan(0, n)));
        }

        var gzip = new ZlibCodec(1, gzip: true);
        Assert.Empty(gzip.Decode(gzip.Encode([])));
        Assert.Throws<CodecException>(() => codec.Decode([]));
    }

    [Fact]
    public void PythonsZlibInflatesWhatEveryStrategyWrites()
    {
        using var dir = new TempDir();
        var inputs = new[] { NoisyFloats(1 << 18), Repeated(1 << 19), new byte[300_000], NoisyFloats(10), Array.Empty<byte>() };
        for (int i = 0; i < inputs.Length; i++)
        {
            File.WriteAllBytes(dir.Sub($"{i}.raw"), inputs[i]);
            File.WriteAllBytes(dir.Sub($"{i}.z"), new ZlibCodec(1).Encode(inputs[i]));
            File.WriteAllBytes(dir.Sub($"{i}.gz"), new ZlibCodec(1, gzip: true).Encode(inputs[i]));
            Assert.Equal(inputs[i], new ZlibCodec(1).Decode(File.ReadAllBytes(dir.Sub($"{i}.z"))));
        }

        var output = ReferenceTools.RunPython("""
            import gzip, sys, zlib
            d, n = sys.argv[1], int(sys.argv[2])
            for i in range(n):
                raw = open(f"{d}/{i}.raw", "rb").read()
                assert zlib.decompress(open(f"{d}/{i}.z", "rb").read()) == raw, i
                assert gzip.decompress(open(f"{d}/{i}.gz", "rb").read()) == raw, i
            print("ok", n)
            """, dir.Path, inputs.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("ok 5", output);
    }

    [Fact]
    public void ZarrPythonReadsLargeZlibChunksOfEveryKind()
    {
        // chunks of 512 KiB: noisy floats (literal coding), a repeated pattern and zeros (zlib-ng), random bits (stored blocks)
        using var dir = new TempDir();
        const int Row = 131072;
        var rows = new[]
        {
            NoisyFloats(Row),
            Repeated(Row * 4),
            new byte[Row * 4],
            Enumerable.Range(0, Row * 4).Select(i => (byte)(i * 2654435761u >> 24)).ToArray(),
        };
        var bytes = rows.SelectMany(r => r).ToArray();
        var store = new ZarrPartition.Engine.Storage.FileSystemStore(dir.Sub("z.zarr"), create: true);
        var meta = ZarrPartition.Engine.Zarr.ArrayMetadata.Create(2, [rows.Length, Row], [1, Row], ZarrPartition.Engine.Zarr.ZarrDataType.Float32, null,
            CodecSpec.Parse("zlib:1").Build(ZarrPartition.Engine.Zarr.ZarrDataType.Float32), null, null);
        ZarrPartition.Engine.Zarr.ZarrArray.Create(store, "", meta).WriteRegion([0, 0], [rows.Length, Row], bytes);
        Assert.True(new ZlibCodec(1).CodesLiteralsOnly(rows[0]));
        Assert.False(new ZlibCodec(1).CodesLiteralsOnly(rows[1]));
        File.WriteAllBytes(dir.Sub("expected.bin"), bytes);
        var output = ReferenceTools.RunPython("""
            import sys, numpy as np, zarr
            d = sys.argv[1]
            z = zarr.open(d + "/z.zarr", mode="r")
            expected = np.fromfile(d + "/expected.bin", dtype="<f4").reshape(z.shape)
            assert z.compressor.codec_id == "zlib", z.compressor
            assert np.array_equal(z[:].view("<u4"), expected.view("<u4"))
            print("ok", z.nchunks_initialized)
            """, dir.Path);
        Assert.Contains("ok 4", output);
    }

    [Fact]
    public void CorruptStreamsAreCodecErrors()
    {
        var good = new ZlibCodec(1).Encode(NoisyFloats(1 << 16));
        var r = new Random(9);
        int failures = 0;
        for (int i = 0; i < 300; i++)
        {
            var bad = i % 2 == 0 ? good[..r.Next(good.Length)] : Flip(good, r);
            try
            {
                new ZlibCodec(1).Decode(bad);
            }
            catch (CodecException)
            {
                failures++;
            }
        }

        Assert.True(failures > 100, $"only {failures} of 300 corruptions were detected");
    }

    private static byte[] Flip(byte[] src, Random r)
    {
        var b = (byte[])src.Clone();
        b[r.Next(b.Length)] ^= (byte)(1 << r.Next(8));
        return b;
    }
}
