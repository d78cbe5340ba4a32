using System.Numerics;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// A fractal heap (format III.G: "FRHP" header, "FHIB" indirect and "FHDB" direct blocks), where
/// dense groups keep their link messages and dense attribute storage its attribute messages.
/// Objects are found by heap ID: managed objects through the doubling table of indirect and direct
/// blocks, tiny objects inside the ID itself, huge objects either at the address the ID holds or
/// through the heap's v2 B-tree of type 1. Heaps with I/O filters are not supported.
/// An instance is used by one thread at a time (it caches the blocks it reads).
/// </summary>
internal sealed class FractalHeap
{
    private const int MaxIndirectDepth = 64;

    private readonly Hdf5Storage storage;
    private readonly string what;
    private readonly long address;
    private readonly int idLength;
    private readonly bool checksummedDirect;
    private readonly long maxManagedSize;
    private readonly long hugeBTree;
    private readonly int tableWidth;
    private readonly long startBlockSize;
    private readonly long maxDirectSize;
    private readonly int maxHeapBits;
    private readonly long rootBlock;
    private readonly int rootRows;
    private readonly int offsetBytes;
    private readonly int lengthBytes;
    private readonly int maxDirectRows;
    private readonly int firstRowBits;
    private readonly Dictionary<long, byte[]> blocks = [];
    private Dictionary<ulong, (long Address, long Length)>? hugeObjects;

    private FractalHeap(Hdf5Storage storage, string what, long address, ref FieldReader r)
    {
        this.storage = storage;
        this.what = what;
        this.address = address;
        idLength = r.U16();
        int filterLength = r.U16();
        int flags = r.U8();
        maxManagedSize = r.U32();
        r.LengthField("next huge object id");
        hugeBTree = r.Offset();
        r.LengthField("free space");
        r.Offset(); // free-space manager
        for (int i = 0; i < 8; i++)
        {
            r.LengthField("heap statistics");
        }

        tableWidth = r.U16();
        startBlockSize = r.LengthField("starting block size");
        maxDirectSize = r.LengthField("maximum direct block size");
        maxHeapBits = r.U16();
        r.U16(); // starting number of rows in the root indirect block
        rootBlock = r.Offset();
        rootRows = r.U16();
        if (filterLength > 0)
        {
            throw r.Error("fractal heaps with I/O filters are not supported.");
        }

        checksummedDirect = (flags & 0x02) != 0;
        if (idLength is < 2 or > 4096 || tableWidth == 0 || !BitOperations.IsPow2(tableWidth) || startBlockSize <= 0 || !BitOperations.IsPow2(startBlockSize)
            || maxDirectSize < startBlockSize || !BitOperations.IsPow2(maxDirectSize) || maxDirectSize > (1L << 40) || maxHeapBits is < 1 or > 62)
        {
            throw r.Error($"the doubling-table parameters (width {tableWidth}, start {startBlockSize}, max direct {maxDirectSize}, heap bits {maxHeapBits}, id length {idLength}) are not valid.");
        }

        int startBits = BitOperations.Log2((ulong)startBlockSize);
        firstRowBits = startBits + BitOperations.Log2((uint)tableWidth);
        maxDirectRows = BitOperations.Log2((ulong)maxDirectSize) - startBits + 2;
        int maxRootRows = maxHeapBits - firstRowBits + 1;
        if (maxRootRows < 1 || rootRows > maxRootRows)
        {
            throw r.Error($"the root indirect block has {rootRows} rows; at most {maxRootRows} fit the heap.");
        }

        offsetBytes = (maxHeapBits + 7) / 8;
        lengthBytes = Math.Min((BitOperations.Log2((ulong)maxDirectSize) + 7) / 8, DatatypeParser.EncodedSize((ulong)maxManagedSize));
    }

    public static FractalHeap Open(Hdf5Storage storage, long address, string context)
    {
        string what = $"{context}, fractal heap at {Hdf5Storage.Hex(address)}";
        int o = storage.OffsetSize;
        int l = storage.LengthSize;
        int size = 4 + 1 + 2 + 2 + 1 + 4 + l + o + l + o + 8 * l + 2 + l + l + 2 + 2 + o + 2 + 4;
        var bytes = storage.Read(address, size, what);
        if (!storage.ChecksumOk(bytes))
        {
            // A heap with I/O filters has a longer header; report that case precisely.
            var probe = new FieldReader(bytes, storage, what);
            probe.Expect("FRHP"u8, "FRHP");
            probe.Skip(3);
            if (probe.U16() > 0)
            {
                throw storage.Error($"{what}: fractal heaps with I/O filters are not supported.");
            }

            throw storage.Error($"{what}: the header checksum does not match; the heap is damaged.");
        }

        var r = new FieldReader(bytes, storage, what);
        r.Expect("FRHP"u8, "FRHP");
        int version = r.U8();
        if (version != 0)
        {
            throw r.Error($"fractal heap version {version} is not supported.");
        }

        return new FractalHeap(storage, what, address, ref r);
    }

    public int IdLength => idLength;

    /// <summary>The object a heap ID names.</summary>
    public byte[] Read(ReadOnlySpan<byte> id)
    {
        if (id.Length < 1)
        {
            throw storage.Error($"{what}: empty heap ID.");
        }

        int version = id[0] >> 6;
        int kind = (id[0] >> 4) & 0x03;
        if (version != 0)
        {
            throw storage.Error($"{what}: heap ID version {version} is not supported.");
        }

        var r = new FieldReader(id, storage, what + ", heap ID");
        r.Skip(1);
        switch (kind)
        {
            case 0:
                {
                    long offset = r.Count(offsetBytes, "heap offset");
                    long length = r.Count(lengthBytes, "object length");
                    return ReadManaged(offset, length);
                }

            case 1:
                return ReadHuge(ref r, id.Length);

            case 2:
                {
                    // tiny: the length (minus one) is in the low bits of the first byte, extended by a second byte for long IDs
                    bool extended = id.Length - 1 > 16;
                    int length = extended ? (((id[0] & 0x0F) << 8) | r.U8()) + 1 : (id[0] & 0x0F) + 1;
                    return r.Bytes(length).ToArray();
                }

            default:
                throw storage.Error($"{what}: heap ID type {kind} is not known.");
        }
    }

    private byte[] ReadManaged(long offset, long length)
    {
        if (length <= 0 || length > maxDirectSize || offset < 0)
        {
            throw storage.Error($"{what}: managed object at heap offset {offset} with length {length} is not valid.");
        }

        long blockAddress;
        long blockOffset;
        long blockSize;
        if (rootRows == 0)
        {
            blockAddress = rootBlock;
            blockOffset = 0;
            blockSize = startBlockSize;
        }
        else
        {
            (blockAddress, blockOffset, blockSize) = LocateDirectBlock(offset);
        }

        long inBlock = offset - blockOffset;
        if (inBlock < 0 || inBlock + length > blockSize)
        {
            throw storage.Error($"{what}: object at heap offset {offset} ({length} bytes) does not fit its direct block.");
        }

        var block = DirectBlock(blockAddress, blockSize, blockOffset);
        return block.AsSpan((int)inBlock, (int)length).ToArray();
    }

    private byte[] DirectBlock(long at, long size, long expectedOffset)
    {
        if (blocks.TryGetValue(at, out var cached))
        {
            return cached;
        }

        string blockWhat = $"{what}, direct block at {Hdf5Storage.Hex(at)}";
        var block = storage.Read(at, size, blockWhat);
        var r = new FieldReader(block, storage, blockWhat);
        CheckBlockPrefix(ref r, "FHDB"u8, "FHDB", expectedOffset);
        if (checksummedDirect)
        {
            int at4 = r.Position;
            uint stored = r.U32();
            var copy = (byte[])block.Clone();
            copy.AsSpan(at4, 4).Clear();
            if (storage.VerifyChecksums && stored != Lookup3.Hash(copy))
            {
                throw r.Error("the checksum does not match; the block is damaged.");
            }
        }

        blocks[at] = block;
        return block;
    }

    /// <summary>Reads a direct or indirect block's prefix (signature, version, heap address, block offset) and checks the block is this heap's at <paramref name="expectedOffset"/>.</summary>
    private void CheckBlockPrefix(ref FieldReader r, ReadOnlySpan<byte> signature, string name, long expectedOffset)
    {
        r.Expect(signature, name);
        r.Skip(1);
        long owner = r.Offset();
        long blockOffset = r.Count(offsetBytes, "block offset");
        if (owner != address || blockOffset != expectedOffset)
        {
            throw r.Error($"the block belongs to heap {Hdf5Storage.Hex(owner)} at offset {blockOffset}, not to this heap at offset {expectedOffset}.");
        }
    }

    private long RowBlockSize(int row) => row == 0 ? startBlockSize : startBlockSize << (row - 1);

    private long RowOffset(int row) => row == 0 ? 0 : (startBlockSize * tableWidth) << (row - 1);

    private (int Row, int Column) Lookup(long offset, int rows)
    {
        long firstRow = startBlockSize * tableWidth;
        int row;
        long column;
        if (offset < firstRow)
        {
            row = 0;
            column = offset / startBlockSize;
        }
        else
        {
            int high = BitOperations.Log2((ulong)offset);
            row = high - firstRowBits + 1;
            column = row < rows ? (offset - (1L << high)) / RowBlockSize(row) : 0;
        }

        if (row >= rows || column >= tableWidth)
        {
            throw storage.Error($"{what}: heap offset {offset} lies beyond the indirect block's {rows} rows.");
        }

        return (row, (int)column);
    }

    private (long Address, long Offset, long Size) LocateDirectBlock(long offset)
    {
        long iblockAddress = rootBlock;
        int rows = rootRows;
        long iblockOffset = 0;
        var seen = new HashSet<long>();
        for (int depth = 0; depth < MaxIndirectDepth; depth++)
        {
            if (!seen.Add(iblockAddress))
            {
                throw storage.Error($"{what}: indirect block at {Hdf5Storage.Hex(iblockAddress)} is reached twice.");
            }

            var entries = IndirectBlock(iblockAddress, rows, iblockOffset);
            var (row, column) = Lookup(offset - iblockOffset, rows);

            long child = entries[row * tableWidth + column];
            long childOffset = iblockOffset + RowOffset(row) + column * RowBlockSize(row);
            if (child == Hdf5Storage.Undefined)
            {
                throw storage.Error($"{what}: heap offset {offset} lies in a block that was never allocated.");
            }

            if (row < maxDirectRows)
            {
                return (child, childOffset, RowBlockSize(row));
            }

            rows = BitOperations.Log2((ulong)RowBlockSize(row)) - firstRowBits + 1;
            iblockAddress = child;
            iblockOffset = childOffset;
        }

        throw storage.Error($"{what}: indirect blocks nest too deeply.");
    }

    private long[] IndirectBlock(long at, int rows, long expectedOffset)
    {
        string blockWhat = $"{what}, indirect block at {Hdf5Storage.Hex(at)}";
        int o = storage.OffsetSize;
        int count = rows * tableWidth;
        int size = 4 + 1 + o + offsetBytes + count * o + 4;
        var block = storage.Read(at, size, blockWhat);
        var r = new FieldReader(block, storage, blockWhat);
        CheckBlockPrefix(ref r, "FHIB"u8, "FHIB", expectedOffset);
        if (!storage.ChecksumOk(block))
        {
            throw r.Error("the checksum does not match; the block is damaged.");
        }

        var entries = new long[count];
        for (int i = 0; i < count; i++)
        {
            entries[i] = r.Offset();
        }

        return entries;
    }

    private byte[] ReadHuge(ref FieldReader r, int idBytes)
    {
        int o = storage.OffsetSize;
        int l = storage.LengthSize;
        long at;
        long length;
        if (idBytes - 1 >= o + l)
        {
            at = r.Offset();
            length = r.LengthField("huge object length");
        }
        else
        {
            ulong key = r.UVar(Math.Min(idBytes - 1, 8));
            hugeObjects ??= LoadHugeObjects();
            if (!hugeObjects.TryGetValue(key, out var found))
            {
                throw storage.Error($"{what}: huge object {key} is not in the heap's index.");
            }

            (at, length) = found;
        }

        return storage.Read(at, length, what + ", huge object");
    }

    private Dictionary<ulong, (long, long)> LoadHugeObjects()
    {
        var map = new Dictionary<ulong, (long, long)>();
        if (hugeBTree == Hdf5Storage.Undefined)
        {
            return map;
        }

        var tree = BTree2.Open(storage, hugeBTree, 1, what + ", huge objects");
        tree.Walk(record =>
        {
            var rr = new FieldReader(record, storage, what + ", huge object record");
            long at = rr.Offset();
            long length = rr.LengthField("huge object length");
            ulong id = rr.UVar(storage.LengthSize);
            map[id] = (at, length);
        });
        return map;
    }
}
