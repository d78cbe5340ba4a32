namespace ZarrPartition.Engine.Zarr;

/// <summary>A regular chunk grid: array shape, chunk shape, and the arithmetic between them.</summary>
public sealed class ChunkGrid
{
    public ChunkGrid(long[] shape, int[] chunkShape)
    {
        if (shape.Length != chunkShape.Length)
        {
            throw new ArgumentException($"shape has {shape.Length} dimensions but chunks have {chunkShape.Length}.");
        }

        Shape = shape;
        ChunkShape = chunkShape;
        GridShape = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            GridShape[i] = chunkShape[i] <= 0 ? 0 : (shape[i] + chunkShape[i] - 1) / chunkShape[i];
        }
    }

    public long[] Shape { get; }

    public int[] ChunkShape { get; }

    /// <summary>Number of chunks along each dimension.</summary>
    public long[] GridShape { get; }

    public int Rank => Shape.Length;

    public long ChunkCount => GridShape.Aggregate(1L, (n, g) => n * g);

    public long ChunkElements => ChunkShape.Aggregate(1L, (n, c) => n * c);

    /// <summary>The chunks a region [start, start+count) touches, as per-dimension index ranges [lo, hi).</summary>
    public (long[] Lo, long[] Hi) ChunkRange(long[] start, long[] count)
    {
        var lo = new long[Rank];
        var hi = new long[Rank];
        for (int d = 0; d < Rank; d++)
        {
            lo[d] = start[d] / ChunkShape[d];
            hi[d] = count[d] == 0 ? lo[d] : (start[d] + count[d] - 1) / ChunkShape[d] + 1;
        }

        return (lo, hi);
    }

    /// <summary>How many chunk coordinates <see cref="Enumerate"/> yields for [lo, hi).</summary>
    public static long Count(long[] lo, long[] hi)
    {
        long n = 1;
        for (int d = 0; d < lo.Length; d++)
        {
            n *= Math.Max(0, hi[d] - lo[d]);
        }

        return n;
    }

    /// <summary>Every chunk coordinate in [lo, hi), C order.</summary>
    public static IEnumerable<long[]> Enumerate(long[] lo, long[] hi)
    {
        int rank = lo.Length;
        for (int d = 0; d < rank; d++)
        {
            if (hi[d] <= lo[d])
            {
                yield break;
            }
        }

        var c = (long[])lo.Clone();
        while (true)
        {
            yield return (long[])c.Clone();
            int d = rank - 1;
            for (; d >= 0; d--)
            {
                if (++c[d] < hi[d])
                {
                    break;
                }

                c[d] = lo[d];
            }

            if (d < 0)
            {
                yield break;
            }
        }
    }

    public IEnumerable<long[]> AllChunks() => Enumerate(new long[Rank], GridShape);

    /// <summary>The array-space origin of chunk <paramref name="coords"/>.</summary>
    public long[] ChunkOrigin(long[] coords)
    {
        var o = new long[Rank];
        for (int d = 0; d < Rank; d++)
        {
            o[d] = coords[d] * ChunkShape[d];
        }

        return o;
    }

    /// <summary>The part of chunk <paramref name="coords"/> that lies inside the array (edge chunks are smaller).</summary>
    public int[] ValidShape(long[] coords)
    {
        var v = new int[Rank];
        for (int d = 0; d < Rank; d++)
        {
            v[d] = (int)Math.Min(ChunkShape[d], Shape[d] - coords[d] * ChunkShape[d]);
        }

        return v;
    }
}
