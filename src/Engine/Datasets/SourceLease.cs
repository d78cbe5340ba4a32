namespace ZarrPartition.Engine.Datasets;

/// <summary>A dataset borrowed from a <see cref="SourceCache"/>; it stays open until the lease is disposed.</summary>
public sealed class SourceLease : IDisposable
{
    private readonly SourceCache _cache;
    private readonly SourceCache.Entry _entry;
    private int _released;

    internal SourceLease(SourceCache cache, SourceCache.Entry entry)
    {
        _cache = cache;
        _entry = entry;
    }

    public IDataset Dataset => _entry.Dataset ?? throw new ObjectDisposedException(nameof(SourceLease));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _cache.Release(_entry);
        }
    }
}
