using ZarrPartition.Engine.Codecs;

namespace ZarrPartition.Engine.Tests.Codecs;

public class WriteBuffersTests
{
    [Fact]
    public void ABufferIsKeptWhileThePoolIsBusyAndLetGoOnceItIsIdle()
    {
        var pool = new IdleTrimmedPool(1 << 20, 4, TimeSpan.FromHours(1));
        byte[] first = pool.Rent(100_000);
        pool.Return(first);

        // just used: not idle, so the same buffer comes back
        Assert.False(pool.TrimIfIdle(Environment.TickCount64));
        byte[] again = pool.Rent(100_000);
        Assert.Same(first, again);
        pool.Return(again);

        // an hour and a bit later: idle, so the pool lets it go and allocates anew
        Assert.True(pool.TrimIfIdle(Environment.TickCount64 + (long)TimeSpan.FromHours(1.1).TotalMilliseconds));
        Assert.Equal(1, pool.Trims);
        byte[] fresh = pool.Rent(100_000);
        Assert.NotSame(first, fresh);
        pool.Return(fresh);
        Assert.Same(fresh, pool.Rent(100_000));
    }

    [Fact]
    public void ABufferRentedBeforeATrimCanBeReturnedAfterIt()
    {
        var pool = new IdleTrimmedPool(1 << 20, 4, TimeSpan.FromHours(1));
        byte[] held = pool.Rent(300_000);
        Assert.True(pool.TrimIfIdle(Environment.TickCount64 + (long)TimeSpan.FromHours(2).TotalMilliseconds));
        // a chunk worker still writing when the trim came: its return must not fail
        pool.Return(held);
        byte[] next = pool.Rent(300_000);
        Assert.True(next.Length >= 300_000);
        pool.Return(next);
        Assert.Same(next, pool.Rent(300_000));
    }

    [Fact]
    public void TheTimerTrimsAPoolLeftIdle()
    {
        var pool = new IdleTrimmedPool(1 << 20, 4, TimeSpan.FromMilliseconds(20));
        byte[] buffer = pool.Rent(50_000);
        pool.Return(buffer);

        // a liveness check, not a timing one: the timer must fire at some point well within the limit
        var limit = DateTime.UtcNow.AddSeconds(30);
        while (pool.Trims == 0 && DateTime.UtcNow < limit)
        {
            Thread.Sleep(10);
        }

        Assert.Equal(1, pool.Trims);
        Assert.NotSame(buffer, pool.Rent(50_000));
    }
}
