namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The chunk grid of one chunked dataset: chunk dimensions, the number of chunks along each
/// dimension for the current and the maximum extent, and the linear numbering HDF5's array-style
/// indexes use (row-major over the maximum grid; the extensible array first moves its unlimited
/// dimension to the front).
/// </summary>
internal sealed class ChunkGeometry
{
    public ChunkGeometry(long[] shape, long[]? maxShape, int[] chunk, int elementSize)
    {
        Shape = shape;
        Chunk = chunk;
        ElementSize = elementSize;
        Rank = shape.Length;
        Counts = new long[Rank];
        MaxCounts = new long[Rank];
        long bytes = elementSize;
        for (int d = 0; d < Rank; d++)
        {
            Counts[d] = (shape[d] + chunk[d] - 1) / chunk[d];
            long max = maxShape is null ? shape[d] : maxShape[d];
            MaxCounts[d] = max < 0 ? -1 : Math.Max((max + chunk[d] - 1) / chunk[d], Counts[d]);
            bytes = bytes > long.MaxValue / chunk[d] ? long.MaxValue : bytes * chunk[d];
        }

        ChunkBytes = bytes;
    }

    public int Rank { get; }

    public long[] Shape { get; }

    public int[] Chunk { get; }

    public int ElementSize { get; }

    /// <summary>Chunks along each dimension covering the current extent.</summary>
    public long[] Counts { get; }

    /// <summary>Chunks along each dimension covering the maximum extent (-1 unlimited).</summary>
    public long[] MaxCounts { get; }

    /// <summary>Bytes of one uncompressed chunk (saturates at long.MaxValue).</summary>
    public long ChunkBytes { get; }

    /// <summary>Linear number of a chunk in the current grid, or -1 when outside it.</summary>
    public long CurrentLinear(ReadOnlySpan<long> scaled)
    {
        long index = 0;
        for (int d = 0; d < Rank; d++)
        {
            if (scaled[d] < 0 || scaled[d] >= Counts[d])
            {
                return -1;
            }

            index = index * Counts[d] + scaled[d];
        }

        return index;
    }

    /// <summary>
    /// Strides of the array-index numbering over the maximum grid, with dimension
    /// <paramref name="front"/> moved to the slowest position (0 leaves the order alone).
    /// Returns the permutation (position to dimension) and strides per position.
    /// </summary>
    public (int[] Order, long[] Strides) ArrayNumbering(int front)
    {
        var order = new int[Rank];
        order[0] = front;
        for (int d = 0, k = 1; d < Rank; d++)
        {
            if (d != front)
            {
                order[k++] = d;
            }
        }

        var strides = new long[Rank];
        long s = 1;
        for (int k = Rank - 1; k >= 0; k--)
        {
            strides[k] = s;
            long count = MaxCounts[order[k]];
            if (k > 0)
            {
                if (count <= 0)
                {
                    count = Counts[order[k]]; // not expected for array indexes; keep the numbering finite
                }

                s = count > 0 && s > long.MaxValue / count ? long.MaxValue : s * Math.Max(count, 1);
            }
        }

        return (order, strides);
    }

    /// <summary>The chunk coordinates of array-index element <paramref name="index"/> (inverse of the numbering).</summary>
    public static void FromArrayIndex(long index, int[] order, long[] strides, Span<long> scaled)
    {
        for (int k = 0; k < order.Length; k++)
        {
            scaled[order[k]] = index / strides[k];
            index %= strides[k];
        }
    }

    /// <summary>The array-index number of chunk <paramref name="scaled"/>.</summary>
    public static long ToArrayIndex(ReadOnlySpan<long> scaled, int[] order, long[] strides)
    {
        long index = 0;
        for (int k = 0; k < order.Length; k++)
        {
            index += scaled[order[k]] * strides[k];
        }

        return index;
    }
}
