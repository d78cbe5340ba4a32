namespace ZarrPartition.Engine.Hdf5;

/// <summary>A local heap (format III.D, "HEAP"): the names of a symbol-table group's links.</summary>
internal sealed class LocalHeap
{
    private readonly byte[] data;
    private readonly Hdf5Storage storage;
    private readonly string what;

    private LocalHeap(byte[] data, Hdf5Storage storage, string what)
    {
        this.data = data;
        this.storage = storage;
        this.what = what;
    }

    public static LocalHeap Read(Hdf5Storage storage, long address, string context)
    {
        string what = $"{context}, local heap at {Hdf5Storage.Hex(address)}";
        var head = storage.Read(address, 8 + 2 * storage.LengthSize + storage.OffsetSize, what);
        var r = new FieldReader(head, storage, what);
        r.Expect("HEAP"u8, "HEAP");
        int version = r.U8();
        if (version != 0)
        {
            throw r.Error($"local heap version {version} is not supported.");
        }

        r.Skip(3);
        long size = r.LengthField("data segment size");
        r.LengthField("free list offset");
        long segment = r.Offset();
        return new LocalHeap(storage.Read(segment, size, what + " data segment"), storage, what);
    }

    /// <summary>The NUL-terminated string at <paramref name="offset"/> in the data segment.</summary>
    public string StringAt(long offset)
    {
        if (offset < 0 || offset >= data.Length)
        {
            throw storage.Error($"{what}: name offset {offset} is outside the {data.Length}-byte heap.");
        }

        var r = new FieldReader(data.AsSpan((int)offset), storage, what);
        return r.CString();
    }
}
