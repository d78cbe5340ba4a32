namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The links of an "old-style" group (format III.B/III.C): a version 1 B-tree of type 0 whose leaves
/// point at symbol table nodes ("SNOD"), each a list of entries naming a link (by an offset into
/// the group's local heap) and the object header it leads to.
/// </summary>
internal static class SymbolTableGroup
{
    private const int MaxSymbolsPerNode = 65535;

    public static List<LinkEntry> ReadLinks(Hdf5Storage storage, ReadOnlySpan<byte> symbolTableMessage, string what)
    {
        var r = new FieldReader(symbolTableMessage, storage, what + ", symbol table message");
        long btree = r.Offset();
        long heapAddress = r.Offset();
        var heap = LocalHeap.Read(storage, heapAddress, what);
        var nodes = new List<long>();
        BTree1.Walk(storage, btree, BTree1.GroupNodes, storage.LengthSize, what, (_, child) => nodes.Add(child));
        var links = new List<LinkEntry>();
        var seenNodes = new HashSet<long>();
        int o = storage.OffsetSize;
        int entrySize = 2 * o + 24;
        var budget = new ReadBudget(storage, what + ", symbol table");
        foreach (var node in nodes)
        {
            string nodeWhat = $"{what}, symbol table node at {Hdf5Storage.Hex(node)}";
            if (!seenNodes.Add(node))
            {
                throw storage.Error($"{nodeWhat}: the node is listed twice.");
            }

            var head = storage.Read(node, 8, nodeWhat);
            var hr = new FieldReader(head, storage, nodeWhat);
            hr.Expect("SNOD"u8, "SNOD");
            int version = hr.U8();
            if (version != 1)
            {
                throw hr.Error($"symbol table node version {version} is not supported.");
            }

            hr.Skip(1);
            int count = hr.U16();
            if (count > MaxSymbolsPerNode)
            {
                throw hr.Error($"{count} symbols in one node.");
            }

            budget.Spend(8 + (long)count * entrySize);
            var entries = storage.Read(node + 8, (long)count * entrySize, nodeWhat);
            var er = new FieldReader(entries, storage, nodeWhat);
            for (int i = 0; i < count; i++)
            {
                long nameOffset = er.Offset();
                long header = er.Offset();
                er.Skip(24); // cache type, reserved, scratch pad
                links.Add(new LinkEntry(heap.StringAt(nameOffset), header, -1));
            }
        }

        return links;
    }
}
