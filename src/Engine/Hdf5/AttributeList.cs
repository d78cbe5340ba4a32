namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Lists an object's attributes: attribute messages in its header (compact storage) and, when an
/// attribute info message points at one, the fractal heap indexed by a v2 B-tree of name hashes
/// (dense storage, type 8 records). Ordered by creation order when the object tracks it, else by name.
/// </summary>
internal static class AttributeList
{
    private const int AttributeNameIndex = 8;

    public static List<Hdf5Attribute> Read(Hdf5File file, ObjectHeader header, string what)
    {
        var storage = file.Storage;
        var result = new List<Hdf5Attribute>();
        bool tracked = header.AttributeOrderTracked;
        foreach (var m in header.Messages)
        {
            if (m.Type == MessageType.Attribute)
            {
                if (m.IsShared)
                {
                    throw storage.Error($"{what}: shared attribute messages are not supported.");
                }

                result.Add(AttributeMessage.Parse(file, m.Body.Span, m.CreationOrder, what));
            }
        }

        if (header.Find(MessageType.AttributeInfo) is { } info)
        {
            var dense = DenseStorage.Open(storage, info.Body.Span, "attribute", maxCreationIndexBytes: 2, AttributeNameIndex, what);
            tracked |= dense.Tracked;
            if (dense is { Heap: { } heap, NameIndex: { } tree })
            {
                int idLength = tree.RecordSize - 9;
                if (idLength < 1)
                {
                    throw storage.Error($"{what}: attribute name index records of {tree.RecordSize} bytes cannot hold a heap ID.");
                }

                var records = new List<(byte[] Id, int Flags, long Order)>();
                tree.Walk(record =>
                {
                    var rr = new FieldReader(record, storage, what + ", attribute record");
                    var id = rr.Bytes(idLength).ToArray();
                    int messageFlags = rr.U8();
                    long order = rr.U32();
                    records.Add((id, messageFlags, order));
                });
                foreach (var (id, messageFlags, order) in records)
                {
                    if ((messageFlags & 0x02) != 0)
                    {
                        throw storage.Error($"{what}: attributes shared through the file's shared-message heap are not supported.");
                    }

                    result.Add(AttributeMessage.Parse(file, heap.Read(id), order, what + ", dense attribute"));
                }
            }
        }

        if (tracked && result.TrueForAll(a => a.CreationOrder >= 0))
        {
            result.Sort((a, b) => a.CreationOrder.CompareTo(b.CreationOrder));
        }
        else
        {
            result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        }

        return result;
    }
}
