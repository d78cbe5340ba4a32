using System.Buffers;
using Microsoft.Win32.SafeHandles;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.NetCdf;

/// <summary>
/// Reads a hyperslab of one variable with positional reads only (no shared stream position, no lock).
/// The selection is cut into the longest runs that are contiguous in the file; when those runs are short,
/// a whole block around several of them is read at once and the runs are copied out of it, whichever
/// costs less by a simple model of one call against the bytes moved.
/// </summary>
internal static class NetCdf3Hyperslab
{
    /// <summary>One read call costs about as much as moving this many bytes (system call plus page-cache lookup).</summary>
    public const double DefaultCallCost = 8192;

    /// <summary>The largest block read in one go to gather short runs from.</summary>
    private const long MaxGatherBytes = 4L << 20;

    /// <summary>Long runs are read in pieces of this size and swapped while they are still in cache.</summary>
    private const int PieceBytes = 1 << 20;

    /// <summary>
    /// Reads the box into <paramref name="output"/>. <paramref name="callCost"/> weighs a read call against
    /// bytes moved: 0 reads every contiguous run on its own, a huge value gathers from the largest blocks.
    /// </summary>
    public static void Read(SafeFileHandle handle, string path, NetCdf3VariableLayout layout, long[] start, long[] count, Span<byte> output, double callCost = DefaultCallCost)
    {
        if (output.IsEmpty)
        {
            return;
        }

        var strides = layout.Strides;
        int rank = strides.Length;
        int size = layout.ElementSize;
        long origin = layout.Begin;
        for (int d = 0; d < rank; d++)
        {
            origin += start[d] * strides[d];
        }

        // dimensions k.. form one contiguous run of 'run' bytes for every index of the dimensions before k
        int k = rank;
        long run = size;
        while (k > 0 && strides[k - 1] == run)
        {
            k--;
            run = count[k] * strides[k];
        }

        int level = ChooseLevel(strides, count, k, run, output.Length, callCost);
        if (level == k)
        {
            ReadRuns(handle, path, layout, strides, count, k, run, origin, output);
        }
        else
        {
            Gather(handle, path, layout, strides, count, level, k, run, origin, output);
        }
    }

    /// <summary>
    /// The dimension from which on one read covers the selection: k reads each run directly, a smaller
    /// level reads the block spanning its runs and copies them out.
    /// </summary>
    private static int ChooseLevel(long[] strides, long[] count, int k, long run, long total, double callCost)
    {
        double calls = 1;
        for (int d = 0; d < k; d++)
        {
            calls *= count[d];
        }

        int best = k;
        double bestCost = calls * (callCost + run);
        long span = run;
        for (int level = k - 1; level >= 0; level--)
        {
            span += (count[level] - 1) * strides[level];
            calls /= count[level];
            if (span > MaxGatherBytes)
            {
                break;
            }

            double cost = (calls * (callCost + span)) + total;
            if (cost < bestCost)
            {
                bestCost = cost;
                best = level;
            }
        }

        return best;
    }

    private static void ReadRuns(SafeFileHandle handle, string path, NetCdf3VariableLayout layout, long[] strides, long[] count, int k, long run, long origin, Span<byte> output)
    {
        var index = new long[k];
        long offset = origin;
        int pos = 0;
        int length = (int)run;
        while (true)
        {
            var dest = output.Slice(pos, length);
            for (int done = 0; done < length; done += PieceBytes)
            {
                var piece = dest.Slice(done, Math.Min(PieceBytes, length - done));
                ReadExact(handle, path, layout, piece, offset + done);
                Swap(piece, layout.ElementSize);
            }

            pos += length;
            if (!Next(index, count, strides, ref offset))
            {
                return;
            }
        }
    }

    private static void Gather(SafeFileHandle handle, string path, NetCdf3VariableLayout layout, long[] strides, long[] count, int level, int k, long run, long origin, Span<byte> output)
    {
        long span = run;
        for (int d = level; d < k; d++)
        {
            span += (count[d] - 1) * strides[d];
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)span);
        try
        {
            var block = buffer.AsSpan(0, (int)span);
            var outer = new long[level];
            var inner = new long[k - level];
            var innerCount = count.AsSpan(level, k - level).ToArray();
            var innerStrides = strides.AsSpan(level, k - level).ToArray();
            long offset = origin;
            int pos = 0;
            int length = (int)run;
            while (true)
            {
                ReadExact(handle, path, layout, block, offset);
                int first = pos;
                long within = 0;
                Array.Clear(inner);
                while (true)
                {
                    block.Slice((int)within, length).CopyTo(output.Slice(pos, length));
                    pos += length;
                    if (!Next(inner, innerCount, innerStrides, ref within))
                    {
                        break;
                    }
                }

                Swap(output[first..pos], layout.ElementSize);
                if (!Next(outer, count, strides, ref offset))
                {
                    return;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Steps a C-order odometer over the first index.Length dimensions, moving the byte offset along.</summary>
    private static bool Next(long[] index, long[] count, long[] strides, ref long offset)
    {
        for (int d = index.Length - 1; d >= 0; d--)
        {
            index[d]++;
            offset += strides[d];
            if (index[d] < count[d])
            {
                return true;
            }

            offset -= index[d] * strides[d];
            index[d] = 0;
        }

        return false;
    }

    private static void Swap(Span<byte> data, int size)
    {
        if (size > 1)
        {
            BytesCodec.Swap(data, size);
        }
    }

    private static void ReadExact(SafeFileHandle handle, string path, NetCdf3VariableLayout layout, Span<byte> dest, long offset)
    {
        int got = 0;
        while (got < dest.Length)
        {
            int n;
            try
            {
                n = RandomAccess.Read(handle, dest[got..], offset + got);
            }
            catch (IOException e)
            {
                throw new ZarrPartitionException("SourceReadFailed", ErrorKind.ReadError, path,
                    $"'{path}': reading variable '{layout.Variable.Name}' at byte {offset + got} failed: {e.Message}", e);
            }

            if (n == 0)
            {
                throw new SourceFormatException(path,
                    $"the values of variable '{layout.Variable.Name}' at bytes {offset}..{offset + dest.Length} lie beyond the end of the file (byte {offset + got}); the file is truncated.");
            }

            got += n;
        }
    }
}
