using System.Buffers.Binary;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The v3 "sharding_indexed" codec: a shard holds a grid of inner chunks, each encoded with
/// <see cref="InnerCodecs"/>, and an index of (offset, nbytes) u64 pairs encoded with
/// <see cref="IndexCodecs"/> at the start or the end. Inner chunks equal to the fill value are not stored.
/// </summary>
public sealed class ShardingCodec : IArrayToBytesCodec
{
    private const ulong Empty = ulong.MaxValue;

    public ShardingCodec(int[] chunkShape, CodecChain innerCodecs, CodecChain indexCodecs, bool indexAtEnd = true)
    {
        if (chunkShape.Any(c => c <= 0))
        {
            throw new CodecException("sharding_indexed", "InvalidCodecConfiguration", ErrorKind.InvalidData, "chunk_shape entries must be positive.");
        }

        ChunkShape = chunkShape;
        InnerCodecs = innerCodecs;
        IndexCodecs = indexCodecs;
        IndexAtEnd = indexAtEnd;
    }

    public int[] ChunkShape { get; }

    public CodecChain InnerCodecs { get; }

    public CodecChain IndexCodecs { get; }

    public bool IndexAtEnd { get; }

    public string Name => "sharding_indexed";

    /// <summary>The recommended index pipeline: little-endian bytes then crc32c.</summary>
    public static CodecChain DefaultIndexCodecs { get; } = new([], BytesCodec.Little, [Crc32cCodec.Instance]);

    public int[] InnerGrid(int[] shardShape)
    {
        if (shardShape.Length != ChunkShape.Length)
        {
            throw new CodecException(Name, "InvalidCodecConfiguration", ErrorKind.InvalidData, $"chunk_shape has {ChunkShape.Length} dimensions but the shard has {shardShape.Length}.");
        }

        var grid = new int[shardShape.Length];
        for (int i = 0; i < grid.Length; i++)
        {
            if (shardShape[i] % ChunkShape[i] != 0)
            {
                throw new CodecException(Name, "InvalidCodecConfiguration", ErrorKind.InvalidData,
                    $"the shard shape [{string.Join(",", shardShape)}] is not a multiple of the inner chunk shape [{string.Join(",", ChunkShape)}].");
            }

            grid[i] = shardShape[i] / ChunkShape[i];
        }

        return grid;
    }

    private ChunkSpec IndexSpec(int[] grid) => new([.. grid, 2], ZarrDataType.UInt64, null);

    private long IndexSize(ChunkSpec indexSpec) => IndexCodecs.FixedEncodedSize(indexSpec)
        ?? throw new CodecException(Name, "InvalidCodecConfiguration", ErrorKind.InvalidData, "index_codecs must have a fixed encoded size (bytes, optionally crc32c).");

    public byte[] Encode(byte[] data, ChunkSpec spec)
    {
        var grid = InnerGrid(spec.Shape);
        int n = grid.Aggregate(1, (a, b) => a * b);
        var innerSpec = spec with { Shape = ChunkShape };
        var index = new ulong[n * 2];
        var parts = new byte[n][];
        var buffer = new byte[innerSpec.ByteCount];
        var coord = new int[grid.Length];
        long offset = 0;
        var fill = spec.FillValue ?? new byte[spec.DataType.Size];
        for (int i = 0; i < n; i++)
        {
            var start = new long[grid.Length];
            for (int d = 0; d < grid.Length; d++)
            {
                start[d] = (long)coord[d] * ChunkShape[d];
            }

            NdCopy.CopyRegion(data, spec.Shape, start, buffer, ChunkShape, new long[grid.Length], ChunkShape, spec.DataType.Size);
            if (NdCopy.IsAllFill(buffer, fill))
            {
                index[2 * i] = Empty;
                index[2 * i + 1] = Empty;
            }
            else
            {
                parts[i] = InnerCodecs.Encode((byte[])buffer.Clone(), innerSpec);
                index[2 * i] = (ulong)offset;
                index[2 * i + 1] = (ulong)parts[i].Length;
                offset += parts[i].Length;
            }

            for (int d = grid.Length - 1; d >= 0; d--)
            {
                if (++coord[d] < grid[d])
                {
                    break;
                }

                coord[d] = 0;
            }
        }

        var indexSpec = IndexSpec(grid);
        var indexBytes = new byte[n * 16];
        long indexLen = IndexSize(indexSpec);
        long shift = IndexAtEnd ? 0 : indexLen;
        for (int i = 0; i < index.Length; i++)
        {
            ulong v = index[i] == Empty || i % 2 == 1 ? index[i] : index[i] + (ulong)shift;
            BinaryPrimitives.WriteUInt64LittleEndian(indexBytes.AsSpan(i * 8), v);
        }

        var encodedIndex = IndexCodecs.Encode(indexBytes, indexSpec);
        var result = new byte[offset + encodedIndex.Length];
        int pos = IndexAtEnd ? 0 : encodedIndex.Length;
        foreach (var p in parts)
        {
            if (p is not null)
            {
                p.CopyTo(result, pos);
                pos += p.Length;
            }
        }

        encodedIndex.CopyTo(result, IndexAtEnd ? (int)offset : 0);
        return result;
    }

    public byte[] Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec)
    {
        var grid = InnerGrid(spec.Shape);
        int n = grid.Aggregate(1, (a, b) => a * b);
        var indexSpec = IndexSpec(grid);
        long indexLen = IndexSize(indexSpec);
        if (encoded.Length < indexLen)
        {
            throw new CodecException(Name, $"shard of {encoded.Length} bytes is shorter than its {indexLen}-byte index: truncated.");
        }

        var indexRaw = IndexAtEnd ? encoded[(int)(encoded.Length - indexLen)..] : encoded[..(int)indexLen];
        var indexBytes = IndexCodecs.Decode(indexRaw, indexSpec);
        var result = new byte[spec.ByteCount];
        var fill = spec.FillValue ?? new byte[spec.DataType.Size];
        var innerSpec = spec with { Shape = ChunkShape };
        var coord = new int[grid.Length];
        for (int i = 0; i < n; i++)
        {
            ulong off = BinaryPrimitives.ReadUInt64LittleEndian(indexBytes.AsSpan(i * 16));
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(indexBytes.AsSpan(i * 16 + 8));
            var start = new long[grid.Length];
            for (int d = 0; d < grid.Length; d++)
            {
                start[d] = (long)coord[d] * ChunkShape[d];
            }

            if (off == Empty && len == Empty)
            {
                NdCopy.FillRegion(result, spec.Shape, start, ChunkShape, fill);
            }
            else
            {
                if (off > (ulong)encoded.Length || len > (ulong)encoded.Length - off)
                {
                    throw new CodecException(Name, $"inner chunk {i} at offset {off} with {len} bytes lies outside the {encoded.Length}-byte shard: corrupt index.");
                }

                var chunk = InnerCodecs.Decode(encoded.Slice((int)off, (int)len), innerSpec);
                NdCopy.CopyRegion(chunk, ChunkShape, new long[grid.Length], result, spec.Shape, start, ChunkShape, spec.DataType.Size);
            }

            for (int d = grid.Length - 1; d >= 0; d--)
            {
                if (++coord[d] < grid[d])
                {
                    break;
                }

                coord[d] = 0;
            }
        }

        return result;
    }

    public JsonObject ToV3Json() => new()
    {
        ["name"] = Name,
        ["configuration"] = new JsonObject
        {
            ["chunk_shape"] = new JsonArray(ChunkShape.Select(c => (JsonNode)c).ToArray()),
            ["codecs"] = InnerCodecs.ToV3Json(),
            ["index_codecs"] = IndexCodecs.ToV3Json(),
            ["index_location"] = IndexAtEnd ? "end" : "start",
        },
    };
}
