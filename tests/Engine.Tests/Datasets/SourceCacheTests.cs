using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Engine.Tests.Datasets;

public class SourceCacheTests
{
    /// <summary>A dataset that counts how many are open at once and refuses use after dispose.</summary>
    private sealed class CountingDataset : IDataset
    {
        private readonly Counter _counter;
        private int _disposed;

        public CountingDataset(string path, Counter counter)
        {
            Location = path;
            _counter = counter;
            int now = Interlocked.Increment(ref counter.Open);
            int seen;
            while ((seen = Volatile.Read(ref counter.MaxOpen)) < now && Interlocked.CompareExchange(ref counter.MaxOpen, now, seen) != seen)
            {
            }
        }

        public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

        public string Location { get; }

        public string Format => "TEST";

        public DatasetGroup Root => new("", "", [], [], [], []);

        public void Read(string groupPath, Variable variable, long[] start, long[] count, Span<byte> output)
        {
            if (IsDisposed)
            {
                throw new ObjectDisposedException(Location);
            }
        }

        public string[] ReadStrings(string groupPath, Variable variable, long[] start, long[] count) => [];

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref _counter.Open);
            }
        }
    }

    private sealed class Counter
    {
        public int Open;
        public int MaxOpen;
    }

    private static readonly Variable Dummy = new("v", ZarrPartition.Engine.Zarr.ZarrDataType.Float32, [], [], null, [], [], null);

    [Fact]
    public void OpenHandlesNeverExceedTheBoundPlusThoseInUseUnderParallelReads()
    {
        var counter = new Counter();
        const int capacity = 16;
        const int threads = 8;
        using var cache = new SourceCache(capacity, p => new CountingDataset(p, counter));
        var files = Enumerable.Range(0, 600).Select(i => Path.Combine(Path.GetTempPath(), $"zp-cache-{i}.nc")).ToArray();
        int inUse = 0, maxInUse = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var r = new Random(t);
            for (int i = 0; i < 3000; i++)
            {
                using var lease = cache.Acquire(files[r.Next(files.Length)]);
                int now = Interlocked.Increment(ref inUse);
                InterlockedMax(ref maxInUse, now);
                lease.Dataset.Read("", Dummy, [], [], []);
                Interlocked.Decrement(ref inUse);
            }
        });
        Assert.True(counter.MaxOpen <= capacity + threads, $"max open {counter.MaxOpen} > {capacity} + {threads}");
        Assert.True(counter.MaxOpen > capacity / 2, "the cache never filled: the test did not exercise eviction");
        Assert.True(cache.Opens > files.Length, "files were never reopened after eviction");
        Assert.InRange(cache.OpenCount, 1, capacity);
    }

    [Fact]
    public void AFileInUseIsNeverClosedAndAnEvictedFileReopensTransparently()
    {
        var counter = new Counter();
        using var cache = new SourceCache(2, p => new CountingDataset(p, counter));
        using var held = cache.Acquire("a.nc");
        var heldDataset = (CountingDataset)held.Dataset;
        for (int i = 0; i < 50; i++)
        {
            using var other = cache.Acquire($"f{i}.nc");
        }

        Assert.False(heldDataset.IsDisposed);
        Assert.True(cache.OpenCount <= 3);

        CountingDataset first;
        using (var lease = cache.Acquire("b.nc"))
        {
            first = (CountingDataset)lease.Dataset;
        }

        using (cache.Acquire("c.nc"))
        using (cache.Acquire("d.nc"))
        {
        }

        Assert.True(first.IsDisposed, "the least recently used idle file was not closed");
        long opens = cache.Opens;
        using (var again = cache.Acquire("b.nc"))
        {
            Assert.NotSame(first, again.Dataset);
            again.Dataset.Read("", Dummy, [], [], []);
        }

        Assert.Equal(opens + 1, cache.Opens);
    }

    [Fact]
    public void AFailedOpenLeavesNothingBehind()
    {
        using var cache = new SourceCache(4, p => p.EndsWith("bad.nc", StringComparison.Ordinal) ? throw new IOException("boom") : new CountingDataset(p, new Counter()));
        Assert.Throws<IOException>(() => cache.Acquire("bad.nc"));
        Assert.Equal(0, cache.OpenCount);
        using var ok = cache.Acquire("good.nc");
        Assert.Equal(1, cache.OpenCount);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
