using System.Diagnostics;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using Xunit.Abstractions;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Planning;

namespace ZarrPartition.Engine.Tests.Planning;

public class PartitionerTests
{
    private readonly ITestOutputHelper output;

    public PartitionerTests(ITestOutputHelper output)
    {
        this.output = output;
    }

    /// <summary>A grid and a rank count; ToString so FsCheck's counterexamples are readable.</summary>
    public sealed record Case(long[] Counts, int Ranks, int[] Priority)
    {
        public long Chunks => Counts.Aggregate(1L, (a, b) => a * b);

        public override string ToString() =>
            $"counts [{string.Join(",", Counts)}], priority [{string.Join(",", Priority)}], ranks {Ranks}";
    }

    // ---------------------------------------------------------------- Balanced: properties

    [Fact]
    public void BalancedBoxesAreNonEmptyDisjointInsideTheGridAndCoverItWithOneBoxPerRank()
    {
        Check(Cases(maxCount: 60), 400, seed: 1, c =>
        {
            var boxes = Partitioner.Balanced(c.Counts, c.Ranks);
            if (c.Chunks == 0)
            {
                Assert.Equal(new[] { new ChunkBox(new long[c.Counts.Length], c.Counts) }, boxes);
                return;
            }

            Assert.Equal(Math.Min(c.Ranks, c.Chunks), boxes.Count);
            AssertExactCover(c.Counts, boxes);
        });
    }

    [Fact]
    public void BalancedCoversEveryChunkOfSmallGridsExactlyOnce()
    {
        Check(Cases(maxCount: 9), 300, seed: 2, c =>
        {
            var boxes = Partitioner.Balanced(c.Counts, c.Ranks);
            var owners = CoverCounts(c.Counts, boxes);
            Assert.All(owners, n => Assert.Equal(1, n));
        });
    }

    [Fact]
    public void BalancedLargestBoxIsWithinOneThinnestSliceOfTheIdeal()
    {
        // ⌈N/r⌉ is a lower bound for any partition into r boxes. The splitting of the longest
        // axis alone is one of the candidates Balanced considers, so the largest box is at most
        // ⌈N/r⌉ plus one single-chunk-thick slice across the longest axis, N / max(counts).
        Check(Cases(maxCount: 60), 400, seed: 3, c =>
        {
            var boxes = Partitioner.Balanced(c.Counts, c.Ranks);
            if (c.Chunks == 0)
            {
                return;
            }

            long n = c.Chunks;
            long r = Math.Min(c.Ranks, n);
            long ideal = CeilDiv(n, r);
            long slice = n / c.Counts.Max();
            long largest = boxes.Max(b => b.ChunkCount);
            Assert.InRange(largest, ideal, ideal + slice);
        });
    }

    [Fact]
    public void BalancedIsExactInOneDimension()
    {
        var cases = Gen.Choose(1, 5000).SelectMany(n => Gen.Choose(1, 300).Select(r => new Case([n], r, [0])));
        Check(cases, 400, seed: 4, c =>
        {
            var boxes = Partitioner.Balanced(c.Counts, c.Ranks);
            long r = Math.Min(c.Ranks, c.Chunks);
            Assert.Equal(CeilDiv(c.Chunks, r), boxes.Max(b => b.ChunkCount));
            Assert.True(boxes.Min(b => b.ChunkCount) >= c.Chunks / r, "a 1-D box is smaller than ⌊N/r⌋");
        });
    }

    [Fact]
    public void BalancedIsNeverWorseThanXPartitionOverTheSameDims()
    {
        Check(Cases(maxCount: 60), 400, seed: 5, c =>
        {
            if (c.Chunks == 0)
            {
                return;
            }

            long balanced = Partitioner.Balanced(c.Counts, c.Ranks).Max(b => b.ChunkCount);
            var identity = Enumerable.Range(0, c.Counts.Length).ToArray();
            long xpartition = Partitioner.XPartition(c.Counts, identity, c.Ranks).Max(b => b?.ChunkCount ?? 0);
            Assert.True(balanced <= xpartition, $"Balanced's largest box has {balanced} chunks, xpartition's {xpartition}.");
        });
    }

    [Fact]
    public void BalancedIsDeterministicAndSortedByStart()
    {
        Check(Cases(maxCount: 60), 200, seed: 6, c =>
        {
            var first = Partitioner.Balanced(c.Counts, c.Ranks);
            var second = Partitioner.Balanced((long[])c.Counts.Clone(), c.Ranks);
            Assert.Equal(first, second);
            for (int i = 1; i < first.Count; i++)
            {
                Assert.True(CompareLexicographically(first[i - 1].Start, first[i].Start) < 0,
                    $"box {i - 1} {first[i - 1]} does not start before box {i} {first[i]}");
            }
        });
    }

    // ---------------------------------------------------------------- Balanced: examples

    [Fact]
    public void BalancedSplitsTenChunksOnFourRanksIntoThreesAndTwos()
    {
        var boxes = Partitioner.Balanced([10], 4);
        Assert.Equal(new long[] { 3, 3, 2, 2 }, boxes.Select(b => b.ChunkCount).OrderDescending());
        AssertExactCover([10], boxes);
    }

    [Fact]
    public void BalancedUsesEveryRankWhereXPartitionLeavesSomeIdle()
    {
        // xpartition: 5 x 4 chunks on 8 ranks splits x five ways and leaves 3 ranks idle (boxes of 4).
        var boxes = Partitioner.Balanced([5, 4], 8);
        Assert.Equal(8, boxes.Count);
        Assert.Equal(3, boxes.Max(b => b.ChunkCount));
        AssertExactCover([5, 4], boxes);
    }

    [Fact]
    public void BalancedGivesOneChunkPerRankWhenRanksOutnumberChunks()
    {
        var boxes = Partitioner.Balanced([3, 2], 50);
        Assert.Equal(6, boxes.Count);
        Assert.All(boxes, b => Assert.Equal(1, b.ChunkCount));
    }

    [Theory]
    [InlineData(new long[] { 3, 0, 2 }, 5)]
    [InlineData(new long[] { 0 }, 1)]
    [InlineData(new long[] { 7, 0 }, 200)]
    public void BalancedReturnsOneCoveringBoxForAnEmptyGrid(long[] counts, int ranks)
    {
        var box = Assert.Single(Partitioner.Balanced(counts, ranks));
        Assert.Equal(new ChunkBox(new long[counts.Length], counts), box);
        Assert.Equal(0, box.ChunkCount);
    }

    [Fact]
    public void BalancedOfAScalarIsOneBoxWithNoAxes()
    {
        var box = Assert.Single(Partitioner.Balanced([], 4));
        Assert.Equal(0, box.Rank);
        Assert.Equal(1, box.ChunkCount);
    }

    [Fact]
    public void BalancedPlansTenMillionChunksIntoTenThousandBoxes()
    {
        var clock = Stopwatch.StartNew();
        var boxes = Partitioner.Balanced([10_000, 1_000], 10_000);
        clock.Stop();
        output.WriteLine($"Balanced([10000, 1000], 10000): {clock.Elapsed.TotalMilliseconds:F1} ms (first call, includes JIT)");
        Assert.Equal(10_000, boxes.Count);
        Assert.Equal(1_000, boxes.Max(b => b.ChunkCount));
        Assert.Equal(10_000_000, boxes.Sum(b => b.ChunkCount));
    }

    // ---------------------------------------------------------------- XPartition: xpartition's table

    /// <summary>
    /// Worked by hand from xpartition's formula, meta[d] = min(⌈nb[d] / (ranks // used)⌉, nb[d]),
    /// grid = ⌈nb/meta⌉, rank → unravel_index(rank, grid) in C order; "-" is an idle rank.
    /// </summary>
    public static TheoryData<long[], int[], int, string, string> XPartitionTable() => new()
    {
        // 10 chunks on 4 ranks rounds up: 3, 3, 3, 1.
        { [10], [0], 4, "3 3 3 1", "[0,3) [3,6) [6,9) [9,10)" },
        // 10 on 6: five partitions of 2, rank 5 idle.
        { [10], [0], 6, "2 2 2 2 2 -", "[0,2) [2,4) [4,6) [6,8) [8,10) -" },
        // 16 on 7: 3 x5, 1, rank 6 idle.
        { [16], [0], 7, "3 3 3 3 3 1 -", "[0,3) [3,6) [6,9) [9,12) [12,15) [15,16) -" },
        // 3 on 11: 8 idle.
        { [3], [0], 11, "1 1 1 - - - - - - - -", "[0,1) [1,2) [2,3) - - - - - - - -" },
        // 5 x 4 (x, y), 8 ranks, dims [x, y]: x split 5 ways, 8 // 5 = 1 so y is not split, 3 idle.
        { [5, 4], [0, 1], 8, "4 4 4 4 4 - - -", "[0,1)x[0,4) [1,2)x[0,4) [2,3)x[0,4) [3,4)x[0,4) [4,5)x[0,4) - - -" },
        // Same array, dims [y, x], 12 ranks: y split 4 ways (meta 1), 12 // 4 = 3, x meta ⌈5/3⌉ = 2 → 3 parts.
        // Grid 4 (y) x 3 (x) in dims order; 3 x 4 in the variable's (x, y) order, which C order follows.
        {
            [5, 4], [1, 0], 12, "2 2 2 2 2 2 2 2 1 1 1 1",
            "[0,2)x[0,1) [0,2)x[1,2) [0,2)x[2,3) [0,2)x[3,4) [2,4)x[0,1) [2,4)x[1,2) [2,4)x[2,3) [2,4)x[3,4) [4,5)x[0,1) [4,5)x[1,2) [4,5)x[2,3) [4,5)x[3,4)"
        },
        // Floor division: 3 x 10 on 8 ranks, 8 // 3 = 2, so the second dim gets 2 parts of 5 and 2 ranks idle.
        { [3, 10], [0, 1], 8, "5 5 5 5 5 5 - -", "[0,1)x[0,5) [0,1)x[5,10) [1,2)x[0,5) [1,2)x[5,10) [2,3)x[0,5) [2,3)x[5,10) - -" },
        // 7 x 7 on 10: 10 // 7 = 1, the second dim stays whole, 3 idle.
        { [7, 7], [0, 1], 10, "7 7 7 7 7 7 7 - - -", "[0,1)x[0,7) [1,2)x[0,7) [2,3)x[0,7) [3,4)x[0,7) [4,5)x[0,7) [5,6)x[0,7) [6,7)x[0,7) - - -" },
        // No partition dim: rank 0 writes the whole variable.
        { [5, 4], [-1, -1], 3, "20 - -", "[0,5)x[0,4) - -" },
        // Only y partitioned: meta ⌈4/3⌉ = 2, two parts, full range on x.
        { [5, 4], [-1, 0], 3, "10 10 -", "[0,5)x[0,2) [0,5)x[2,4) -" },
        // Variable (t, y, x) with user dims [x, t]: x first (5 parts of 1), 7 // 5 = 1 leaves t whole; y is not partitioned.
        {
            [6, 4, 5], [1, -1, 0], 7, "24 24 24 24 24 - -",
            "[0,6)x[0,4)x[0,1) [0,6)x[0,4)x[1,2) [0,6)x[0,4)x[2,3) [0,6)x[0,4)x[3,4) [0,6)x[0,4)x[4,5) - -"
        },
        // One rank: the whole variable.
        { [4, 9], [0, 1], 1, "36", "[0,4)x[0,9)" },
        // A dim with no chunks (length 0): rank 0 gets the whole, empty, box.
        { [0, 4], [0, 1], 3, "0 - -", "[0,0)x[0,4) - -" },
    };

    [Theory]
    [MemberData(nameof(XPartitionTable))]
    public void XPartitionReproducesXPartitionsTable(long[] counts, int[] priority, int ranks, string sizes, string boxes)
    {
        var plan = Partitioner.XPartition(counts, priority, ranks);
        Assert.Equal(ranks, plan.Count);
        Assert.Equal(sizes, string.Join(" ", plan.Select(b => b is null ? "-" : b.ChunkCount.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(boxes, string.Join(" ", plan.Select(b => b is null ? "-" : b.ToString())));
    }

    // ---------------------------------------------------------------- XPartition: properties

    [Fact]
    public void XPartitionActiveBoxesAreDisjointCoverTheGridAndStartAtRankZero()
    {
        Check(Cases(maxCount: 30, withPriority: true), 400, seed: 7, c =>
        {
            var plan = Partitioner.XPartition(c.Counts, c.Priority, c.Ranks);
            Assert.Equal(c.Ranks, plan.Count);
            Assert.NotNull(plan[0]);

            // Idle ranks are the last ones: xpartition gives rank k a box iff k < prod(grid).
            int active = plan.TakeWhile(b => b is not null).Count();
            Assert.All(plan.Skip(active), Assert.Null);

            var boxes = plan.Take(active).Select(b => b!).ToList();
            if (c.Chunks == 0)
            {
                Assert.Equal(new[] { new ChunkBox(new long[c.Counts.Length], c.Counts) }, boxes);
                return;
            }

            AssertExactCover(c.Counts, boxes);
            if (c.Chunks <= 20_000)
            {
                Assert.All(CoverCounts(c.Counts, boxes), n => Assert.Equal(1, n));
            }
        });
    }

    [Fact]
    public void XPartitionBoxesAreAlignedToOneMetaGridInCOrder()
    {
        Check(Cases(maxCount: 30, withPriority: true), 400, seed: 8, c =>
        {
            if (c.Chunks == 0)
            {
                return;
            }

            var plan = Partitioner.XPartition(c.Counts, c.Priority, c.Ranks);
            var boxes = plan.Where(b => b is not null).Select(b => b!).ToList();
            int dims = c.Counts.Length;

            // Rank 0's box fixes the meta-chunk size on every dim; every box is a cell of that grid.
            long[] meta = boxes[0].Stop;
            long[] grid = new long[dims];
            for (int d = 0; d < dims; d++)
            {
                grid[d] = CeilDiv(c.Counts[d], meta[d]);
                if (c.Priority[d] < 0)
                {
                    Assert.Equal(c.Counts[d], meta[d]);
                }
            }

            Assert.Equal(Math.Min(c.Ranks, grid.Aggregate(1L, (a, b) => a * b)), boxes.Count);
            for (int k = 0; k < boxes.Count; k++)
            {
                long rest = k;
                for (int d = dims - 1; d >= 0; d--)
                {
                    long index = rest % grid[d];
                    rest /= grid[d];
                    Assert.Equal(index * meta[d], boxes[k].Start[d]);
                    Assert.Equal(Math.Min((index + 1) * meta[d], c.Counts[d]), boxes[k].Stop[d]);
                }
            }
        });
    }

    [Fact]
    public void XPartitionDoesNotDependOnHowPrioritiesAreNumbered()
    {
        // Only the order of the priorities matters: positions 0, 1 and 5, 9 mean the same thing.
        Check(Cases(maxCount: 30, withPriority: true), 200, seed: 9, c =>
        {
            int[] spread = c.Priority.Select(p => p < 0 ? -1 : 3 * p + 2).ToArray();
            Assert.Equal(Partitioner.XPartition(c.Counts, c.Priority, c.Ranks), Partitioner.XPartition(c.Counts, spread, c.Ranks));
        });
    }

    // ---------------------------------------------------------------- argument checks

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void RanksBelowOneAreRejected(int ranks)
    {
        var balanced = Assert.Throws<ZarrPartitionException>(() => Partitioner.Balanced([4, 4], ranks));
        Assert.Equal(ErrorKind.InvalidArgument, balanced.Kind);
        Assert.Equal("InvalidRankCount", balanced.ErrorId);
        Assert.Contains("1 or more", balanced.Message);

        var xpartition = Assert.Throws<ZarrPartitionException>(() => Partitioner.XPartition([4, 4], [0, 1], ranks));
        Assert.Equal(ErrorKind.InvalidArgument, xpartition.Kind);
        Assert.Equal("InvalidRankCount", xpartition.ErrorId);
    }

    [Fact]
    public void NegativeChunkCountsAreRejected()
    {
        Assert.Equal("InvalidChunkCount", Assert.Throws<ZarrPartitionException>(() => Partitioner.Balanced([4, -1], 2)).ErrorId);
        Assert.Equal("InvalidChunkCount", Assert.Throws<ZarrPartitionException>(() => Partitioner.XPartition([-1], [0], 2)).ErrorId);
    }

    [Fact]
    public void GridsOfMoreThanLongMaxChunksAreRejected()
    {
        var error = Assert.Throws<ZarrPartitionException>(() => Partitioner.Balanced([1L << 40, 1L << 40], 2));
        Assert.Equal("TooManyChunks", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Theory]
    [InlineData(new long[] { 4, 4 }, new[] { 0 }, "PriorityLengthMismatch")]
    [InlineData(new long[] { 4, 4 }, new[] { 1, 1 }, "DuplicatePriority")]
    [InlineData(new long[] { 4, 4 }, new[] { 0, -2 }, "InvalidPriority")]
    public void BadPrioritiesAreRejected(long[] counts, int[] priority, string errorId)
    {
        var error = Assert.Throws<ZarrPartitionException>(() => Partitioner.XPartition(counts, priority, 4));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>1–4 dims with 0..maxCount chunks each (a few zeros), 1–200 ranks, optionally random partition priorities.</summary>
    private static Gen<Case> Cases(int maxCount, bool withPriority = false)
    {
        var count = Gen.Frequency((1, Gen.Constant(0L)), (30, Gen.Choose(1, maxCount).Select(n => (long)n)));
        return
            from dims in Gen.Choose(1, 4)
            from counts in Gen.ArrayOf(count, dims)
            from ranks in Gen.Frequency((3, Gen.Choose(1, 200)), (1, Gen.Choose(1, 12)))
            from order in Gen.Shuffle(Enumerable.Range(0, dims))
            from partitioned in Gen.ArrayOf(Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false))), dims)
            select new Case(counts, ranks, withPriority
                ? Enumerable.Range(0, dims).Select(d => partitioned[d] ? order[d] : -1).ToArray()
                : Enumerable.Range(0, dims).ToArray());
    }

    private static void Check(Gen<Case> cases, int runs, ulong seed, Action<Case> property)
    {
        var config = Config.QuickThrowOnFailure
            .WithMaxTest(runs)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)));
        global::FsCheck.Check.One(config, Prop.ForAll(Arb.From(cases), property));
    }

    /// <summary>Every box inside the grid and non-empty, no two overlapping, and their sizes adding up to the grid: an exact cover.</summary>
    private static void AssertExactCover(IReadOnlyList<long> counts, IReadOnlyList<ChunkBox> boxes)
    {
        long total = counts.Aggregate(1L, (a, b) => a * b);
        foreach (var box in boxes)
        {
            Assert.Equal(counts.Count, box.Rank);
            for (int d = 0; d < counts.Count; d++)
            {
                Assert.InRange(box.Start[d], 0, counts[d] - 1);
                Assert.InRange(box.Stop[d], box.Start[d] + 1, counts[d]);
            }
        }

        Assert.Equal(total, boxes.Sum(b => b.ChunkCount));
        for (int i = 0; i < boxes.Count; i++)
        {
            for (int j = i + 1; j < boxes.Count; j++)
            {
                Assert.False(Overlap(boxes[i], boxes[j]), $"boxes {boxes[i]} and {boxes[j]} overlap");
            }
        }
    }

    /// <summary>How many boxes hold each chunk of the grid, chunk by chunk (C order).</summary>
    private static int[] CoverCounts(IReadOnlyList<long> counts, IEnumerable<ChunkBox> boxes)
    {
        long total = counts.Aggregate(1L, (a, b) => a * b);
        var owners = new int[total];
        foreach (var box in boxes)
        {
            if (box.ChunkCount == 0)
            {
                continue;
            }

            var index = (long[])box.Start.Clone();
            while (true)
            {
                long flat = 0;
                for (int d = 0; d < counts.Count; d++)
                {
                    flat = flat * counts[d] + index[d];
                }

                owners[flat]++;
                int axis = counts.Count - 1;
                while (axis >= 0 && ++index[axis] == box.Stop[axis])
                {
                    index[axis] = box.Start[axis];
                    axis--;
                }

                if (axis < 0)
                {
                    break;
                }
            }
        }

        return owners;
    }

    private static bool Overlap(ChunkBox a, ChunkBox b)
    {
        for (int d = 0; d < a.Rank; d++)
        {
            if (Math.Max(a.Start[d], b.Start[d]) >= Math.Min(a.Stop[d], b.Stop[d]))
            {
                return false;
            }
        }

        return true;
    }

    private static int CompareLexicographically(long[] a, long[] b)
    {
        for (int d = 0; d < a.Length; d++)
        {
            int c = a[d].CompareTo(b[d]);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
