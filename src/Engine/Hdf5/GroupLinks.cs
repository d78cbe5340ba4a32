namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Lists a group's hard links, whichever way the file stores them: a symbol table (v1 B-tree and
/// local heap), link messages in the object header (compact), or a fractal heap indexed by a v2
/// B-tree of link-name hashes (dense). Links come back in creation order when the group tracks it,
/// otherwise sorted by name (byte order, as HDF5 does).
/// </summary>
internal static class GroupLinks
{
    private const int LinkNameIndex = 5;

    public static List<LinkEntry> Read(Hdf5Storage storage, ObjectHeader header, string what)
    {
        if (header.Find(MessageType.SymbolTable) is { } symbolTable)
        {
            var links = SymbolTableGroup.ReadLinks(storage, symbolTable.Body.Span, what);
            Sort(links, byCreation: false);
            return links;
        }

        var result = new List<LinkEntry>();
        bool tracked = false;
        foreach (var m in header.Messages)
        {
            if (m.Type == MessageType.Link && LinkMessage.Parse(storage, m.Body.Span, what) is { } link)
            {
                result.Add(link);
            }
        }

        if (header.Find(MessageType.LinkInfo) is { } info)
        {
            var dense = DenseStorage.Open(storage, info.Body.Span, "link", maxCreationIndexBytes: 8, LinkNameIndex, what);
            tracked = dense.Tracked;
            if (dense is { Heap: { } heap, NameIndex: { } tree })
            {
                if (tree.RecordSize <= 4)
                {
                    throw storage.Error($"{what}: link name index records of {tree.RecordSize} bytes cannot hold a heap ID.");
                }

                var ids = new List<byte[]>();
                tree.Walk(record => ids.Add(record[4..].ToArray()));
                foreach (var id in ids)
                {
                    var message = heap.Read(id);
                    if (LinkMessage.Parse(storage, message, what + ", dense link") is { } link)
                    {
                        result.Add(link);
                    }
                }
            }
        }

        Sort(result, tracked && result.TrueForAll(l => l.CreationOrder >= 0));
        return result;
    }

    private static void Sort(List<LinkEntry> links, bool byCreation)
    {
        if (byCreation)
        {
            links.Sort((a, b) => a.CreationOrder.CompareTo(b.CreationOrder));
        }
        else
        {
            links.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        }
    }
}
