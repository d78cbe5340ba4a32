using System.Runtime.InteropServices;

namespace ZarrPartition.Engine.Zarr;

/// <summary>
/// Copies and fills rectangular regions between C-order buffers. Trailing dimensions that are
/// contiguous in both buffers are merged, so a whole-row copy is one memory move.
/// </summary>
public static class NdCopy
{
    /// <summary>
    /// Copies the box of <paramref name="copyShape"/> elements starting at <paramref name="srcStart"/>
    /// in <paramref name="src"/> (shape <paramref name="srcShape"/>) to <paramref name="dstStart"/> in
    /// <paramref name="dst"/> (shape <paramref name="dstShape"/>).
    /// </summary>
    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void CopyRegion(ReadOnlySpan<byte> src, int[] srcShape, long[] srcStart, Span<byte> dst, int[] dstShape, long[] dstStart, int[] copyShape, int elem)
    {
        int rank = copyShape.Length;
        if (rank == 0)
        {
            src[..elem].CopyTo(dst);
            return;
        }

        foreach (var c in copyShape)
        {
            if (c == 0)
            {
                return;
            }
        }

        // merge trailing dims: the run is contiguous in both while the copy spans the full extent of both buffers
        long run = (long)copyShape[rank - 1] * elem;
        int outer = rank - 1;
        while (outer > 0 && copyShape[outer] == srcShape[outer] && copyShape[outer] == dstShape[outer])
        {
            outer--;
            run *= copyShape[outer];
        }

        var srcStrides = Strides(srcShape, elem);
        var dstStrides = Strides(dstShape, elem);
        long srcBase = 0, dstBase = 0;
        for (int d = 0; d < rank; d++)
        {
            srcBase += srcStart[d] * srcStrides[d];
            dstBase += dstStart[d] * dstStrides[d];
        }

        // dims [0, outer) are iterated; dims [outer, rank) form one contiguous run in both buffers
        int loopDims = outer;
        Span<int> idx = stackalloc int[Math.Max(1, loopDims)];
        idx.Clear();
        long s = srcBase, t = dstBase;
        int runInt = checked((int)run);
        while (true)
        {
            src.Slice((int)s, runInt).CopyTo(dst.Slice((int)t, runInt));
            int d = loopDims - 1;
            for (; d >= 0; d--)
            {
                idx[d]++;
                s += srcStrides[d];
                t += dstStrides[d];
                if (idx[d] < copyShape[d])
                {
                    break;
                }

                s -= srcStrides[d] * idx[d];
                t -= dstStrides[d] * idx[d];
                idx[d] = 0;
            }

            if (d < 0)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The byte offset of a box inside a C-order buffer when the box is one contiguous run there
    /// (leading dimensions of extent 1, then dimensions spanning the buffer's full extent); else null.
    /// </summary>
    public static long? ContiguousOffset(ReadOnlySpan<long> shape, ReadOnlySpan<long> start, ReadOnlySpan<long> box, int elem)
    {
        int rank = shape.Length;
        int k = 0;
        while (k < rank - 1 && box[k] == 1)
        {
            k++;
        }

        for (int d = k + 1; d < rank; d++)
        {
            if (box[d] != shape[d])
            {
                return null;
            }
        }

        long offset = 0;
        long stride = elem;
        for (int d = rank - 1; d >= 0; d--)
        {
            offset += start[d] * stride;
            stride *= shape[d];
        }

        return offset;
    }

    /// <summary>Sets every element of a box to <paramref name="fill"/> (one element's bytes).</summary>
    public static void FillRegion(Span<byte> dst, int[] dstShape, long[] dstStart, int[] boxShape, ReadOnlySpan<byte> fill)
    {
        int elem = fill.Length;
        int rank = boxShape.Length;
        if (rank == 0)
        {
            fill.CopyTo(dst);
            return;
        }

        foreach (var c in boxShape)
        {
            if (c == 0)
            {
                return;
            }
        }

        // merge trailing dims: the run is contiguous while the box spans the buffer's full extent
        long runElems = boxShape[rank - 1];
        int outer = rank - 1;
        while (outer > 0 && boxShape[outer] == dstShape[outer])
        {
            outer--;
            runElems *= boxShape[outer];
        }

        var strides = Strides(dstShape, elem);
        long start = 0;
        for (int d = 0; d < rank; d++)
        {
            start += dstStart[d] * strides[d];
        }

        // dims [0, outer) are iterated; dims [outer, rank) form one contiguous run
        int runBytes = checked((int)(runElems * elem));
        Span<int> idx = stackalloc int[rank];
        idx.Clear();
        long t = start;
        while (true)
        {
            FillElements(dst.Slice((int)t, runBytes), fill);
            int d = outer - 1;
            for (; d >= 0; d--)
            {
                idx[d]++;
                t += strides[d];
                if (idx[d] < boxShape[d])
                {
                    break;
                }

                t -= strides[d] * idx[d];
                idx[d] = 0;
            }

            if (d < 0)
            {
                return;
            }
        }
    }

    /// <summary>Fills a contiguous run with repeated copies of one element.</summary>
    public static void FillElements(Span<byte> dst, ReadOnlySpan<byte> fill)
    {
        switch (fill.Length)
        {
            case 1:
                dst.Fill(fill[0]);
                return;
            case 2:
                MemoryMarshal.Cast<byte, ushort>(dst).Fill(MemoryMarshal.Read<ushort>(fill));
                return;
            case 4:
                MemoryMarshal.Cast<byte, uint>(dst).Fill(MemoryMarshal.Read<uint>(fill));
                return;
            case 8:
                MemoryMarshal.Cast<byte, ulong>(dst).Fill(MemoryMarshal.Read<ulong>(fill));
                return;
            default:
                for (int i = 0; i + fill.Length <= dst.Length; i += fill.Length)
                {
                    fill.CopyTo(dst[i..]);
                }

                return;
        }
    }

    /// <summary>True when every element equals <paramref name="fill"/>, bit for bit.</summary>
    public static bool IsAllFill(ReadOnlySpan<byte> data, ReadOnlySpan<byte> fill)
    {
        switch (fill.Length)
        {
            case 1:
                return !data.ContainsAnyExcept(fill[0]);
            case 2:
                return !MemoryMarshal.Cast<byte, ushort>(data).ContainsAnyExcept(MemoryMarshal.Read<ushort>(fill));
            case 4:
                return !MemoryMarshal.Cast<byte, uint>(data).ContainsAnyExcept(MemoryMarshal.Read<uint>(fill));
            case 8:
                return !MemoryMarshal.Cast<byte, ulong>(data).ContainsAnyExcept(MemoryMarshal.Read<ulong>(fill));
            default:
                for (int i = 0; i + fill.Length <= data.Length; i += fill.Length)
                {
                    if (!data.Slice(i, fill.Length).SequenceEqual(fill))
                    {
                        return false;
                    }
                }

                return true;
        }
    }

    public static long[] Strides(int[] shape, int elem)
    {
        var strides = new long[shape.Length];
        long s = elem;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= shape[d];
        }

        return strides;
    }
}
