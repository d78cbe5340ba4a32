using System.Buffers;
using System.Buffers.Binary;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// A dataset: its type, shape, storage layout, filters and fill value, and hyperslab reads that
/// touch and decode only the chunks a selection needs. Reads are thread-safe and lock-free (the
/// chunk index is loaded once, on first use); every damaged structure met on the way is a
/// <see cref="SourceFormatException"/> naming the file, the dataset and, for chunks, the chunk.
/// </summary>
public sealed class Hdf5Dataset
{
    private readonly Hdf5File file;
    private readonly LayoutMessage layout;
    private readonly ChunkGeometry? geometry;
    private readonly ChunkIndex? index;
    private readonly byte[]? fillFileOrder;
    private readonly bool hasExternalFiles;
    private readonly Lazy<IReadOnlyList<Hdf5Attribute>> attributes;

    internal Hdf5Dataset(Hdf5File file, ObjectHeader header, string name, string path)
    {
        this.file = file;
        var storage = file.Storage;
        Name = name;
        Path = path;
        Address = header.Address;
        string what = $"dataset '{path}' (object header {Hdf5Storage.Hex(header.Address)})";
        What = what;

        var spaceMessage = header.Find(MessageType.Dataspace) ?? throw storage.Error($"{what}: no dataspace message.");
        var typeMessage = header.Find(MessageType.Datatype) ?? throw storage.Error($"{what}: no datatype message.");
        var layoutMessage = header.Find(MessageType.Layout) ?? throw storage.Error($"{what}: no layout message.");
        if (spaceMessage.IsShared)
        {
            throw storage.Error($"{what}: shared dataspaces are not supported.");
        }

        var space = Dataspace.Parse(storage, spaceMessage.Body.Span, what);
        Type = DatatypeParser.FromMessage(file, typeMessage.Body.Span, typeMessage.IsShared, what);
        IsScalar = space.IsScalar;
        IsNull = space.IsNull;
        Shape = space.Dims;
        MaxShape = space.IsScalar || space.IsNull ? null : (space.MaxDims ?? (long[])space.Dims.Clone());
        layout = LayoutMessage.Parse(storage, layoutMessage.Body.Span, Shape.Length, what);
        Filters = header.Find(MessageType.FilterPipeline) is { } pipeline ? FilterPipelineMessage.Parse(storage, pipeline.Body.Span, what) : [];
        hasExternalFiles = header.Has(MessageType.ExternalFiles);
        fillFileOrder = FillValueMessage.Parse(storage, header, Type.Size, what);
        if (fillFileOrder is not null)
        {
            FillValue = (byte[])fillFileOrder.Clone();
            SwapToLittleEndian(FillValue, Type.SwapUnit);
        }

        switch (layout.Class)
        {
            case LayoutMessage.CompactClass:
                Layout = "compact";
                ChunkIndex = "";
                break;
            case LayoutMessage.ContiguousClass:
                Layout = "contiguous";
                ChunkIndex = "";
                break;
            default:
                Layout = "chunked";
                if (layout.ChunkElementSize != Type.Size)
                {
                    throw storage.Error($"{what}: the chunk element size {layout.ChunkElementSize} differs from the datatype size {Type.Size}.");
                }

                if (IsScalar || IsNull)
                {
                    throw storage.Error($"{what}: a scalar or null dataspace cannot be chunked.");
                }

                ChunkShape = layout.ChunkDims;
                geometry = new ChunkGeometry(Shape, MaxShape, layout.ChunkDims, Type.Size);
                index = CreateIndex(storage, geometry, what);
                ChunkIndex = index.Name;
                break;
        }

        attributes = new Lazy<IReadOnlyList<Hdf5Attribute>>(() => Hdf5File.Guard(storage, what, () => AttributeList.Read(file, header, what)));
    }

    public string Name { get; }

    /// <summary>Full path from the root group, e.g. "/forecast/ensemble".</summary>
    public string Path { get; }

    /// <summary>Address of the object header (what object references point at).</summary>
    public long Address { get; }

    public Hdf5Type Type { get; }

    public long[] Shape { get; }

    /// <summary>Maximum sizes (-1 unlimited); null for scalar and null dataspaces.</summary>
    public long[]? MaxShape { get; }

    public bool IsScalar { get; }

    /// <summary>The dataspace is null: no elements at all.</summary>
    public bool IsNull { get; }

    /// <summary>"compact", "contiguous" or "chunked".</summary>
    public string Layout { get; }

    /// <summary>Chunk dimensions (chunked only).</summary>
    public int[]? ChunkShape { get; }

    /// <summary>"btree1", "single", "implicit", "fixed-array", "extensible-array", "btree2"; "" when not chunked.</summary>
    public string ChunkIndex { get; }

    public IReadOnlyList<Hdf5Filter> Filters { get; }

    /// <summary>One element of the fill value, little-endian like <see cref="Read"/>'s output; null when the file defines none (unwritten data then reads as zeros).</summary>
    public byte[]? FillValue { get; }

    public IReadOnlyList<Hdf5Attribute> Attributes => attributes.Value;

    internal string What { get; }

    /// <summary>
    /// Reads the hyperslab [start, start+count) into <paramref name="output"/> (exactly
    /// count[0]*...*Type.Size bytes) as little-endian C-order elements; fixed-length strings and
    /// other non-numbers as their raw bytes. Unwritten chunks and storage read as the fill value.
    /// A scalar takes empty start and count.
    /// </summary>
    public void Read(long[] start, long[] count, Span<byte> output)
    {
        long bytes = CheckSelection(start, count);
        if (output.Length != bytes)
        {
            throw new ArgumentException($"The output holds {output.Length} bytes; the selection needs {bytes}.", nameof(output));
        }

        if (bytes == 0)
        {
            return;
        }

        try
        {
            ReadRaw(start, count, output);
        }
        catch (Exception e) when (Hdf5File.IsUnexpected(e))
        {
            throw Hdf5File.Unexpected(file.Storage, What, e);
        }

        SwapToLittleEndian(output, Type.SwapUnit);
    }

    /// <summary>Reads a hyperslab of variable-length (or fixed-length) strings, decoded as UTF-8.</summary>
    public string[] ReadStrings(long[] start, long[] count)
    {
        if (!Type.IsVariableLengthString && Type.Class != Hdf5TypeClass.String)
        {
            throw new InvalidOperationException($"Dataset '{Path}' holds {Type}, not strings.");
        }

        long bytes = CheckSelection(start, count);
        if (bytes > Array.MaxLength)
        {
            throw new ArgumentException("The selection is too large to read at once.", nameof(count));
        }

        int n = (int)(bytes / Type.Size);
        var raw = new byte[bytes];
        return Hdf5File.Guard(file.Storage, What, () =>
        {
            if (bytes > 0)
            {
                ReadRaw(start, count, raw);
            }

            if (Type.Class == Hdf5TypeClass.String)
            {
                return ValueDecoder.FixedStrings(Type, raw, n);
            }

            var result = new string[n];
            var budget = new ReadBudget(file.Storage, What, multiple: 2);
            for (int i = 0; i < n; i++)
            {
                result[i] = ValueDecoder.VariableString(file, Type, raw.AsSpan(i * Type.Size, Type.Size), What, budget);
            }

            return result;
        });
    }

    public override string ToString() => $"{Path}: {Type} [{string.Join(", ", Shape)}] {Layout}";

    /// <summary>Where the chunk at chunk coordinates <paramref name="scaled"/> is stored; false when it was never written (or the dataset is not chunked).</summary>
    internal bool TryGetChunk(long[] scaled, out long address, out long storedSize)
    {
        address = storedSize = 0;
        if (index is null || scaled.Length != Shape.Length)
        {
            return false;
        }

        ChunkLocation location = default;
        bool found = Hdf5File.Guard(file.Storage, What, () => index.TryFind(scaled, out location));
        (address, storedSize) = (location.Address, location.Size);
        return found;
    }

    private ChunkIndex CreateIndex(Hdf5Storage storage, ChunkGeometry g, string what)
    {
        bool filtered = Filters.Count > 0;
        switch (layout.IndexType)
        {
            case ChunkIndexType.BTree1:
                return new BTree1ChunkIndex(storage, g, layout.Address, what);
            case ChunkIndexType.SingleChunk:
                return new SingleChunkIndex(storage, g, layout.Address, layout.SingleChunkFilteredSize, layout.SingleChunkFilterMask, what);
            case ChunkIndexType.Implicit:
                return new ImplicitChunkIndex(storage, g, layout.Address, what);
            case ChunkIndexType.FixedArray:
                return new FixedArrayChunkIndex(storage, g, layout.Address, filtered, what);
            case ChunkIndexType.ExtensibleArray:
                {
                    int unlimited = 0;
                    if (MaxShape is not null)
                    {
                        int found = Array.IndexOf(MaxShape, -1L);
                        unlimited = found < 0 ? 0 : found;
                    }

                    return new ExtensibleArrayChunkIndex(storage, g, layout.Address, filtered, unlimited, what);
                }

            case ChunkIndexType.BTree2:
                return new BTree2ChunkIndex(storage, g, layout.Address, filtered, what);
            default:
                throw storage.Error($"{what}: chunk index type {layout.IndexType} is not supported.");
        }
    }

    private long CheckSelection(long[] start, long[] count)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(count);
        int rank = Shape.Length;
        if (start.Length != rank || count.Length != rank)
        {
            throw new ArgumentException($"Dataset '{Path}' has rank {rank}; start and count must have {rank} entries.");
        }

        long elements = IsNull ? 0 : 1;
        for (int d = 0; d < rank; d++)
        {
            if (start[d] < 0 || count[d] < 0 || start[d] > Shape[d] || count[d] > Shape[d] - start[d])
            {
                throw new ArgumentOutOfRangeException(nameof(count), $"Dimension {d}: [{start[d]}, {start[d]}+{count[d]}) is outside [0, {Shape[d]}) of dataset '{Path}'.");
            }

            elements = checked(elements * count[d]);
        }

        return checked(elements * Type.Size);
    }

    private void ReadRaw(long[] start, long[] count, Span<byte> output)
    {
        var storage = file.Storage;
        int esize = Type.Size;
        switch (layout.Class)
        {
            case LayoutMessage.CompactClass:
                {
                    long need = DataBytes();
                    if (layout.CompactData.Length < need)
                    {
                        throw storage.Error($"{What}: the compact data holds {layout.CompactData.Length} bytes but the dataset needs {need}.");
                    }

                    BoxRuns.Copy(layout.CompactData, Shape, start, output, count, new long[count.Length], count, esize);
                    return;
                }

            case LayoutMessage.ContiguousClass:
                ReadContiguous(start, count, output);
                return;

            default:
                ReadChunked(start, count, output);
                return;
        }
    }

    /// <summary>Bytes of the whole dataset; a dataspace too large to address is damaged.</summary>
    private long DataBytes()
    {
        long n = Type.Size;
        foreach (var d in Shape)
        {
            if (d != 0 && n > long.MaxValue / d)
            {
                throw file.Storage.Error($"{What}: the dataset's {string.Join(" x ", Shape)} elements of {Type.Size} bytes exceed any file.");
            }

            n *= d;
        }

        return n;
    }

    private void ReadContiguous(long[] start, long[] count, Span<byte> output)
    {
        var storage = file.Storage;
        int esize = Type.Size;
        if (hasExternalFiles)
        {
            throw storage.Error($"{What}: data stored in external files is not supported.");
        }

        if (layout.Address == Hdf5Storage.Undefined)
        {
            BoxRuns.Fill(output, count, new long[count.Length], count, FillBytes());
            return;
        }

        long total = DataBytes();
        if (layout.ContiguousSize >= 0 && layout.ContiguousSize < total)
        {
            throw storage.Error($"{What}: the contiguous storage holds {layout.ContiguousSize} bytes but the dataset needs {total}.");
        }

        storage.CheckRange(layout.Address, total, What + ", contiguous data");
        var runs = new BoxRuns(Shape, start, count, new long[count.Length], count, esize);
        int n = (int)runs.RunBytes;

        // Read the whole span once when the runs are dense enough; otherwise run by run.
        var first = new BoxRuns(Shape, start, count, new long[count.Length], count, esize);
        first.Next(out long lo, out _);
        long hi = lo;
        long runsCount = 0;
        while (runs.Next(out long s, out _))
        {
            hi = s + n;
            runsCount++;
        }

        long span = hi - lo;
        runs = new BoxRuns(Shape, start, count, new long[count.Length], count, esize);
        if (runsCount > 1 && span <= Math.Max(4L * output.Length, 1L << 20) && span <= Array.MaxLength)
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)span);
            try
            {
                storage.Read(layout.Address + lo, buffer.AsSpan(0, (int)span), What + ", contiguous data");
                while (runs.Next(out long s, out long t))
                {
                    buffer.AsSpan((int)(s - lo), n).CopyTo(output.Slice((int)t, n));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return;
        }

        while (runs.Next(out long s, out long t))
        {
            storage.Read(layout.Address + s, output.Slice((int)t, n), What + ", contiguous data");
        }
    }

    private void ReadChunked(long[] start, long[] count, Span<byte> output)
    {
        var storage = file.Storage;
        var g = geometry!;
        int rank = g.Rank;
        if (g.ChunkBytes > Array.MaxLength)
        {
            throw storage.Error($"{What}: chunks of {g.ChunkBytes} bytes are larger than this reader supports (2 GiB).");
        }

        foreach (var f in Filters)
        {
            if (!FilterPipeline.IsSupported(f.Id))
            {
                throw storage.Error($"{What}: filter {f.Id} ({f.Name}) is not supported; only deflate, shuffle, fletcher32, zstd (32015) and blosc (32001) can be decoded.");
            }
        }

        var first = new long[rank];
        var last = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            first[d] = start[d] / g.Chunk[d];
            last[d] = (start[d] + count[d] - 1) / g.Chunk[d];
        }

        var chunkShape = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            chunkShape[d] = g.Chunk[d];
        }

        var scaled = (long[])first.Clone();
        var lo = new long[rank];
        var box = new long[rank];
        var inChunk = new long[rank];
        var inOutput = new long[rank];
        byte[]? fill = null;
        while (true)
        {
            bool partialEdge = false;
            for (int d = 0; d < rank; d++)
            {
                long origin = scaled[d] * g.Chunk[d];
                lo[d] = Math.Max(start[d], origin);
                long hi = Math.Min(start[d] + count[d], origin + g.Chunk[d]);
                box[d] = hi - lo[d];
                inChunk[d] = lo[d] - origin;
                inOutput[d] = lo[d] - start[d];
                partialEdge |= origin + g.Chunk[d] > Shape[d];
            }

            if (index!.TryFind(scaled, out var location))
            {
                bool whole = true;
                for (int d = 0; d < rank && whole; d++)
                {
                    whole = box[d] == g.Chunk[d];
                }

                if (whole && !partialEdge && Filters.Count > 0 && Zarr.NdCopy.ContiguousOffset(count, inOutput, box, g.ElementSize) is long at)
                {
                    // the chunk is one run of the output: decode straight into it
                    ReadChunkInto(location, scaled, output.Slice((int)at, (int)g.ChunkBytes));
                }
                else
                {
                    bool cacheable = !whole && Filters.Count > 0;
                    long key = cacheable ? g.CurrentLinear(scaled) : -1;
                    var cached = cacheable ? file.Chunks.Get(Address, key) : null;
                    var chunk = cached ?? ReadChunk(location, scaled, partialEdge);
                    try
                    {
                        BoxRuns.Copy(chunk.AsSpan(0, (int)g.ChunkBytes), chunkShape, inChunk, output, count, inOutput, box, g.ElementSize);
                    }
                    finally
                    {
                        if (cached is null && !(cacheable && file.Chunks.Add(Address, key, chunk)))
                        {
                            FilterPipeline.Return(chunk);
                        }
                    }
                }
            }
            else
            {
                fill ??= FillBytes();
                BoxRuns.Fill(output, count, inOutput, box, fill);
            }

            int k = rank - 1;
            for (; k >= 0; k--)
            {
                if (++scaled[k] <= last[k])
                {
                    break;
                }

                scaled[k] = first[k];
            }

            if (k < 0)
            {
                return;
            }
        }
    }

    /// <summary>Reads and decodes a whole, filtered, non-edge chunk into <paramref name="destination"/>.</summary>
    private void ReadChunkInto(ChunkLocation location, long[] scaled, Span<byte> destination)
    {
        string what = ChunkWhat(location, scaled);
        var raw = ReadStored(location, what, out int size);
        FilterPipeline.DecodeInto(file.Storage, Filters, location.FilterMask, raw, size, destination, Type.Size, what);
    }

    private byte[] ReadChunk(ChunkLocation location, long[] scaled, bool partialEdge)
    {
        var storage = file.Storage;
        int chunkBytes = (int)geometry!.ChunkBytes;
        string what = ChunkWhat(location, scaled);
        bool filtered = Filters.Count > 0 && !(partialEdge && (layout.ChunkFlags & 0x01) != 0);
        if (!filtered && location.Size != chunkBytes)
        {
            throw storage.Error($"{what}: an unfiltered chunk is stored in {location.Size} bytes but holds {chunkBytes}.");
        }

        var raw = ReadStored(location, what, out int size);
        return filtered ? FilterPipeline.Decode(storage, Filters, location.FilterMask, raw, size, chunkBytes, Type.Size, what) : raw;
    }

    private string ChunkWhat(ChunkLocation location, long[] scaled) => $"{What}, chunk [{string.Join(", ", scaled)}] at {Hdf5Storage.Hex(location.Address)}";

    /// <summary>The chunk's stored bytes in a pooled buffer (the caller returns it), checked against the file.</summary>
    private byte[] ReadStored(ChunkLocation location, string what, out int size)
    {
        var storage = file.Storage;
        if (location.Size <= 0 || location.Size > Array.MaxLength)
        {
            throw storage.Error($"{what}: stored chunk size {location.Size} is not valid.");
        }

        storage.CheckRange(location.Address, location.Size, what);
        size = (int)location.Size;
        var raw = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            storage.Read(location.Address, raw.AsSpan(0, size), what);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(raw);
            throw;
        }

        return raw;
    }

    private byte[] FillBytes() => fillFileOrder ?? new byte[Type.Size];

    internal static void SwapToLittleEndian(Span<byte> data, int unit)
    {
        switch (unit)
        {
            case 2:
                for (int i = 0; i + 2 <= data.Length; i += 2)
                {
                    var s = data.Slice(i, 2);
                    BinaryPrimitives.WriteUInt16LittleEndian(s, BinaryPrimitives.ReadUInt16BigEndian(s));
                }

                break;
            case 4:
                for (int i = 0; i + 4 <= data.Length; i += 4)
                {
                    var s = data.Slice(i, 4);
                    BinaryPrimitives.WriteUInt32LittleEndian(s, BinaryPrimitives.ReadUInt32BigEndian(s));
                }

                break;
            case 8:
                for (int i = 0; i + 8 <= data.Length; i += 8)
                {
                    var s = data.Slice(i, 8);
                    BinaryPrimitives.WriteUInt64LittleEndian(s, BinaryPrimitives.ReadUInt64BigEndian(s));
                }

                break;
            case > 1:
                for (int i = 0; i + unit <= data.Length; i += unit)
                {
                    data.Slice(i, unit).Reverse();
                }

                break;
        }
    }
}
