using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Zarr;

public class ChunkParallelTests
{
    [Fact]
    public void EveryItemRunsOnceAndAllInFlightItemsRunTogether()
    {
        // One encoding thread, seven more items waiting on "storage": all eight must be inside the
        // body at once (each releases its slot, then waits for the other seven).
        const int inFlight = 8;
        using var together = new CountdownEvent(inFlight);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        var seen = new int[100];
        bool allMet = true;
        ChunkParallel.ForEachOverlapped(Enumerable.Range(0, seen.Length), seen.Length, 1, inFlight, CancellationToken.None, (i, release) =>
        {
            Interlocked.Increment(ref seen[i]);
            release();
            if (i < inFlight)
            {
                together.Signal();
                TimeSpan left = deadline - DateTime.UtcNow;
                if (!together.Wait(left > TimeSpan.Zero ? left : TimeSpan.Zero))
                {
                    allMet = false;
                }
            }
        });

        Assert.True(allMet, "the first items were not all in flight at once");
        Assert.All(seen, n => Assert.Equal(1, n));
    }

    [Fact]
    public void NoMoreWorkersThanItems()
    {
        var threads = new HashSet<int>();
        ChunkParallel.ForEachOverlapped(new[] { 1, 2 }, 2, 4, 8, CancellationToken.None, (i, release) =>
        {
            lock (threads)
            {
                threads.Add(Environment.CurrentManagedThreadId);
            }

            Thread.Sleep(50);
        });

        Assert.InRange(threads.Count, 1, 2);
    }

    [Fact]
    public void TheFirstFailureIsRethrownAsItIsAndStopsNewItems()
    {
        int started = 0;
        var e = Assert.Throws<ChunkException>(() => ChunkParallel.ForEachOverlapped(Enumerable.Range(0, 10_000), 10_000, 2, 4, CancellationToken.None, (i, release) =>
        {
            Interlocked.Increment(ref started);
            if (i == 3)
            {
                throw new ChunkException("TestBrokenChunk", ErrorKind.InvalidData, "v", "v/0.3", "broken chunk");
            }

            Thread.Sleep(1);
        }));

        Assert.Contains("broken chunk", e.Message);
        Assert.True(Volatile.Read(ref started) < 100, $"{started} items started after the failure");
    }

    [Fact]
    public void CancellationStopsTheLoopWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        int ran = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => ChunkParallel.ForEachOverlapped(Enumerable.Range(0, 10_000), 10_000, 2, 3, cts.Token, (i, release) =>
        {
            if (Interlocked.Increment(ref ran) == 5)
            {
                cts.Cancel();
            }
        }));

        Assert.InRange(Volatile.Read(ref ran), 5, 50);
    }
}
