namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// A chunk index read whole on first use into a map from chunk number (in the current grid) to
/// location. Walking the structure once keeps later lookups lock-free and costs memory in
/// proportion to what the file holds.
/// </summary>
internal abstract class MappedChunkIndex : ChunkIndex
{
    private readonly Lazy<Dictionary<long, ChunkLocation>> map;

    protected MappedChunkIndex(Hdf5Storage storage, ChunkGeometry geometry, long address, string what)
        : base(storage, geometry, what)
    {
        Address = address;
        map = new Lazy<Dictionary<long, ChunkLocation>>(() =>
        {
            var m = new Dictionary<long, ChunkLocation>();
            if (address != Hdf5Storage.Undefined)
            {
                Load(m);
            }

            return m;
        });
    }

    /// <summary>Where the index structure starts; undefined when no chunk was ever written (the map stays empty).</summary>
    protected long Address { get; }

    public override bool TryFind(ReadOnlySpan<long> scaled, out ChunkLocation location)
    {
        long key = Geometry.CurrentLinear(scaled);
        if (key < 0)
        {
            location = default;
            return false;
        }

        return map.Value.TryGetValue(key, out location);
    }

    /// <summary>Fills the map from the structure at <see cref="Address"/> (always defined here), calling <see cref="Add"/> for every stored chunk.</summary>
    protected abstract void Load(Dictionary<long, ChunkLocation> map);

    /// <summary>Records a chunk; chunks outside the current extent (left from a shrink) are ignored.</summary>
    protected void Add(Dictionary<long, ChunkLocation> map, ReadOnlySpan<long> scaled, ChunkLocation location)
    {
        if (location.Address == Hdf5Storage.Undefined)
        {
            return;
        }

        long key = Geometry.CurrentLinear(scaled);
        if (key >= 0)
        {
            map[key] = location;
        }
    }

    /// <summary>
    /// Records the chunks of consecutive fixed- or extensible-array elements: element <paramref name="first"/>
    /// onwards while numbered below <paramref name="end"/>, placed by <paramref name="numbering"/>
    /// (see <see cref="ChunkGeometry.ArrayNumbering"/>). Elements without an address were never written.
    /// </summary>
    protected void AddElements(Dictionary<long, ChunkLocation> map, ReadOnlySpan<byte> elements, ChunkEntry entry, long first, long end, (int[] Order, long[] Strides) numbering, string what)
    {
        var r = new FieldReader(elements, Storage, what);
        Span<long> scaled = stackalloc long[Geometry.Rank];
        long count = elements.Length / entry.Size;
        for (long i = 0; i < count && first + i < end; i++)
        {
            var location = entry.Read(ref r);
            if (location.Address != Hdf5Storage.Undefined)
            {
                ChunkGeometry.FromArrayIndex(first + i, numbering.Order, numbering.Strides, scaled);
                Add(map, scaled, location);
            }
        }
    }
}
