using System.Collections.Concurrent;
using System.Text;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// A pure managed, read-only HDF5 reader for what netCDF-C 4.x and h5py write: superblocks 0-3,
/// object headers 1 and 2, old (symbol table) and new (compact and dense link) groups, compact and
/// dense attributes, contiguous, compact and chunked datasets with every chunk index, and the
/// deflate, shuffle, fletcher32, zstd and blosc filters. Opening reads only the superblock and the
/// root group's header; the rest is read when first asked for. Any number of threads may read at
/// once. Malformed input is always a <see cref="SourceFormatException"/> that names the file and
/// the structure.
/// </summary>
public sealed class Hdf5File : IDisposable
{
    private readonly ConcurrentDictionary<long, Lazy<ObjectHeader>> headers = new();
    private readonly Lazy<Dictionary<long, Hdf5Dataset>> datasetsByAddress;

    private Hdf5File(Hdf5Storage storage)
    {
        Storage = storage;
        GlobalHeap = new GlobalHeap(storage);
        var superblock = Superblock.Read(storage);
        SuperblockVersion = superblock.Version;
        var rootHeader = Header(superblock.RootObjectHeader);
        if (!Hdf5Group.IsGroup(rootHeader))
        {
            throw storage.Error($"the root object at {Hdf5Storage.Hex(superblock.RootObjectHeader)} is not a group.");
        }

        Root = new Hdf5Group(this, rootHeader, "", "/", null);
        datasetsByAddress = new(() => Guard(storage, "object reference lookup", IndexDatasets));
    }

    public string Path => Storage.Path;

    public Hdf5Group Root { get; }

    /// <summary>Version of the superblock (0-3).</summary>
    public int SuperblockVersion { get; }

    internal Hdf5Storage Storage { get; }

    internal GlobalHeap GlobalHeap { get; }

    internal ChunkCache Chunks { get; } = new();

    /// <summary>
    /// Bytes of decoded chunks kept for reads that cover only part of a filtered chunk (default 32 MiB;
    /// 0 turns the cache off). Reads that cover whole chunks never use it.
    /// </summary>
    public long ChunkCacheBytes
    {
        get => Chunks.Capacity;
        set => Chunks.Capacity = Math.Max(0, value);
    }

    /// <summary>
    /// Opens an HDF5 file (also one with a user block). A file that is not HDF5 or is damaged is a
    /// <see cref="SourceFormatException"/>; a missing or unreadable file is the usual I/O exception.
    /// </summary>
    public static Hdf5File Open(string path) => Open(path, verifyChecksums: true);

    /// <summary>Opens a file, optionally without verifying metadata checksums (for tests that damage files on purpose).</summary>
    internal static Hdf5File Open(string path, bool verifyChecksums)
    {
        ArgumentNullException.ThrowIfNull(path);
        var storage = new Hdf5Storage(path, verifyChecksums);
        try
        {
            return Guard(storage, "opening the file", () => new Hdf5File(storage));
        }
        catch
        {
            storage.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The dataset whose object header is at <paramref name="objectHeaderAddress"/> (what object
    /// references such as netCDF's DIMENSION_LIST hold): the one reached through the group tree
    /// when there is one, else a nameless dataset; null when the object is not a dataset.
    /// </summary>
    public Hdf5Dataset? DatasetAt(long objectHeaderAddress)
    {
        if (datasetsByAddress.Value.TryGetValue(objectHeaderAddress, out var found))
        {
            return found;
        }

        if (objectHeaderAddress < 0 || Storage.BytesAfter(objectHeaderAddress) == 0)
        {
            return null;
        }

        return Guard(Storage, $"object at {Hdf5Storage.Hex(objectHeaderAddress)}", () =>
        {
            var header = Header(objectHeaderAddress);
            return Hdf5Group.IsDataset(header) ? new Hdf5Dataset(this, header, "", "") : null;
        });
    }

    public void Dispose() => Storage.Dispose();

    public override string ToString() => Path;

    /// <summary>The object header at an address, read once and shared.</summary>
    internal ObjectHeader Header(long address) =>
        headers.GetOrAdd(address, a => new Lazy<ObjectHeader>(() => ObjectHeader.Read(Storage, a))).Value;

    /// <summary>Runs <paramref name="action"/>, turning any unexpected exception into a <see cref="SourceFormatException"/>.</summary>
    internal static T Guard<T>(Hdf5Storage storage, string what, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsUnexpected(e))
        {
            throw Unexpected(storage, what, e);
        }
    }

    /// <summary>Exceptions that mean damaged input slipped past a check (never the caller's own errors or ours).</summary>
    internal static bool IsUnexpected(Exception e) => e is not (SourceFormatException or OperationCanceledException or OutOfMemoryException or ObjectDisposedException);

    internal static SourceFormatException Unexpected(Hdf5Storage storage, string what, Exception e) =>
        storage.Error($"{what}: the data is damaged ({e.GetType().Name}: {e.Message}).", e);

    private Dictionary<long, Hdf5Dataset> IndexDatasets()
    {
        var map = new Dictionary<long, Hdf5Dataset>();
        var seenGroups = new HashSet<long>();
        var queue = new Queue<Hdf5Group>();
        queue.Enqueue(Root);
        while (queue.Count > 0)
        {
            var g = queue.Dequeue();
            if (!seenGroups.Add(g.Address))
            {
                continue;
            }

            foreach (var d in g.Datasets)
            {
                map.TryAdd(d.Address, d);
            }

            foreach (var child in g.Groups)
            {
                queue.Enqueue(child);
            }
        }

        return map;
    }
}
