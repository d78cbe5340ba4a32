namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Version 2 B-trees (format III.A.2: "BTHD" header, "BTIN" internal and "BTLF" leaf nodes).
/// <see cref="Walk"/> hands every record to a callback; the record layout depends on the tree type
/// (1 huge heap objects, 5/6 links by name hash / creation order, 8/9 attributes, 10/11 chunks).
/// Node sizes and the widths of the child record counts follow from the header exactly as HDF5
/// computes them; every node's checksum is verified and a node reached twice is an error.
/// </summary>
internal sealed class BTree2
{
    private const int MaxDepth = 32;
    private const int Prefix = 10; // signature, version, type, checksum

    private readonly Hdf5Storage storage;
    private readonly string what;
    private readonly int nodeSize;
    private readonly int maxRecordsSize;
    private readonly long[] cumulativeMax;
    private readonly int[] cumulativeSize;
    private readonly long[] maxRecords;

    private BTree2(Hdf5Storage storage, string what, int type, int nodeSize, int recordSize, int depth, long root, int rootRecords, long totalRecords)
    {
        this.storage = storage;
        this.what = what;
        this.nodeSize = nodeSize;
        Type = type;
        RecordSize = recordSize;
        Depth = depth;
        Root = root;
        RootRecords = rootRecords;
        TotalRecords = totalRecords;

        maxRecords = new long[depth + 1];
        cumulativeMax = new long[depth + 1];
        cumulativeSize = new int[depth + 1];
        maxRecords[0] = (nodeSize - Prefix) / recordSize;
        cumulativeMax[0] = maxRecords[0];
        maxRecordsSize = DatatypeParser.EncodedSize((ulong)maxRecords[0]);
        for (int d = 1; d <= depth; d++)
        {
            long pointer = storage.OffsetSize + maxRecordsSize + cumulativeSize[d - 1];
            maxRecords[d] = (nodeSize - (Prefix + pointer)) / (recordSize + pointer);
            if (maxRecords[d] <= 0)
            {
                throw storage.Error($"{what}: a {nodeSize}-byte node cannot hold internal records at depth {d}.");
            }

            cumulativeMax[d] = SaturatingAdd(SaturatingMultiply(maxRecords[d] + 1, cumulativeMax[d - 1]), maxRecords[d]);
            cumulativeSize[d] = DatatypeParser.EncodedSize((ulong)cumulativeMax[d]);
        }
    }

    public delegate void RecordHandler(ReadOnlySpan<byte> record);

    public int Type { get; }

    public int RecordSize { get; }

    public int Depth { get; }

    public long Root { get; }

    public int RootRecords { get; }

    public long TotalRecords { get; }

    public static BTree2 Open(Hdf5Storage storage, long address, int expectedType, string context)
    {
        string what = $"{context}, v2 B-tree at {Hdf5Storage.Hex(address)}";
        int size = 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + storage.OffsetSize + 2 + storage.LengthSize + 4;
        var bytes = storage.Read(address, size, what);
        var r = new FieldReader(bytes, storage, what);
        r.Expect("BTHD"u8, "BTHD");
        int version = r.U8();
        if (version != 0)
        {
            throw r.Error($"v2 B-tree version {version} is not supported.");
        }

        int type = r.U8();
        if (type != expectedType)
        {
            throw r.Error($"B-tree type {type} where type {expectedType} was expected.");
        }

        long nodeSize = r.U32();
        int recordSize = r.U16();
        int depth = r.U16();
        r.Skip(2); // split and merge percentages
        long root = r.Offset();
        int rootRecords = r.U16();
        long total = r.LengthField("total record count");
        if (!storage.ChecksumOk(bytes))
        {
            throw r.Error("the header checksum does not match; the B-tree is damaged.");
        }

        if (nodeSize < Prefix + 16 || nodeSize > (1 << 24) || recordSize == 0 || recordSize > nodeSize - Prefix || depth > MaxDepth)
        {
            throw r.Error($"node size {nodeSize}, record size {recordSize} or depth {depth} is not valid.");
        }

        return new BTree2(storage, what, type, (int)nodeSize, recordSize, depth, root, rootRecords, total);
    }

    /// <summary>Calls <paramref name="handler"/> with every record, in key order.</summary>
    public void Walk(RecordHandler handler)
    {
        if (Root == Hdf5Storage.Undefined || RootRecords == 0 && Depth == 0)
        {
            return;
        }

        var seen = new HashSet<long>();
        Visit(Root, RootRecords, Depth, handler, seen, new ReadBudget(storage, what));
    }

    private void Visit(long address, long records, int depth, RecordHandler handler, HashSet<long> seen, ReadBudget budget)
    {
        string nodeWhat = $"{what}, node at {Hdf5Storage.Hex(address)}";
        if (!seen.Add(address))
        {
            throw storage.Error($"{nodeWhat}: the node is reached twice; the B-tree is damaged.");
        }

        if (records < 0 || records > maxRecords[depth])
        {
            throw storage.Error($"{nodeWhat}: {records} records where a node holds at most {maxRecords[depth]}.");
        }

        budget.Spend(nodeSize);
        var node = storage.Read(address, nodeSize, nodeWhat);
        var r = new FieldReader(node, storage, nodeWhat);
        r.Expect(depth == 0 ? "BTLF"u8 : "BTIN"u8, depth == 0 ? "BTLF" : "BTIN");
        int version = r.U8();
        int type = r.U8();
        if (version != 0 || type != Type)
        {
            throw r.Error($"node version {version} / type {type} does not match the tree.");
        }

        int recordsStart = r.Position;
        r.Skip(checked((int)records * RecordSize));
        var children = depth > 0 ? new (long Address, long Records)[records + 1] : [];
        for (int i = 0; i < children.Length; i++)
        {
            long child = r.Offset();
            long count = r.Count(maxRecordsSize, "child record count");
            if (depth > 1)
            {
                r.UVar(cumulativeSize[depth - 1]);
            }

            children[i] = (child, count);
        }

        int used = r.Position;
        var cr = new FieldReader(node.AsSpan(used), storage, nodeWhat);
        uint stored = cr.U32();
        if (storage.VerifyChecksums && stored != Lookup3.Hash(node.AsSpan(0, used)))
        {
            throw storage.Error($"{nodeWhat}: the checksum does not match; the node is damaged.");
        }

        for (int i = 0; i < records; i++)
        {
            if (depth > 0)
            {
                Visit(children[i].Address, children[i].Records, depth - 1, handler, seen, budget);
            }

            handler(node.AsSpan(recordsStart + i * RecordSize, RecordSize));
        }

        if (depth > 0)
        {
            Visit(children[records].Address, children[records].Records, depth - 1, handler, seen, budget);
        }
    }

    private static long SaturatingMultiply(long a, long b) => a != 0 && b > long.MaxValue / a ? long.MaxValue : a * b;

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
