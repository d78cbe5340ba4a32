namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Walks a box of elements that sits at one position in a C-order source array and at another in a
/// C-order destination array, as runs that are contiguous in both: trailing dimensions the box spans
/// completely in both arrays merge into one run. Offsets are in bytes.
/// </summary>
internal sealed class BoxRuns
{
    private readonly long[] count;
    private readonly long[] srcStrides;
    private readonly long[] dstStrides;
    private readonly long[] index;
    private readonly int loopDims;
    private long src;
    private long dst;
    private bool started;
    private bool done;

    public BoxRuns(ReadOnlySpan<long> srcShape, ReadOnlySpan<long> srcStart, ReadOnlySpan<long> dstShape, ReadOnlySpan<long> dstStart, ReadOnlySpan<long> box, int elementSize)
    {
        int rank = box.Length;
        count = box.ToArray();
        srcStrides = Strides(srcShape, elementSize);
        dstStrides = Strides(dstShape, elementSize);
        for (int d = 0; d < rank; d++)
        {
            src += srcStart[d] * srcStrides[d];
            dst += dstStart[d] * dstStrides[d];
            if (box[d] == 0)
            {
                done = true;
            }
        }

        long run = rank == 0 ? elementSize : box[rank - 1] * elementSize;
        int outer = rank - 1;
        while (outer > 0 && box[outer] == srcShape[outer] && box[outer] == dstShape[outer])
        {
            outer--;
            run *= box[outer];
        }

        RunBytes = run;
        loopDims = Math.Max(outer, 0);
        index = new long[Math.Max(loopDims, 1)];
    }

    /// <summary>Bytes in every run.</summary>
    public long RunBytes { get; }

    /// <summary>The next run's source and destination byte offsets; false when the box is exhausted.</summary>
    public bool Next(out long source, out long destination)
    {
        if (done)
        {
            source = destination = 0;
            return false;
        }

        if (started)
        {
            int d = loopDims - 1;
            for (; d >= 0; d--)
            {
                index[d]++;
                src += srcStrides[d];
                dst += dstStrides[d];
                if (index[d] < count[d])
                {
                    break;
                }

                src -= srcStrides[d] * index[d];
                dst -= dstStrides[d] * index[d];
                index[d] = 0;
            }

            if (d < 0)
            {
                done = true;
                source = destination = 0;
                return false;
            }
        }

        started = true;
        source = src;
        destination = dst;
        return true;
    }

    public static void Copy(ReadOnlySpan<byte> source, ReadOnlySpan<long> srcShape, ReadOnlySpan<long> srcStart, Span<byte> destination, ReadOnlySpan<long> dstShape, ReadOnlySpan<long> dstStart, ReadOnlySpan<long> box, int elementSize)
    {
        var runs = new BoxRuns(srcShape, srcStart, dstShape, dstStart, box, elementSize);
        int n = (int)runs.RunBytes;
        while (runs.Next(out long s, out long t))
        {
            source.Slice((int)s, n).CopyTo(destination.Slice((int)t, n));
        }
    }

    public static void Fill(Span<byte> destination, ReadOnlySpan<long> dstShape, ReadOnlySpan<long> dstStart, ReadOnlySpan<long> box, ReadOnlySpan<byte> fill)
    {
        var runs = new BoxRuns(box, new long[box.Length], dstShape, dstStart, box, fill.Length);
        int n = (int)runs.RunBytes;
        bool zero = !fill.ContainsAnyExcept((byte)0);
        while (runs.Next(out _, out long t))
        {
            var run = destination.Slice((int)t, n);
            if (zero)
            {
                run.Clear();
            }
            else
            {
                fill.CopyTo(run);
                int filled = fill.Length;
                while (filled < n)
                {
                    int c = Math.Min(filled, n - filled);
                    run[..c].CopyTo(run[filled..]);
                    filled += c;
                }
            }
        }
    }

    private static long[] Strides(ReadOnlySpan<long> shape, int elementSize)
    {
        var strides = new long[shape.Length];
        long s = elementSize;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= shape[d];
        }

        return strides;
    }
}
