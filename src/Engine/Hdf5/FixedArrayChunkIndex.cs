namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The fixed-array chunk index (layout 4; "FAHD" header, "FADB" data block, optionally paged):
/// one entry per chunk of the maximum grid, in row-major order.
/// </summary>
internal sealed class FixedArrayChunkIndex : MappedChunkIndex
{
    private readonly long address;
    private readonly bool filtered;

    public FixedArrayChunkIndex(Hdf5Storage storage, ChunkGeometry geometry, long address, bool filtered, string what)
        : base(storage, geometry, what)
    {
        this.address = address;
        this.filtered = filtered;
    }

    public override string Name => "fixed-array";

    protected override void Load(Dictionary<long, ChunkLocation> map)
    {
        if (address == Hdf5Storage.Undefined)
        {
            return;
        }

        int o = Storage.OffsetSize;
        string what = $"{What}, fixed array at {Hdf5Storage.Hex(address)}";
        var head = Storage.Read(address, 4 + 1 + 1 + 1 + 1 + Storage.LengthSize + o + 4, what);
        var r = new FieldReader(head, Storage, what);
        r.Expect("FAHD"u8, "FAHD");
        int version = r.U8();
        int client = r.U8();
        int entrySize = r.U8();
        int pageBits = r.U8();
        long entries = r.LengthField("number of entries");
        long dataBlock = r.Offset();
        if (!Storage.ChecksumOk(head))
        {
            throw r.Error("the header checksum does not match; the index is damaged.");
        }

        if (version != 0 || client != (filtered ? 1 : 0) || pageBits is 0 or > 32)
        {
            throw r.Error($"version {version}, client {client} or page bits {pageBits} do not match the dataset.");
        }

        int sizeBytes = entrySize - o - 4;
        if (filtered ? sizeBytes is < 1 or > 8 : entrySize != o)
        {
            throw r.Error($"entry size {entrySize} does not fit {(filtered ? "filtered" : "unfiltered")} chunks.");
        }

        if (dataBlock == Hdf5Storage.Undefined || entries == 0)
        {
            return;
        }

        if (entries > Storage.FileLength / entrySize)
        {
            throw r.Error($"{entries} entries cannot fit in the file.");
        }

        long pageEntries = 1L << pageBits;
        long pages = entries > pageEntries ? (entries + pageEntries - 1) / pageEntries : 0;
        int bitmapBytes = (int)((pages + 7) / 8);
        int prefix = 4 + 1 + 1 + o;
        string blockWhat = $"{what}, data block at {Hdf5Storage.Hex(dataBlock)}";
        var (order, strides) = Geometry.ArrayNumbering(0);
        var scaled = new long[Geometry.Rank];
        if (pages == 0)
        {
            var block = Storage.Read(dataBlock, prefix + entries * entrySize + 4, blockWhat);
            CheckBlock(block, prefix, blockWhat);
            Decode(map, block.AsSpan(prefix, (int)(entries * entrySize)), 0, entrySize, sizeBytes, order, strides, scaled, blockWhat);
            return;
        }

        var header = Storage.Read(dataBlock, prefix + bitmapBytes + 4, blockWhat);
        CheckBlock(header, prefix, blockWhat);
        long pageAt = dataBlock + header.Length;
        for (long p = 0; p < pages; p++)
        {
            long first = p * pageEntries;
            long count = Math.Min(pageEntries, entries - first);
            long pageSize = count * entrySize + 4;
            bool initialised = (header[prefix + (int)(p / 8)] & (0x80 >> (int)(p % 8))) != 0;
            if (initialised)
            {
                string pageWhat = $"{blockWhat}, page {p}";
                var page = Storage.Read(pageAt, pageSize, pageWhat);
                if (!Storage.ChecksumOk(page))
                {
                    throw Storage.Error($"{pageWhat}: the checksum does not match; the index is damaged.");
                }

                Decode(map, page.AsSpan(0, (int)(count * entrySize)), first, entrySize, sizeBytes, order, strides, scaled, pageWhat);
            }

            pageAt += pageEntries * entrySize + 4;
        }
    }

    private void CheckBlock(byte[] block, int prefix, string what)
    {
        var r = new FieldReader(block, Storage, what);
        r.Expect("FADB"u8, "FADB");
        int version = r.U8();
        int client = r.U8();
        long owner = r.Offset();
        if (version != 0 || client != (filtered ? 1 : 0) || owner != address)
        {
            throw r.Error($"version {version}, client {client} or owner {Hdf5Storage.Hex(owner)} does not match the index header.");
        }

        if (!Storage.ChecksumOk(block))
        {
            throw r.Error("the checksum does not match; the index is damaged.");
        }

        _ = prefix;
    }

    private void Decode(Dictionary<long, ChunkLocation> map, ReadOnlySpan<byte> entries, long first, int entrySize, int sizeBytes, int[] order, long[] strides, long[] scaled, string what)
    {
        var r = new FieldReader(entries, Storage, what);
        long count = entries.Length / entrySize;
        for (long i = 0; i < count; i++)
        {
            long at = r.Offset();
            long size = Geometry.ChunkBytes;
            uint mask = 0;
            if (filtered)
            {
                size = r.Count(sizeBytes, "chunk size");
                mask = r.U32();
            }

            if (at != Hdf5Storage.Undefined)
            {
                ChunkGeometry.FromArrayIndex(first + i, order, strides, scaled);
                Add(map, scaled, new ChunkLocation(at, size, mask));
            }
        }
    }
}
