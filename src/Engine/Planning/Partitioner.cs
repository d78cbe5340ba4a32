using System.Globalization;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Planning;

/// <summary>
/// Pure partitioning of a chunk grid into boxes of whole chunks, one per writer (rank). No I/O:
/// the input is the number of chunks along each axis, the output is boxes in chunk-index space.
/// The cost depends on the number of ranks and axes, never on the number of chunks.
/// </summary>
public static class Partitioner
{
    /// <summary>
    /// Splits a chunk grid into <c>min(ranks, N)</c> non-empty, disjoint boxes that together cover
    /// all N chunks, keeping the largest box as small as the search can make it. No rank is left
    /// idle while there are at least as many chunks as ranks.
    /// </summary>
    /// <param name="chunkCounts">
    /// Chunks along each partition axis, in the user's priority order: when two splits balance
    /// equally well, the one along the earlier axis is taken.
    /// </param>
    /// <param name="ranks">Number of writers, at least 1.</param>
    /// <returns>
    /// The boxes, sorted lexicographically by <see cref="ChunkBox.Start"/>, so the same input always
    /// gives the same list in the same order. An empty grid (some count is 0) gives one box that
    /// covers it (Start 0, Stop = counts).
    /// </returns>
    /// <remarks>
    /// <para>
    /// Two constructions are built and the one with the smaller largest box is kept (the
    /// bisection when they tie):
    /// </para>
    /// <para>
    /// Recursive guillotine bisection. A box with r &gt; 1 ranks is cut in two across one axis, and
    /// each side gets a share of the ranks (at least 1, at most its chunk count). Candidate cuts on
    /// every axis are the positions near <c>len·k/r</c> for k in 1, 2, ⌊r/2⌋, ⌈r/2⌉, r-2, r-1, with
    /// rank shares near proportional; a cut is scored by <c>max(⌈n₁/r₁⌉, ⌈n₂/r₂⌉)</c>, the smallest
    /// largest box either side could reach. The lowest score wins; ties go to the axis earlier in
    /// priority order, then to the cut whose sides are closest to proportional. In one dimension
    /// this gives exactly <c>⌈N/r⌉</c> as the largest box.
    /// </para>
    /// <para>
    /// The regular grid with at most r cells (each axis split as evenly as possible) whose largest
    /// cell is smallest, found by searching the distinct piece lengths per axis; the spare ranks
    /// then go to the cells with the highest load, each of which is bisected among its ranks.
    /// This grid family contains xpartition's greedy grid, and splitting cells only makes boxes
    /// smaller, so the result is never worse than <see cref="XPartition"/> over the same axes. It
    /// also contains the split of the longest axis alone, which bounds the largest box by
    /// <c>⌈N/r⌉ + N/max(counts)</c>: balanced to within one single-chunk-thick slice along the
    /// longest axis.
    /// </para>
    /// <para>
    /// Cost: bisection is O(ranks × dims); the grid search visits at most the grids of at most r
    /// cells built from distinct piece lengths, O(r · log^(dims-2) r) for dims ≥ 2. Neither
    /// enumerates chunks: 10 million chunks into 10,000 boxes plans in milliseconds.
    /// </para>
    /// </remarks>
    public static IReadOnlyList<ChunkBox> Balanced(IReadOnlyList<long> chunkCounts, int ranks)
    {
        long[] counts = CheckedCounts(chunkCounts);
        CheckRanks(ranks);
        long total = CheckedProduct(counts);
        var whole = new ChunkBox(new long[counts.Length], (long[])counts.Clone());
        if (total == 0 || ranks == 1)
        {
            return [whole];
        }

        int boxes = (int)Math.Min(ranks, total);
        var bisected = new List<ChunkBox>(boxes);
        Bisect(whole, total, boxes, bisected);
        var gridded = RefinedGrid(counts, boxes);
        var result = MaxCount(gridded) < MaxCount(bisected) ? gridded : bisected;
        result.Sort(CompareStarts);
        return result;
    }

    /// <summary>
    /// xpartition's per-variable partition (spencerkclark/xpartition 2025.03.0,
    /// <c>_optimal_meta_chunk_sizes</c> and <c>indexers</c>), reproduced exactly, so a plan can
    /// match what users of xpartition get.
    /// </summary>
    /// <param name="chunkCounts">Chunks along each of the variable's dimensions, in the variable's own order.</param>
    /// <param name="priority">
    /// For each of the variable's dimensions, its position in the user's list of partition dims,
    /// or -1 when it is not partitioned. Positions need not be contiguous (the user's list may name
    /// dims this variable lacks) but must be distinct.
    /// </param>
    /// <param name="ranks">Number of writers, at least 1.</param>
    /// <returns>
    /// One element per rank: rank k's box over all the variable's dims (full range on dims that
    /// are not partitioned), or null when rank k is idle.
    /// </returns>
    /// <remarks>
    /// Taking the partition dims in priority order, each gets a meta-chunk size (chunks per box)
    /// <c>meta[d] = min(⌈nb[d] / (ranks // used)⌉, nb[d])</c>, where <c>used</c> is the product of the
    /// box counts <c>⌈nb[k]/meta[k]⌉</c> of the dims already done. The box grid has those counts on
    /// partition dims and 1 elsewhere; rank k, if below the grid's size, gets the box at
    /// <c>unravel_index(k, grid)</c> in C order over the variable's dims, clipped to the array.
    /// Uneven division rounds up (10 chunks on 4 ranks: 3, 3, 3, 1), so ranks can be idle
    /// (10 on 6: rank 5 idle), and the split is greedy, not an optimal factorisation.
    /// <para>
    /// <c>ranks // used</c> is never 0, so xpartition's division by zero cannot happen: the first
    /// dim gets at most <c>ranks</c> boxes (<c>⌈n/⌈n/r⌉⌉ ≤ r</c>, and n boxes of one chunk when
    /// n ≤ r), and each later dim gets at most <c>ranks // used</c> boxes by the same argument, so
    /// <c>used ≤ used·(ranks // used) ≤ ranks</c> holds after every dim.
    /// </para>
    /// <para>
    /// Where this differs from running xpartition, on inputs it never sees: a dim with 0 chunks
    /// (dask always has at least one block, possibly empty; a Zarr array of length 0 has none)
    /// makes the grid empty, and then rank 0 gets the whole, empty, box and every other rank is
    /// idle. The arithmetic is exact integer arithmetic where Python divides the first dim in
    /// floating point; the two agree for counts below 2^53.
    /// </para>
    /// </remarks>
    public static IReadOnlyList<ChunkBox?> XPartition(IReadOnlyList<long> chunkCounts, IReadOnlyList<int> priority, int ranks)
    {
        long[] counts = CheckedCounts(chunkCounts);
        ArgumentNullException.ThrowIfNull(priority);
        CheckRanks(ranks);
        int dims = counts.Length;
        if (priority.Count != dims)
        {
            throw new ZarrPartitionException("PriorityLengthMismatch", ErrorKind.InvalidArgument, "priority",
                $"The variable has {dims} dimensions but {priority.Count} priorities were given; give one per dimension (-1 for a dimension that is not partitioned).");
        }

        var seen = new HashSet<int>();
        for (int d = 0; d < dims; d++)
        {
            if (priority[d] < -1)
            {
                throw new ZarrPartitionException("InvalidPriority", ErrorKind.InvalidArgument, "priority",
                    $"Priority {priority[d].ToString(CultureInfo.InvariantCulture)} of dimension {d.ToString(CultureInfo.InvariantCulture)} is not a position in the list of partition dims; use 0 or more, or -1 for a dimension that is not partitioned.");
            }

            if (priority[d] >= 0 && !seen.Add(priority[d]))
            {
                throw new ZarrPartitionException("DuplicatePriority", ErrorKind.InvalidArgument, "priority",
                    $"Two dimensions have priority {priority[d].ToString(CultureInfo.InvariantCulture)}; each partition dim must appear once in the list of partition dims.");
            }
        }

        var result = new ChunkBox?[ranks];
        if (CheckedProduct(counts) == 0)
        {
            result[0] = new ChunkBox(new long[dims], (long[])counts.Clone());
            return result;
        }

        int[] order = Enumerable.Range(0, dims).Where(d => priority[d] >= 0).OrderBy(d => priority[d]).ToArray();
        var meta = (long[])counts.Clone();
        var grid = new long[dims];
        Array.Fill(grid, 1L);
        long used = 1;
        foreach (int d in order)
        {
            // used <= ranks always (see remarks), so ranksPerBox >= 1.
            long ranksPerBox = ranks / used;
            meta[d] = Math.Min(CeilDiv(counts[d], ranksPerBox), counts[d]);
            grid[d] = CeilDiv(counts[d], meta[d]);
            used *= grid[d];
        }

        long active = Math.Min(used, ranks);
        var index = new long[dims];
        for (long k = 0; k < active; k++)
        {
            // np.unravel_index(k, grid), C order: the last dim varies fastest.
            long rest = k;
            for (int d = dims - 1; d >= 0; d--)
            {
                index[d] = rest % grid[d];
                rest /= grid[d];
            }

            var start = new long[dims];
            var stop = new long[dims];
            for (int d = 0; d < dims; d++)
            {
                start[d] = index[d] * meta[d];
                stop[d] = Math.Min(start[d] + meta[d], counts[d]);
            }

            result[k] = new ChunkBox(start, stop);
        }

        return result;
    }

    /// <summary>Recursive guillotine bisection of <paramref name="box"/> into <paramref name="ranks"/> boxes.</summary>
    private static void Bisect(ChunkBox box, long size, int ranks, List<ChunkBox> result)
    {
        // An explicit stack: an unlucky sequence of 1 : r-1 splits must not overflow the call stack.
        var pending = new Stack<(ChunkBox Box, long Size, int Ranks)>();
        pending.Push((box, size, ranks));
        while (pending.Count > 0)
        {
            var (current, n, r) = pending.Pop();
            if (r == 1)
            {
                result.Add(current);
                continue;
            }

            var cut = BestCut(current, n, r);
            long[] lowerStop = (long[])current.Stop.Clone();
            lowerStop[cut.Axis] = current.Start[cut.Axis] + cut.Position;
            long[] upperStart = (long[])current.Start.Clone();
            upperStart[cut.Axis] = lowerStop[cut.Axis];
            // Every box owns its arrays, so a caller that changes one box cannot change another.
            pending.Push((new ChunkBox(upperStart, (long[])current.Stop.Clone()), n - cut.LowerSize, r - cut.LowerRanks));
            pending.Push((new ChunkBox((long[])current.Start.Clone(), lowerStop), cut.LowerSize, cut.LowerRanks));
        }
    }

    /// <summary>
    /// The regular grid (g₀ × g₁ × … cells, each axis split as evenly as possible, at most
    /// <paramref name="ranks"/> cells) whose largest cell is smallest; then the spare ranks go to
    /// the largest cells, each of which is bisected among its ranks.
    /// </summary>
    private static List<ChunkBox> RefinedGrid(long[] counts, int ranks)
    {
        long[] parts = BestGrid(counts, ranks);
        int dims = counts.Length;
        int cellCount = (int)parts.Aggregate(1L, (a, b) => a * b);
        var cells = new ChunkBox[cellCount];
        var sizes = new long[cellCount];
        var index = new long[dims];
        for (int c = 0; c < cellCount; c++)
        {
            long rest = c;
            for (int d = dims - 1; d >= 0; d--)
            {
                index[d] = rest % parts[d];
                rest /= parts[d];
            }

            var start = new long[dims];
            var stop = new long[dims];
            for (int d = 0; d < dims; d++)
            {
                // Even split: the first (counts % parts) pieces are one chunk longer.
                long q = counts[d] / parts[d], extra = counts[d] % parts[d];
                start[d] = index[d] * q + Math.Min(index[d], extra);
                stop[d] = start[d] + q + (index[d] < extra ? 1 : 0);
            }

            cells[c] = new ChunkBox(start, stop);
            sizes[c] = cells[c].ChunkCount;
        }

        // Spare ranks, one at a time, to the cell whose per-rank load is highest (ties: lowest index).
        var share = new int[cellCount];
        Array.Fill(share, 1);
        var queue = new PriorityQueue<int, (long NegLoad, int Cell)>();
        for (int c = 0; c < cellCount; c++)
        {
            if (sizes[c] > 1)
            {
                queue.Enqueue(c, (-sizes[c], c));
            }
        }

        for (int spare = ranks - cellCount; spare > 0 && queue.Count > 0; spare--)
        {
            int c = queue.Dequeue();
            share[c]++;
            if (share[c] < sizes[c])
            {
                queue.Enqueue(c, (-CeilDiv(sizes[c], share[c]), c));
            }
        }

        var result = new List<ChunkBox>(ranks);
        for (int c = 0; c < cellCount; c++)
        {
            Bisect(cells[c], sizes[c], share[c], result);
        }

        return result;
    }

    /// <summary>Parts per axis of the best regular grid with at most <paramref name="ranks"/> cells.</summary>
    private static long[] BestGrid(long[] counts, int ranks)
    {
        int dims = counts.Length;
        var best = new long[dims];
        var current = new long[dims];
        long bestMax = long.MaxValue;
        Search(0, 1, 1);
        return best;

        void Search(int axis, long cells, long cellMax)
        {
            if (axis == dims)
            {
                if (cellMax < bestMax)
                {
                    bestMax = cellMax;
                    current.CopyTo(best, 0);
                }

                return;
            }

            long budget = ranks / cells;
            long len = counts[axis];
            if (axis == dims - 1)
            {
                long piece = CeilDiv(len, Math.Min(len, budget));
                current[axis] = CeilDiv(len, piece);
                Search(axis + 1, cells * current[axis], cellMax * piece);
                return;
            }

            // Only the fewest parts giving each distinct piece length ⌈len/g⌉ matter. Earlier
            // axes are tried split finest first, so among equal grids the earliest axis is split most.
            var useful = new List<(long Parts, long Piece)>();
            for (long g = 1; g <= Math.Min(len, budget);)
            {
                long piece = CeilDiv(len, g);
                useful.Add((g, piece));
                if (piece == 1)
                {
                    break;
                }

                g = CeilDiv(len, piece - 1);
            }

            for (int i = useful.Count - 1; i >= 0; i--)
            {
                current[axis] = useful[i].Parts;
                Search(axis + 1, cells * useful[i].Parts, cellMax * useful[i].Piece);
            }
        }
    }

    private static long MaxCount(List<ChunkBox> boxes)
    {
        long max = 0;
        foreach (var box in boxes)
        {
            max = Math.Max(max, box.ChunkCount);
        }

        return max;
    }

    private readonly record struct Cut(int Axis, long Position, long LowerSize, int LowerRanks);

    private static Cut BestCut(ChunkBox box, long size, int r)
    {
        Cut best = default;
        long bestScore = long.MaxValue;
        Int128 bestDeviation = Int128.MaxValue;
        Span<long> positions = stackalloc long[24];
        Span<int> targets = [1, 2, r / 2, (r + 1) / 2, r - 2, r - 1];
        Span<long> shares = stackalloc long[6];
        for (int axis = 0; axis < box.Rank; axis++)
        {
            long len = box.Stop[axis] - box.Start[axis];
            if (len < 2)
            {
                continue;
            }

            long slice = size / len;
            int positionCount = 0;
            foreach (int half in targets)
            {
                if (half < 1 || half >= r)
                {
                    continue;
                }

                long proportional = (long)((Int128)len * half / r);
                for (long p = proportional - 1; p <= proportional + 2; p++)
                {
                    long clamped = Math.Clamp(p, 1, len - 1);
                    if (!positions[..positionCount].Contains(clamped))
                    {
                        positions[positionCount++] = clamped;
                    }
                }
            }

            foreach (long position in positions[..positionCount])
            {
                long lower = position * slice;
                long upper = size - lower;

                // Each side gets at least one rank and no more ranks than it has chunks. The range
                // is never empty: 1 <= r - 1, r - upper <= lower because r <= size.
                long minShare = Math.Max(1, r - upper);
                long maxShare = Math.Min(lower, r - 1);
                long proportionalShare = (long)((Int128)r * lower / size);
                shares[0] = r / 2;
                shares[1] = (r + 1) / 2;
                shares[2] = proportionalShare;
                shares[3] = proportionalShare + 1;
                shares[4] = minShare;
                shares[5] = maxShare;
                foreach (long candidate in shares)
                {
                    int share = (int)Math.Clamp(candidate, minShare, maxShare);
                    long score = Math.Max(CeilDiv(lower, share), CeilDiv(upper, r - share));
                    Int128 deviation = Int128.Abs((Int128)lower * r - (Int128)size * share);
                    if (score < bestScore || (score == bestScore && axis == best.Axis && deviation < bestDeviation))
                    {
                        best = new Cut(axis, position, lower, share);
                        bestScore = score;
                        bestDeviation = deviation;
                    }
                }
            }
        }

        return best;
    }

    private static int CompareStarts(ChunkBox a, ChunkBox b)
    {
        for (int d = 0; d < a.Start.Length; d++)
        {
            int c = a.Start[d].CompareTo(b.Start[d]);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    private static long CeilDiv(long a, long b) => a / b + (a % b == 0 ? 0 : 1);

    private static void CheckRanks(int ranks)
    {
        if (ranks < 1)
        {
            throw new ZarrPartitionException("InvalidRankCount", ErrorKind.InvalidArgument, ranks.ToString(CultureInfo.InvariantCulture),
                $"Cannot partition across {ranks.ToString(CultureInfo.InvariantCulture)} ranks; give 1 or more ranks (writers).");
        }
    }

    private static long[] CheckedCounts(IReadOnlyList<long> chunkCounts)
    {
        ArgumentNullException.ThrowIfNull(chunkCounts);
        var counts = chunkCounts.ToArray();
        for (int d = 0; d < counts.Length; d++)
        {
            if (counts[d] < 0)
            {
                throw new ZarrPartitionException("InvalidChunkCount", ErrorKind.InvalidArgument, "chunkCounts",
                    $"Dimension {d.ToString(CultureInfo.InvariantCulture)} has {counts[d].ToString(CultureInfo.InvariantCulture)} chunks; chunk counts must be 0 or more.");
            }
        }

        return counts;
    }

    private static long CheckedProduct(long[] counts)
    {
        if (counts.Contains(0))
        {
            return 0;
        }

        try
        {
            long n = 1;
            foreach (long c in counts)
            {
                n = checked(n * c);
            }

            return n;
        }
        catch (OverflowException)
        {
            throw new ZarrPartitionException("TooManyChunks", ErrorKind.InvalidArgument, "chunkCounts",
                $"A grid of {string.Join(" x ", counts.Select(c => c.ToString(CultureInfo.InvariantCulture)))} chunks has more than 2^63 chunks; use larger chunks.");
        }
    }
}
