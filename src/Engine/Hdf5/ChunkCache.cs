using System.Collections.Concurrent;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Decoded chunks kept for reads that cover only part of a chunk, so neighbouring hyperslabs (for
/// example Zarr chunks smaller than the HDF5 chunks) do not decompress the same chunk again. Bounded
/// in bytes; the least recently used chunks go first. Lookups and inserts take no lock; eviction runs
/// in whichever thread finds the cache full, and other threads never wait for it.
/// </summary>
internal sealed class ChunkCache
{
    private readonly ConcurrentDictionary<(long Dataset, long Chunk), Entry> entries = new();
    private readonly object evicting = new();
    private long bytes;
    private long clock;

    /// <summary>Capacity in bytes; 0 turns caching off.</summary>
    public long Capacity { get; set; } = 32L << 20;

    public byte[]? Get(long dataset, long chunk)
    {
        if (entries.TryGetValue((dataset, chunk), out var entry))
        {
            entry.Stamp = Interlocked.Increment(ref clock);
            return entry.Data;
        }

        return null;
    }

    /// <summary>Keeps <paramref name="data"/>; true when the cache took it (it then owns the buffer, which nobody may change).</summary>
    public bool Add(long dataset, long chunk, byte[] data)
    {
        long capacity = Capacity;
        if (data.Length > capacity / 4)
        {
            return false;
        }

        var entry = new Entry(data) { Stamp = Interlocked.Increment(ref clock) };
        if (!entries.TryAdd((dataset, chunk), entry))
        {
            return false;
        }

        if (Interlocked.Add(ref bytes, data.Length) > capacity)
        {
            Evict(capacity);
        }

        return true;
    }

    private void Evict(long capacity)
    {
        if (!Monitor.TryEnter(evicting))
        {
            return;
        }

        try
        {
            var oldest = entries.ToArray();
            Array.Sort(oldest, (a, b) => a.Value.Stamp.CompareTo(b.Value.Stamp));
            foreach (var (key, entry) in oldest)
            {
                if (Interlocked.Read(ref bytes) <= capacity * 3 / 4)
                {
                    break;
                }

                if (entries.TryRemove(key, out _))
                {
                    Interlocked.Add(ref bytes, -entry.Data.Length);
                }
            }
        }
        finally
        {
            Monitor.Exit(evicting);
        }
    }

    private sealed class Entry(byte[] data)
    {
        public byte[] Data { get; } = data;

        public long Stamp { get; set; }
    }
}
