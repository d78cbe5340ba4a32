namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The fixed-array chunk index (layout 4; "FAHD" header, "FADB" data block, optionally paged):
/// one entry per chunk of the maximum grid, in row-major order.
/// </summary>
internal sealed class FixedArrayChunkIndex : MappedChunkIndex
{
    private readonly bool filtered;

    public FixedArrayChunkIndex(Hdf5Storage storage, ChunkGeometry geometry, long address, bool filtered, string what)
        : base(storage, geometry, address, what) => this.filtered = filtered;

    public override string Name => "fixed-array";

    protected override void Load(Dictionary<long, ChunkLocation> map)
    {
        int o = Storage.OffsetSize;
        string what = $"{What}, fixed array at {Hdf5Storage.Hex(Address)}";
        var head = Storage.Read(Address, 4 + 1 + 1 + 1 + 1 + Storage.LengthSize + o + 4, what);
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

        if (!ChunkEntry.TryCreate(entrySize, filtered, Storage, Geometry, out var entry))
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
        var numbering = Geometry.ArrayNumbering(0);
        if (pages == 0)
        {
            var block = Storage.Read(dataBlock, prefix + entries * entrySize + 4, blockWhat);
            CheckBlock(block, blockWhat);
            AddElements(map, block.AsSpan(prefix, (int)(entries * entrySize)), entry, 0, entries, numbering, blockWhat);
            return;
        }

        var header = Storage.Read(dataBlock, prefix + bitmapBytes + 4, blockWhat);
        CheckBlock(header, blockWhat);
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

                AddElements(map, page.AsSpan(0, (int)(count * entrySize)), entry, first, entries, numbering, pageWhat);
            }

            pageAt += pageEntries * entrySize + 4;
        }
    }

    private void CheckBlock(byte[] block, string what)
    {
        var r = new FieldReader(block, Storage, what);
        r.Expect("FADB"u8, "FADB");
        int version = r.U8();
        int client = r.U8();
        long owner = r.Offset();
        if (version != 0 || client != (filtered ? 1 : 0) || owner != Address)
        {
            throw r.Error($"version {version}, client {client} or owner {Hdf5Storage.Hex(owner)} does not match the index header.");
        }

        if (!Storage.ChecksumOk(block))
        {
            throw r.Error("the checksum does not match; the index is damaged.");
        }
    }
}
