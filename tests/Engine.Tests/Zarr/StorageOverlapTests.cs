using System.Runtime.InteropServices;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Tests.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Zarr;

/// <summary>
/// Chunks whose bytes are waiting on the store give up their encoding thread: with T encoding
/// threads and an overlap of K, up to T + K chunks are in the store at once, never more.
/// </summary>
public class StorageOverlapTests
{
    /// <summary>A store whose chunk writes block until the test opens the gate, counting how many wait at once.</summary>
    private sealed class GatedStore(MemoryStore inner) : ForwardingStore(inner)
    {
        private int _waiting;

        public ManualResetEventSlim Open { get; } = new(false);

        public int MostWaiting { get; private set; }

        public int Waiting => Volatile.Read(ref _waiting);

        public override void Set(string key, ReadOnlySpan<byte> value)
        {
            if (!key.EndsWith(".zarray", StringComparison.Ordinal) && !key.EndsWith(".zattrs", StringComparison.Ordinal))
            {
                int now = Interlocked.Increment(ref _waiting);
                lock (this)
                {
                    MostWaiting = Math.Max(MostWaiting, now);
                }

                Open.Wait(TimeSpan.FromSeconds(30));
                Interlocked.Decrement(ref _waiting);
            }

            base.Set(key, value);
        }
    }

    [Theory]
    [InlineData(1, 2, "blosc:lz4:5")]
    [InlineData(1, 0, "blosc:lz4:5")]
    [InlineData(2, 2, "zlib:1")]
    [InlineData(1, 3, "none")]
    public async Task ChunksWaitingOnTheStoreAreBoundedByThreadsPlusOverlap(int threads, int overlap, string codec)
    {
        var store = new GatedStore(new MemoryStore());
        var shape = new long[] { 12, 64 };
        var meta = ArrayMetadata.Create(2, shape, [1, 64], ZarrDataType.Float32, null, CodecSpec.Parse(codec).Build(ZarrDataType.Float32), null, null);
        var array = ZarrArray.Create(store, "v", meta);
        var values = Enumerable.Range(0, 12 * 64).Select(i => 280f + MathF.Sin(i / 7f)).ToArray();
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        int encoded = 0;
        var options = new ExecutionOptions { MaxThreads = threads, StorageOverlap = overlap, ChunkEncoded = () => Interlocked.Increment(ref encoded) };

        var writer = Task.Run(() => array.WriteRegion([0, 0], shape, bytes, options));
        int expected = threads + overlap;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (store.Waiting < expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        await Task.Delay(300); // time for any chunk beyond the bound to (wrongly) start
        Assert.Equal(expected, store.Waiting);
        Assert.Equal(expected, Volatile.Read(ref encoded));
        store.Open.Set();
        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(expected, store.MostWaiting);
        Assert.Equal(12, Volatile.Read(ref encoded));
        Assert.Equal(values, array.Read<float>([0, 0], shape));
    }

    [Fact]
    public void TheMemoryBudgetBoundsChunksInFlight()
    {
        // 3 x 1 MiB per chunk in flight; 8 MiB allow two, whatever the overlap
        var options = new ExecutionOptions { MaxThreads = 4, StorageOverlap = 4, MaxMemoryBytes = 8L << 20 };
        Assert.Equal(2, options.ThreadsFor(1 << 20));
        Assert.Equal(2, options.InFlightFor(1 << 20));
        Assert.Equal(6, (options with { MaxMemoryBytes = 1L << 30, MaxThreads = 2 }).InFlightFor(1 << 20));
        Assert.Equal(2, (options with { MaxMemoryBytes = 1L << 30, MaxThreads = 2, StorageOverlap = 0 }).InFlightFor(1 << 20));
    }
}
