using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Datasets;

/// <summary>
/// A bounded, thread-safe LRU of open source files (the design xarray's CachingFileManager follows).
/// A file in use (leased) is never closed; when the cache is over its bound, the least recently used
/// idle file is closed, and reopened transparently by the next <see cref="Acquire"/>. Open handles never
/// exceed the bound plus the files leased at that moment.
/// </summary>
public sealed class SourceCache : IDisposable
{
    private static readonly Lazy<SourceCache> SharedInstance = new(() => new SourceCache(DefaultCapacity, SourceOpener.Open));

    public const int DefaultCapacity = 128;

    private readonly object _gate = new();
    private readonly Func<string, IDataset> _opener;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _idle = new(); // least recently used first
    private bool _disposed;

    public SourceCache(int capacity = DefaultCapacity, Func<string, IDataset>? opener = null)
    {
        if (capacity < 1)
        {
            throw new ZarrPartitionException("InvalidCacheSize", ErrorKind.InvalidArgument, capacity.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "The open-file cache must hold at least one file.");
        }

        Capacity = capacity;
        _opener = opener ?? SourceOpener.Open;
    }

    /// <summary>The process-wide cache (128 files), shared by every runspace and thread.</summary>
    public static SourceCache Shared => SharedInstance.Value;

    public int Capacity { get; }

    /// <summary>Files open right now (leased or idle).</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>How many times a file was opened (first use or after eviction).</summary>
    public long Opens => Interlocked.Read(ref _opens);

    private long _opens;

    /// <summary>Leases the dataset at <paramref name="path"/>, opening it if needed. Dispose the lease when done.</summary>
    public SourceLease Acquire(string path)
    {
        var key = Path.GetFullPath(path);
        Entry? entry;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(key, out entry))
            {
                if (entry.Leases == 0 && entry.IdleNode is not null)
                {
                    _idle.Remove(entry.IdleNode);
                    entry.IdleNode = null;
                }

                entry.Leases++;
            }
            else
            {
                entry = new Entry(key) { Leases = 1 };
                _entries[key] = entry;
            }
        }

        try
        {
            // open outside the global gate: other files stay available while this one opens
            entry.EnsureOpen(_opener, ref _opens);
        }
        catch
        {
            Release(entry, failed: true);
            throw;
        }

        return new SourceLease(this, entry);
    }

    internal void Release(Entry entry, bool failed = false)
    {
        var toClose = new List<IDataset>();
        lock (_gate)
        {
            entry.Leases--;
            if (entry.Leases == 0)
            {
                if (failed || _disposed)
                {
                    _entries.Remove(entry.Key);
                    if (entry.Dataset is { } d)
                    {
                        toClose.Add(d);
                    }
                }
                else
                {
                    entry.IdleNode = _idle.AddLast(entry);
                }
            }

            while (_entries.Count > Capacity && _idle.First is { } lru)
            {
                _idle.RemoveFirst();
                lru.Value.IdleNode = null;
                _entries.Remove(lru.Value.Key);
                if (lru.Value.Dataset is { } d)
                {
                    toClose.Add(d);
                }
            }
        }

        foreach (var d in toClose)
        {
            d.Dispose();
        }
    }

    public void Dispose()
    {
        List<IDataset> toClose;
        lock (_gate)
        {
            _disposed = true;
            toClose = _idle.Where(e => e.Dataset is not null).Select(e => e.Dataset!).ToList();
            foreach (var e in _idle)
            {
                _entries.Remove(e.Key);
            }

            _idle.Clear();
        }

        foreach (var d in toClose)
        {
            d.Dispose();
        }
    }

    internal sealed class Entry
    {
        private readonly object _openGate = new();

        public Entry(string key) => Key = key;

        public string Key { get; }

        public int Leases { get; set; }

        public LinkedListNode<Entry>? IdleNode { get; set; }

        public IDataset? Dataset { get; private set; }

        public void EnsureOpen(Func<string, IDataset> opener, ref long opens)
        {
            if (Dataset is not null)
            {
                return;
            }

            lock (_openGate)
            {
                if (Dataset is null)
                {
                    Dataset = opener(Key);
                    Interlocked.Increment(ref opens);
                }
            }
        }
    }
}
