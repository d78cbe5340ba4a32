namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The chunk entry of the layout-4 indexes (fixed-array and extensible-array elements, and v2 B-tree
/// records of type 10/11 ahead of their chunk coordinates): the chunk's address, then for filtered
/// chunks only its stored size (1 to 8 bytes) and the mask of filters skipped for it. Unfiltered
/// chunks are all <see cref="ChunkGeometry.ChunkBytes"/> long and skip no filter.
/// </summary>
internal readonly struct ChunkEntry
{
    private readonly bool filtered;
    private readonly int sizeBytes;
    private readonly long chunkBytes;

    private ChunkEntry(int size, bool filtered, int sizeBytes, long chunkBytes)
    {
        Size = size;
        this.filtered = filtered;
        this.sizeBytes = sizeBytes;
        this.chunkBytes = chunkBytes;
    }

    /// <summary>Bytes of one entry.</summary>
    public int Size { get; }

    /// <summary>
    /// The entry an index records as <paramref name="size"/> bytes; false when that size fits neither
    /// the address alone (unfiltered) nor address, size and mask (filtered).
    /// </summary>
    public static bool TryCreate(int size, bool filtered, Hdf5Storage storage, ChunkGeometry geometry, out ChunkEntry entry)
    {
        int o = storage.OffsetSize;
        int sizeBytes = size - o - 4;
        entry = new ChunkEntry(size, filtered, sizeBytes, geometry.ChunkBytes);
        return filtered ? sizeBytes is >= 1 and <= 8 : size == o;
    }

    /// <summary>Reads one entry at the reader's position.</summary>
    public ChunkLocation Read(ref FieldReader r)
    {
        long at = r.Offset();
        if (!filtered)
        {
            return new ChunkLocation(at, chunkBytes, 0);
        }

        long size = r.Count(sizeBytes, "chunk size");
        uint mask = r.U32();
        return new ChunkLocation(at, size, mask);
    }
}
