using System.Runtime.InteropServices;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Zarr;

/// <summary>Truncated, corrupted and wrongly sized chunks: always a ChunkException naming the array and key.</summary>
public class BadChunkTests
{
    public static TheoryData<int, string, bool> Layouts() => new()
    {
        { 2, "blosc:lz4:5", false },
        { 2, "blosc:zstd:3", false },
        { 2, "blosc:zlib:1", false },
        { 2, "zlib:1", false },
        { 2, "gzip:6", false },
        { 2, "zstd:3", false },
        { 2, "lz4", false },
        { 2, "none", false },
        { 3, "zstd:1", true },
        { 3, "blosc:lz4:5", true },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void CorruptedChunksRaiseChunkExceptionsAndNothingElse(int format, string codec, bool sharded)
    {
        var store = new MemoryStore();
        var meta = ArrayMetadata.Create(format, [64, 64], [32, 32], ZarrDataType.Float32, null, CodecSpec.Parse(codec).Build(ZarrDataType.Float32), null, null, sharded ? [64, 64] : null);
        var array = ZarrArray.Create(store, "t2m", meta);
        var r = new Random(7);
        var data = Enumerable.Range(0, 64 * 64).Select(i => 280f + MathF.Sin(i / 40f) * 10 + (float)r.NextDouble()).ToArray();
        array.WriteRegion([0, 0], [64, 64], MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        var key = array.ChunkKey([0, 0]);
        var good = store.Get(key)!;
        int failures = 0;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        for (int trial = 0; trial < 400 && DateTime.UtcNow < deadline; trial++)
        {
            byte[] bad = (trial % 4) switch
            {
                0 => good[..r.Next(0, good.Length)],                          // truncated
                1 => Flip(good, r),                                            // bit flips
                2 => [.. good, .. new byte[r.Next(1, 64)]],                    // trailing bytes
                _ => Flip(good[..Math.Max(1, good.Length - r.Next(1, 9))], r), // both
            };
            store.Set(key, bad);
            try
            {
                array.ReadChunk([0, 0]);
            }
            catch (ChunkException e)
            {
                failures++;
                Assert.Equal("t2m", e.ArrayPath);
                Assert.Equal(key, e.Key);
                Assert.Contains("t2m", e.Message);
                Assert.Contains(key, e.Message);
            }
        }

        // truncation by definition breaks every format but "none" (which checks the size)
        Assert.True(failures > 0, "no corrupted chunk was detected");
    }

    [Fact]
    public void AChunkOfTheWrongSizeIsNamed()
    {
        var store = new MemoryStore();
        var array = ZarrArray.Create(store, "v", ArrayMetadata.Create(2, [10], [10], ZarrDataType.Int32, null, null, null, null));
        store.Set("v/0", new byte[12]);
        var e = Assert.Throws<ChunkException>(() => array.ReadAll<int>());
        Assert.Equal("ChunkDecodeFailed", e.ErrorId);
        Assert.Contains("v/0", e.Message);
        Assert.Contains("40", e.Message);
    }

    private static byte[] Flip(byte[] src, Random r)
    {
        var b = (byte[])src.Clone();
        for (int i = 0, n = r.Next(1, 6); i < n && b.Length > 0; i++)
        {
            b[r.Next(b.Length)] ^= (byte)(1 << r.Next(8));
        }

        return b;
    }
}
