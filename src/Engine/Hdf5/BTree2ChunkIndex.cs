namespace ZarrPartition.Engine.Hdf5;

/// <summary>The v2 B-tree chunk index (layout 4, several unlimited dimensions): records of type 10 (unfiltered) or 11 (filtered).</summary>
internal sealed class BTree2ChunkIndex : MappedChunkIndex
{
    private readonly bool filtered;

    public BTree2ChunkIndex(Hdf5Storage storage, ChunkGeometry geometry, long address, bool filtered, string what)
        : base(storage, geometry, address, what) => this.filtered = filtered;

    public override string Name => "btree2";

    protected override void Load(Dictionary<long, ChunkLocation> map)
    {
        var tree = BTree2.Open(Storage, Address, filtered ? 11 : 10, What + ", chunk index");
        int rank = Geometry.Rank;
        if (!ChunkEntry.TryCreate(tree.RecordSize - 8 * rank, filtered, Storage, Geometry, out var entry))
        {
            throw Storage.Error($"{What}: chunk records of {tree.RecordSize} bytes do not fit a rank-{rank} dataset.");
        }

        var scaled = new long[rank];
        tree.Walk(record =>
        {
            var r = new FieldReader(record, Storage, What + ", chunk record");
            var location = entry.Read(ref r);
            for (int d = 0; d < rank; d++)
            {
                scaled[d] = r.Count(8, "chunk coordinate");
            }

            Add(map, scaled, location);
        });
    }
}
