namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// The data layout message (0x08), versions 1 to 4: compact data in the header, one contiguous
/// block, or chunks with their index type and its creation parameters.
/// </summary>
internal sealed class LayoutMessage
{
    public const int CompactClass = 0;
    public const int ContiguousClass = 1;
    public const int ChunkedClass = 2;

    public int Version { get; private init; }

    public int Class { get; private init; }

    public byte[] CompactData { get; private init; } = [];

    /// <summary>Address of the contiguous data or of the chunk index (undefined when nothing was written).</summary>
    public long Address { get; private init; } = Hdf5Storage.Undefined;

    /// <summary>Size of contiguous storage (layout 3+; -1 when the message does not say).</summary>
    public long ContiguousSize { get; private init; } = -1;

    /// <summary>Chunk dimensions without the trailing element-size dimension.</summary>
    public int[] ChunkDims { get; private init; } = [];

    /// <summary>The element size stored as the last chunk dimension.</summary>
    public long ChunkElementSize { get; private init; }

    public ChunkIndexType IndexType { get; private init; }

    /// <summary>Layout 4 flags: bit 0 partial edge chunks are not filtered; bit 1 the single chunk is filtered.</summary>
    public int ChunkFlags { get; private init; }

    public long SingleChunkFilteredSize { get; private init; } = -1;

    public uint SingleChunkFilterMask { get; private init; }

    /// <summary>Fixed-array page bits, or the extensible-array parameters (max bits, index elements, min pointers, min elements, page bits).</summary>
    public byte[] IndexParameters { get; private init; } = [];

    public static LayoutMessage Parse(Hdf5Storage storage, ReadOnlySpan<byte> body, int rank, string what)
    {
        var r = new FieldReader(body, storage, what + ", layout message");
        int version = r.U8();
        if (version is < 1 or > 4)
        {
            throw r.Error($"layout message version {version} is not supported (known: 1-4).");
        }

        if (version < 3)
        {
            int dimensionality = r.U8();
            int cls = r.U8();
            r.Skip(5);
            if (dimensionality == 0 || dimensionality > Dataspace.MaxRank + 1)
            {
                throw r.Error($"dimensionality {dimensionality} is out of range.");
            }

            long address = cls == CompactClass ? Hdf5Storage.Undefined : r.Offset();
            var dims = new long[dimensionality];
            for (int i = 0; i < dimensionality; i++)
            {
                dims[i] = r.U32();
            }

            switch (cls)
            {
                case CompactClass:
                    {
                        uint size = r.U32();
                        return new LayoutMessage { Version = version, Class = cls, CompactData = r.Bytes(r.Bounded(size, r.Remaining, "compact data size")).ToArray() };
                    }

                case ContiguousClass:
                    return new LayoutMessage { Version = version, Class = cls, Address = address };

                case ChunkedClass:
                    return Chunked(ref r, version, address, dims, rank, ChunkIndexType.BTree1, 0, []);

                default:
                    throw r.Error($"layout class {cls} is not supported.");
            }
        }

        int layoutClass = r.U8();
        switch (layoutClass)
        {
            case CompactClass:
                {
                    int size = r.U16();
                    return new LayoutMessage { Version = version, Class = layoutClass, CompactData = r.Bytes(size).ToArray() };
                }

            case ContiguousClass:
                {
                    long address = r.Offset();
                    long size = r.LengthField("contiguous size");
                    return new LayoutMessage { Version = version, Class = layoutClass, Address = address, ContiguousSize = size };
                }

            case ChunkedClass when version == 3:
                {
                    int dimensionality = r.U8();
                    long address = r.Offset();
                    var dims = ReadDims(ref r, dimensionality, 4);
                    return Chunked(ref r, version, address, dims, rank, ChunkIndexType.BTree1, 0, []);
                }

            case ChunkedClass:
                {
                    int flags = r.U8();
                    if ((flags & ~0x03) != 0)
                    {
                        throw r.Error($"chunked layout flags 0x{flags:X} are not known.");
                    }

                    int dimensionality = r.U8();
                    int encoded = r.U8();
                    if (encoded is < 1 or > 8)
                    {
                        throw r.Error($"chunk dimensions encoded in {encoded} bytes is not valid.");
                    }

                    var dims = ReadDims(ref r, dimensionality, encoded);
                    int indexType = r.U8();
                    long filteredSize = -1;
                    uint mask = 0;
                    byte[] parameters;
                    switch (indexType)
                    {
                        case (int)ChunkIndexType.SingleChunk:
                            if ((flags & 0x02) != 0)
                            {
                                filteredSize = r.LengthField("filtered chunk size");
                                mask = r.U32();
                            }

                            parameters = [];
                            break;
                        case (int)ChunkIndexType.Implicit:
                            parameters = [];
                            break;
                        case (int)ChunkIndexType.FixedArray:
                            parameters = r.Bytes(1).ToArray();
                            break;
                        case (int)ChunkIndexType.ExtensibleArray:
                            parameters = r.Bytes(5).ToArray();
                            break;
                        case (int)ChunkIndexType.BTree2:
                            parameters = r.Bytes(6).ToArray();
                            break;
                        default:
                            throw r.Error($"chunk index type {indexType} is not known.");
                    }

                    long address = r.Offset();
                    var layout = Chunked(ref r, version, address, dims, rank, (ChunkIndexType)indexType, flags, parameters);
                    return new LayoutMessage
                    {
                        Version = layout.Version,
                        Class = layout.Class,
                        Address = layout.Address,
                        ChunkDims = layout.ChunkDims,
                        ChunkElementSize = layout.ChunkElementSize,
                        IndexType = layout.IndexType,
                        ChunkFlags = layout.ChunkFlags,
                        IndexParameters = layout.IndexParameters,
                        SingleChunkFilteredSize = filteredSize,
                        SingleChunkFilterMask = mask,
                    };
                }

            case 3:
                throw r.Error("virtual datasets are not supported.");

            default:
                throw r.Error($"layout class {layoutClass} is not known.");
        }
    }

    private static long[] ReadDims(ref FieldReader r, int dimensionality, int bytes)
    {
        if (dimensionality < 2 || dimensionality > Dataspace.MaxRank + 1)
        {
            throw r.Error($"chunk dimensionality {dimensionality} is out of range.");
        }

        var dims = new long[dimensionality];
        for (int i = 0; i < dimensionality; i++)
        {
            dims[i] = r.Count(bytes, "chunk dimension");
        }

        return dims;
    }

    private static LayoutMessage Chunked(ref FieldReader r, int version, long address, long[] dims, int rank, ChunkIndexType index, int flags, byte[] parameters)
    {
        if (dims.Length != rank + 1)
        {
            throw r.Error($"the chunk has {dims.Length - 1} dimensions but the dataspace has {rank}.");
        }

        var chunk = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            if (dims[i] is <= 0 or > int.MaxValue)
            {
                throw r.Error($"chunk dimension {dims[i]} is not valid.");
            }

            chunk[i] = (int)dims[i];
        }

        return new LayoutMessage
        {
            Version = version,
            Class = ChunkedClass,
            Address = address,
            ChunkDims = chunk,
            ChunkElementSize = dims[rank],
            IndexType = index,
            ChunkFlags = flags,
            IndexParameters = parameters,
        };
    }
}
