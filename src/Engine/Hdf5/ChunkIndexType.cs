namespace ZarrPartition.Engine.Hdf5;

/// <summary>The chunk index types of the layout message (version 4 numbering; version 1 B-trees for layouts 1-3).</summary>
internal enum ChunkIndexType
{
    None = 0,
    SingleChunk = 1,
    Implicit = 2,
    FixedArray = 3,
    ExtensibleArray = 4,
    BTree2 = 5,
    BTree1 = 100,
}
