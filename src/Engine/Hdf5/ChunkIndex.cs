namespace ZarrPartition.Engine.Hdf5;

/// <summary>Finds where a chunk of a chunked dataset is stored.</summary>
internal abstract class ChunkIndex
{
    protected ChunkIndex(Hdf5Storage storage, ChunkGeometry geometry, string what)
    {
        Storage = storage;
        Geometry = geometry;
        What = what;
    }

    /// <summary>"btree1", "single", "implicit", "fixed-array", "extensible-array" or "btree2".</summary>
    public abstract string Name { get; }

    protected Hdf5Storage Storage { get; }

    protected ChunkGeometry Geometry { get; }

    protected string What { get; }

    /// <summary>The stored chunk at chunk coordinates <paramref name="scaled"/>; false when it was never written.</summary>
    public abstract bool TryFind(ReadOnlySpan<long> scaled, out ChunkLocation location);
}
