using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Zarr;

public class ZarrArrayTests
{
    private static float[] Smooth(int n, int seed = 1)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(i => 250f + 30f * MathF.Sin(i / 50f) + (float)r.NextDouble()).ToArray();
    }

    public static TheoryData<int, string, bool> Formats() => new()
    {
        { 2, "blosc:lz4:5", false },
        { 2, "zlib:1", false },
        { 2, "none", false },
        { 3, "zstd:3", false },
        { 3, "gzip:6", false },
        { 3, "blosc:zstd:3", true },
        { 3, "none", true },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void RoundTripsUnevenArrayThroughEveryLayout(int format, string codec, bool sharded)
    {
        var store = new MemoryStore();
        var shape = new long[] { 23, 17, 11 };
        var chunks = new[] { 5, 4, 3 };
        var meta = ArrayMetadata.Create(format, shape, chunks, ZarrDataType.Float32, FillValueJson.FromDouble(double.NaN, ZarrDataType.Float32),
            CodecSpec.Parse(codec).Build(ZarrDataType.Float32), ["a", "b", "c"], new JsonObject { ["units"] = "K" }, sharded ? [10, 8, 6] : null);
        var array = ZarrArray.Create(store, "v", meta);
        var data = Smooth(23 * 17 * 11);
        array.WriteRegion([0, 0, 0], shape, MemoryMarshal.AsBytes(data.AsSpan()).ToArray());

        var reopened = ZarrArray.Open(store, "v");
        Assert.Equal(data, reopened.ReadAll<float>());
        Assert.Equal(new string?[] { "a", "b", "c" }, reopened.Metadata.DimensionNames!);
        Assert.Equal("K", reopened.Metadata.Attributes["units"]!.GetValue<string>());

        // a sub-region that crosses chunk (and shard) boundaries
        var sub = reopened.Read<float>([3, 2, 1], [12, 9, 7]);
        for (int i = 0; i < 12; i++)
        {
            for (int j = 0; j < 9; j++)
            {
                for (int k = 0; k < 7; k++)
                {
                    Assert.Equal(data[((3 + i) * 17 + 2 + j) * 11 + 1 + k], sub[(i * 9 + j) * 7 + k]);
                }
            }
        }
    }

    [Fact]
    public void MissingChunksReadAsTheFillValueAndEdgeChunksArePaddedWithIt()
    {
        var store = new MemoryStore();
        var meta = ArrayMetadata.Create(2, [10, 10], [4, 4], ZarrDataType.Int16, FillValueJson.FromDouble(-999, ZarrDataType.Int16), null, null, null);
        var array = ZarrArray.Create(store, "x", meta);
        var block = Enumerable.Range(0, 8 * 2).Select(i => (short)i).ToArray();
        array.WriteRegion([8, 0], [2, 8], MemoryMarshal.AsBytes(block.AsSpan()).ToArray());
        var all = array.ReadAll<short>();
        Assert.Equal(-999, all[0]);
        Assert.Equal(0, all[80]);
        Assert.Equal(15, all[97]);
        Assert.Equal(-999, all[99]);

        // the stored edge chunk (2,0) is full size with the fill value past the edge
        var raw = MemoryMarshal.Cast<byte, short>(array.ReadChunk([2, 0]));
        Assert.Equal(16, raw.Length);
        Assert.Equal(1, raw[1]);
        Assert.Equal(-999, raw[8]);
        Assert.Equal(-999, raw[15]);
    }

    [Fact]
    public void PartialChunkWritesAreRefusedBeforeAnythingIsWrittenUnlessAllowed()
    {
        var store = new MemoryStore();
        var array = ZarrArray.Create(store, "x", ArrayMetadata.Create(2, [8, 8], [4, 4], ZarrDataType.UInt8, null, null, null, null));
        int before = store.Count;
        var e = Assert.Throws<ZarrPartitionException>(() => array.WriteRegion([0, 0], [6, 8], new byte[48]));
        Assert.Equal("PartialChunkWrite", e.ErrorId);
        Assert.Equal(before, store.Count);

        array.WriteRegion([0, 0], [8, 8], Enumerable.Repeat((byte)7, 64).ToArray());
        array.WriteRegion([1, 1], [2, 2], Enumerable.Repeat((byte)9, 4).ToArray(), new ExecutionOptions { AllowPartialChunks = true });
        var all = array.ReadAll<byte>();
        Assert.Equal(7, all[0]);
        Assert.Equal(9, all[9]);
        Assert.Equal(9, all[18]);
        Assert.Equal(7, all[19]);
    }

    [Fact]
    public void ZeroDimensionalArraysUseTheirSpecialKeys()
    {
        foreach (var format in new[] { 2, 3 })
        {
            var store = new MemoryStore();
            var array = ZarrArray.Create(store, "s", ArrayMetadata.Create(format, [], [], ZarrDataType.Float64, null, CodecSpec.Parse("zstd:1").Build(ZarrDataType.Float64), [], null));
            array.WriteRegion([], [], BitConverter.GetBytes(3.25));
            Assert.True(store.Exists(format == 2 ? "s/0" : "s/c"));
            Assert.Equal(3.25, ZarrArray.Open(store, "s").ReadAll<double>()[0]);
        }
    }

    [Fact]
    public void ChunkKeysFollowTheKeyEncoding()
    {
        Assert.Equal("1.2.3", ChunkKeyEncoding.V2Dot.Key([1, 2, 3]));
        Assert.Equal("c/1/2/3", ChunkKeyEncoding.V3Default.Key([1, 2, 3]));
        Assert.Equal("c.1.2", new ChunkKeyEncoding(false, '.').Key([1, 2]));
        Assert.Equal("1/2", new ChunkKeyEncoding(true, '/').Key([1, 2]));
    }

    [Fact]
    public void WriteEmptyChunksOffSkipsChunksThatAreAllFill()
    {
        var store = new MemoryStore();
        var array = ZarrArray.Create(store, "x", ArrayMetadata.Create(3, [8], [4], ZarrDataType.Int32, null, null, null, null));
        var data = new int[] { 0, 0, 0, 0, 1, 2, 3, 4 };
        array.WriteRegion([0], [8], MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), new ExecutionOptions { WriteEmptyChunks = false });
        Assert.False(store.Exists("x/c/0"));
        Assert.True(store.Exists("x/c/1"));
        Assert.Equal(data, array.ReadAll<int>());
        Assert.Equal(1, array.CountChunksPresent());
    }

    [Fact]
    public void CancellationStopsBetweenChunksAndLeavesOnlyCompleteChunks()
    {
        var store = new MemoryStore();
        var array = ZarrArray.Create(store, "x", ArrayMetadata.Create(2, [400, 100], [4, 100], ZarrDataType.Float32, null, CodecSpec.Parse("zlib:1").Build(ZarrDataType.Float32), null, null));
        using var cts = new CancellationTokenSource();
        int done = 0;
        var options = new ExecutionOptions
        {
            MaxThreads = 2,
            Cancellation = cts.Token,
            ChunkDone = _ =>
            {
                if (Interlocked.Increment(ref done) == 5)
                {
                    cts.Cancel();
                }
            },
        };
        var data = MemoryMarshal.AsBytes(Smooth(40000).AsSpan()).ToArray();
        Assert.ThrowsAny<OperationCanceledException>(() => array.WriteRegion([0, 0], [400, 100], data, options));
        long present = array.CountChunksPresent();
        Assert.InRange(present, 5, 99);
        foreach (var key in store.List("x/").Where(k => !k.EndsWith(".zarray") && !k.EndsWith(".zattrs")))
        {
            var coords = key["x/".Length..].Split('.').Select(long.Parse).ToArray();
            var chunk = MemoryMarshal.Cast<byte, float>(array.ReadChunk(coords)).ToArray();
            Assert.Equal(MemoryMarshal.Cast<byte, float>(data.AsSpan((int)(coords[0] * 400 * 4), 1600)).ToArray(), chunk);
        }
    }

    [Fact]
    public void FortranOrderChunksAreTransposed()
    {
        // a v2 F-order chunk of shape (2,3): stored column-major
        var store = new MemoryStore();
        store.Set("f/.zarray", """{"zarr_format":2,"shape":[2,3],"chunks":[2,3],"dtype":"<i4","compressor":null,"fill_value":0,"order":"F","filters":null}"""u8);
        var colMajor = new int[] { 1, 4, 2, 5, 3, 6 };
        store.Set("f/0.0", MemoryMarshal.AsBytes(colMajor.AsSpan()));
        Assert.Equal([1, 2, 3, 4, 5, 6], ZarrArray.Open(store, "f").ReadAll<int>());
    }
}
