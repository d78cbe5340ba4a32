namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Version 1 B-trees (format III.A.1): type 0 indexes a symbol-table group's SNOD nodes by name,
/// type 1 indexes a dataset's chunks (layouts 1-3). <see cref="Walk"/> visits every leaf entry:
/// the key that precedes it and the child address. Nodes are checked for signature, type, level
/// (each child one level lower) and size, and a node seen twice stops the walk as damaged.
/// </summary>
internal static class BTree1
{
    public const int GroupNodes = 0;
    public const int ChunkNodes = 1;
    private const int MaxLevel = 64;

    private static ReadOnlySpan<byte> Tree => "TREE"u8;

    public delegate void LeafHandler(ReadOnlySpan<byte> key, long child);

    /// <summary>Visits every leaf entry of the tree at <paramref name="root"/>; <paramref name="keySize"/> is the size of one key.</summary>
    public static void Walk(Hdf5Storage storage, long root, int nodeType, int keySize, string what, LeafHandler handler)
    {
        var seen = new HashSet<long>();
        Visit(storage, root, nodeType, keySize, -1, what, handler, seen, new ReadBudget(storage, what + ", B-tree"));
    }

    private static void Visit(Hdf5Storage storage, long address, int nodeType, int keySize, int expectedLevel, string what, LeafHandler handler, HashSet<long> seen, ReadBudget budget)
    {
        string nodeWhat = $"{what}, B-tree node at {Hdf5Storage.Hex(address)}";
        if (!seen.Add(address))
        {
            throw storage.Error($"{nodeWhat}: the node is reached twice; the B-tree is damaged.");
        }

        int o = storage.OffsetSize;
        int headerSize = 8 + 2 * o;
        var head = storage.Read(address, headerSize, nodeWhat);
        var r = new FieldReader(head, storage, nodeWhat);
        r.Expect(Tree, "TREE");
        int type = r.U8();
        int level = r.U8();
        int entries = r.U16();
        if (type != nodeType)
        {
            throw r.Error($"node type {type} where type {nodeType} was expected.");
        }

        if (level > MaxLevel || (expectedLevel >= 0 && level != expectedLevel))
        {
            throw r.Error($"node level {level} does not fit the tree (expected {expectedLevel}).");
        }

        long bodySize = (long)entries * (keySize + o) + keySize;
        budget.Spend(headerSize + bodySize);
        var body = storage.Read(address + headerSize, bodySize, nodeWhat);
        var children = new long[entries];
        for (int i = 0; i < entries; i++)
        {
            int at = i * (keySize + o);
            var kr = new FieldReader(body.AsSpan(at + keySize, o), storage, nodeWhat);
            children[i] = kr.Offset();
        }

        for (int i = 0; i < entries; i++)
        {
            if (level == 0)
            {
                handler(body.AsSpan(i * (keySize + o), keySize), children[i]);
            }
            else
            {
                Visit(storage, children[i], nodeType, keySize, level - 1, what, handler, seen, budget);
            }
        }
    }
}
