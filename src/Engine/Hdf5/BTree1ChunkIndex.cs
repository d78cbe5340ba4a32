using System.Buffers.Binary;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>The version 1 B-tree chunk index (type 1) of layout messages 1-3: keys hold each chunk's size, filter mask and element offsets.</summary>
internal sealed class BTree1ChunkIndex : MappedChunkIndex
{
    public BTree1ChunkIndex(Hdf5Storage storage, ChunkGeometry geometry, long root, string what)
        : base(storage, geometry, root, what)
    {
    }

    public override string Name => "btree1";

    protected override void Load(Dictionary<long, ChunkLocation> map)
    {
        int rank = Geometry.Rank;
        int keySize = 8 + 8 * (rank + 1);
        var scaled = new long[rank];
        BTree1.Walk(Storage, Address, BTree1.ChunkNodes, keySize, What + ", chunk index", (key, child) =>
        {
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(key);
            uint mask = BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
            for (int d = 0; d < rank; d++)
            {
                ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(key.Slice(8 + 8 * d, 8));
                if (offset % (ulong)Geometry.Chunk[d] != 0 || offset > long.MaxValue)
                {
                    throw Storage.Error($"{What}: chunk offset {offset} in dimension {d} is not a multiple of the chunk size {Geometry.Chunk[d]}.");
                }

                scaled[d] = (long)(offset / (ulong)Geometry.Chunk[d]);
            }

            Add(map, scaled, new ChunkLocation(child, size, mask));
        });
    }
}
