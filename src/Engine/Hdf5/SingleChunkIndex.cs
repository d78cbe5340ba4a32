namespace ZarrPartition.Engine.Hdf5;

/// <summary>The single-chunk index (layout 4): the dataset is one chunk at the index address.</summary>
internal sealed class SingleChunkIndex : ChunkIndex
{
    private readonly ChunkLocation location;

    public SingleChunkIndex(Hdf5Storage storage, ChunkGeometry geometry, long address, long filteredSize, uint mask, string what)
        : base(storage, geometry, what)
    {
        location = new ChunkLocation(address, filteredSize >= 0 ? filteredSize : geometry.ChunkBytes, filteredSize >= 0 ? mask : 0);
    }

    public override string Name => "single";

    public override bool TryFind(ReadOnlySpan<long> scaled, out ChunkLocation found)
    {
        found = location;
        foreach (var s in scaled)
        {
            if (s != 0)
            {
                return false;
            }
        }

        return location.Address != Hdf5Storage.Undefined;
    }
}
