namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Dense storage of a group's links or an object's attributes: the messages live in a fractal heap,
/// indexed by a v2 B-tree of name hashes. The link info and attribute info messages that point at it
/// share one layout: version 0; flags, bit 0 meaning creation order is tracked and a maximum creation
/// index follows (8 bytes for links, 2 for attributes); the heap address; the name index address (then
/// a creation-order index address this reader does not use).
/// </summary>
/// <param name="Tracked">Creation order is tracked.</param>
/// <param name="Heap">The heap; null (as is <paramref name="NameIndex"/>) when the message gives no heap or no name index.</param>
/// <param name="NameIndex">The name index.</param>
internal readonly record struct DenseStorage(bool Tracked, FractalHeap? Heap, BTree2? NameIndex)
{
    /// <summary>
    /// Reads a <paramref name="kind"/> ("link" or "attribute") info message and opens the heap and the
    /// name index (v2 B-tree type <paramref name="nameIndexType"/>) it points at.
    /// </summary>
    public static DenseStorage Open(Hdf5Storage storage, ReadOnlySpan<byte> info, string kind, int maxCreationIndexBytes, int nameIndexType, string what)
    {
        var r = new FieldReader(info, storage, $"{what}, {kind} info message");
        int version = r.U8();
        if (version != 0)
        {
            throw r.Error($"{kind} info version {version} is not supported.");
        }

        int flags = r.U8();
        bool tracked = (flags & 0x01) != 0;
        if (tracked)
        {
            r.Skip(maxCreationIndexBytes); // maximum creation index
        }

        long heapAddress = r.Offset();
        long nameIndex = r.Offset();
        if (heapAddress == Hdf5Storage.Undefined || nameIndex == Hdf5Storage.Undefined)
        {
            return new DenseStorage(tracked, null, null);
        }

        var heap = FractalHeap.Open(storage, heapAddress, $"{what}, {kind}s");
        var tree = BTree2.Open(storage, nameIndex, nameIndexType, $"{what}, {kind} name index");
        return new DenseStorage(tracked, heap, tree);
    }
}
