using System.Runtime.InteropServices;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Zarr;

public class NdCopyTests
{
    [Fact]
    public void CopyRegionMatchesANaiveCopyForRandomBoxes()
    {
        var r = new Random(11);
        for (int trial = 0; trial < 300; trial++)
        {
            int rank = r.Next(1, 5);
            var srcShape = Enumerable.Range(0, rank).Select(_ => r.Next(1, 7)).ToArray();
            var dstShape = Enumerable.Range(0, rank).Select(_ => r.Next(1, 7)).ToArray();
            var box = Enumerable.Range(0, rank).Select(d => r.Next(0, Math.Min(srcShape[d], dstShape[d]) + 1)).ToArray();
            var srcStart = Enumerable.Range(0, rank).Select(d => (long)r.Next(0, srcShape[d] - box[d] + 1)).ToArray();
            var dstStart = Enumerable.Range(0, rank).Select(d => (long)r.Next(0, dstShape[d] - box[d] + 1)).ToArray();
            var src = Enumerable.Range(0, srcShape.Aggregate(1, (a, b) => a * b)).ToArray();
            var dst = new int[dstShape.Aggregate(1, (a, b) => a * b)];
            var expected = (int[])dst.Clone();
            foreach (var idx in ChunkGrid.Enumerate(new long[rank], box.Select(b => (long)b).ToArray()))
            {
                long s = 0, t = 0;
                for (int d = 0; d < rank; d++)
                {
                    s = s * srcShape[d] + srcStart[d] + idx[d];
                    t = t * dstShape[d] + dstStart[d] + idx[d];
                }

                expected[t] = src[s];
            }

            NdCopy.CopyRegion(MemoryMarshal.AsBytes(src.AsSpan()), srcShape, srcStart, MemoryMarshal.AsBytes(dst.AsSpan()), dstShape, dstStart, box, 4);
            Assert.Equal(expected, dst);
        }
    }

    [Fact]
    public void FillRegionMatchesANaiveFillForRandomBoxes()
    {
        var r = new Random(12);
        for (int trial = 0; trial < 300; trial++)
        {
            int rank = r.Next(1, 5);
            var dstShape = Enumerable.Range(0, rank).Select(_ => r.Next(1, 7)).ToArray();
            var box = Enumerable.Range(0, rank).Select(d => r.Next(0, dstShape[d] + 1)).ToArray();
            var dstStart = Enumerable.Range(0, rank).Select(d => (long)r.Next(0, dstShape[d] - box[d] + 1)).ToArray();
            var dst = Enumerable.Range(0, dstShape.Aggregate(1, (a, b) => a * b)).ToArray();
            var expected = (int[])dst.Clone();
            foreach (var idx in ChunkGrid.Enumerate(new long[rank], box.Select(b => (long)b).ToArray()))
            {
                long t = 0;
                for (int d = 0; d < rank; d++)
                {
                    t = t * dstShape[d] + dstStart[d] + idx[d];
                }

                expected[t] = -7;
            }

            NdCopy.FillRegion(MemoryMarshal.AsBytes(dst.AsSpan()), dstShape, dstStart, box, BitConverter.GetBytes(-7));
            Assert.Equal(expected, dst);
        }
    }

    [Fact]
    public void ContiguousOffsetFindsRunsAndRejectsStridedBoxes()
    {
        Assert.Equal(4L * (2 * 6 * 5), NdCopy.ContiguousOffset(new long[] { 4, 6, 5 }, new long[] { 2, 0, 0 }, new long[] { 1, 6, 5 }, 4));
        Assert.Equal(4L * (1 * 6 * 5 + 3 * 5), NdCopy.ContiguousOffset(new long[] { 4, 6, 5 }, new long[] { 1, 3, 0 }, new long[] { 1, 2, 5 }, 4));
        Assert.Equal(4L * 30, NdCopy.ContiguousOffset(new long[] { 4, 6, 5 }, new long[] { 1, 0, 0 }, new long[] { 2, 6, 5 }, 4));
        Assert.Null(NdCopy.ContiguousOffset(new long[] { 4, 6, 5 }, new long[] { 0, 0, 0 }, new long[] { 2, 3, 5 }, 4));
        // a partial last row is still one run
        Assert.Equal(4L * 1, NdCopy.ContiguousOffset(new long[] { 4, 6, 5 }, new long[] { 0, 0, 1 }, new long[] { 1, 1, 4 }, 4));
        Assert.Null(NdCopy.ContiguousOffset(new long[] { 4, 6, 5 }, new long[] { 0, 0, 1 }, new long[] { 1, 2, 4 }, 4));
    }

    [Fact]
    public void ChunksWrittenStraightFromTheCallersBufferRoundTripAndSkipFill()
    {
        var store = new MemoryStore();
        var array = ZarrArray.Create(store, "x", ArrayMetadata.Create(2, [6, 8, 4], [2, 8, 4], ZarrDataType.Float32, null,
            ZarrPartition.Engine.Codecs.CodecSpec.Parse("blosc:lz4:5").Build(ZarrDataType.Float32), null, null));
        var data = Enumerable.Range(0, 6 * 8 * 4).Select(i => i < 64 ? 0f : i * 0.5f).ToArray();
        array.WriteRegion([0, 0, 0], [6, 8, 4], MemoryMarshal.AsBytes(data.AsSpan()).ToArray(), new ExecutionOptions { WriteEmptyChunks = false });
        Assert.False(store.Exists("x/0.0.0"));
        Assert.True(store.Exists("x/1.0.0"));
        Assert.Equal(data, array.ReadAll<float>());
        var none = ZarrArray.Create(store, "y", ArrayMetadata.Create(2, [6, 8, 4], [2, 8, 4], ZarrDataType.Float32, null, null, null, null));
        none.WriteRegion([0, 0, 0], [6, 8, 4], MemoryMarshal.AsBytes(data.AsSpan()).ToArray());
        Assert.Equal(MemoryMarshal.AsBytes(data.AsSpan(128, 64)).ToArray(), store.Get("y/2.0.0"));
    }
}
