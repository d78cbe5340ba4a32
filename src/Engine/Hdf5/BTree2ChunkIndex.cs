namespace ZarrPartition.Engine.Hdf5;

/// <summary>The v2 B-tree chunk index (layout 4, several unlimited dimensions): records of type 10 (unfiltered) or 11 (filtered).</summary>
internal sealed class BTree2ChunkIndex : MappedChunkIndex
{
    private readonly long address;
    private readonly bool filtered;

    public BTree2ChunkIndex(Hdf5Storage storage, ChunkGeometry geometry, long address, bool filtered, string what)
        : base(storage, geometry, what)
    {
        this.address = address;
        this.filtered = filtered;
    }

    public override string Name => "btree2";

    protected override void Load(Dictionary<long, ChunkLocation> map)
    {
        if (address == Hdf5Storage.Undefined)
        {
            return;
        }

        var tree = BTree2.Open(Storage, address, filtered ? 11 : 10, What + ", chunk index");
        int rank = Geometry.Rank;
        int o = Storage.OffsetSize;
        int sizeBytes = tree.RecordSize - o - 4 - 8 * rank;
        if (filtered ? sizeBytes is < 1 or > 8 : tree.RecordSize != o + 8 * rank)
        {
            throw Storage.Error($"{What}: chunk records of {tree.RecordSize} bytes do not fit a rank-{rank} dataset.");
        }

        var scaled = new long[rank];
        tree.Walk(record =>
        {
            var r = new FieldReader(record, Storage, What + ", chunk record");
            long at = r.Offset();
            long size = Geometry.ChunkBytes;
            uint mask = 0;
            if (filtered)
            {
                size = r.Count(sizeBytes, "chunk size");
                mask = r.U32();
            }

            for (int d = 0; d < rank; d++)
            {
                scaled[d] = r.Count(8, "chunk coordinate");
            }

            Add(map, scaled, new ChunkLocation(at, size, mask));
        });
    }
}
