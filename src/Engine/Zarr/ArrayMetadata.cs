using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Zarr;

/// <summary>
/// Everything a Zarr array's metadata says, for v2 (.zarray + .zattrs) and v3 (zarr.json).
/// Dimension names are kept apart from the attributes: in v2 they travel as xarray's
/// <c>_ARRAY_DIMENSIONS</c> attribute, in v3 as <c>dimension_names</c>.
/// </summary>
public sealed class ArrayMetadata
{
    public const string ArrayDimensionsAttribute = "_ARRAY_DIMENSIONS";

    private static readonly string[] V2Fields = ["zarr_format", "shape", "chunks", "dtype", "compressor", "fill_value", "order", "filters", "dimension_separator"];
    private static readonly string[] V3Fields = ["zarr_format", "node_type", "shape", "data_type", "chunk_grid", "chunk_key_encoding", "fill_value", "codecs", "attributes", "storage_transformers", "dimension_names"];

    public ArrayMetadata(
        int zarrFormat,
        long[] shape,
        int[] chunkShape,
        ZarrDataType dataType,
        byte[]? fillValue,
        CodecChain codecs,
        ChunkKeyEncoding keyEncoding,
        string?[]? dimensionNames,
        JsonObject? attributes,
        bool fortranOrder = false)
    {
        if (shape.Length != chunkShape.Length)
        {
            throw new MetadataException("metadata", $"shape has {shape.Length} dimensions but chunks have {chunkShape.Length}.");
        }

        if (shape.Any(s => s < 0) || chunkShape.Any(c => c <= 0))
        {
            throw new MetadataException("metadata", $"shape [{string.Join(",", shape)}] must be non-negative and chunks [{string.Join(",", chunkShape)}] positive.");
        }

        if (dimensionNames is not null && dimensionNames.Length != shape.Length)
        {
            throw new MetadataException("metadata", $"{dimensionNames.Length} dimension names for {shape.Length} dimensions.");
        }

        ZarrFormat = zarrFormat;
        Shape = shape;
        ChunkShape = chunkShape;
        DataType = dataType;
        FillValue = fillValue;
        Codecs = codecs;
        KeyEncoding = keyEncoding;
        DimensionNames = dimensionNames;
        Attributes = attributes ?? new JsonObject();
        FortranOrder = fortranOrder;
        Grid = new ChunkGrid(shape, chunkShape);
        FillBytes = fillValue ?? new byte[dataType.Size];
        ChunkSpec = new ChunkSpec(chunkShape, dataType.Native, fillValue);
        long chunkBytes = Grid.ChunkElements * dataType.Size;
        if (chunkBytes > int.MaxValue - 64)
        {
            throw new MetadataException("metadata", $"a chunk of [{string.Join(",", chunkShape)}] {dataType.Name} is {chunkBytes} bytes, over the 2 GiB a chunk may hold; choose smaller chunks.", "ChunkTooLarge", ErrorKind.NotSupported);
        }
    }

    public int ZarrFormat { get; }

    public long[] Shape { get; }

    /// <summary>The chunk grid's chunk shape (for a sharded v3 array: the shard shape).</summary>
    public int[] ChunkShape { get; }

    /// <summary>Element type; in v2 its byte order is the on-disk order.</summary>
    public ZarrDataType DataType { get; }

    public byte[]? FillValue { get; }

    public CodecChain Codecs { get; }

    public ChunkKeyEncoding KeyEncoding { get; }

    public string?[]? DimensionNames { get; }

    /// <summary>User attributes, without <c>_ARRAY_DIMENSIONS</c>.</summary>
    public JsonObject Attributes { get; }

    /// <summary>v2 order "F".</summary>
    public bool FortranOrder { get; }

    public ChunkGrid Grid { get; }

    public int Rank => Shape.Length;

    public ShardingCodec? Sharding => Codecs.BytesCodec as ShardingCodec;

    /// <summary>The innermost chunk shape (the shard's inner chunks when sharded).</summary>
    public int[] InnerChunkShape => Sharding?.ChunkShape ?? ChunkShape;

    /// <summary>The compressor: the last compressing bytes→bytes codec (inside the shard when sharded).</summary>
    public IBytesCodec? Compressor => (Sharding?.InnerCodecs ?? Codecs).BytesCodecs.FirstOrDefault(c => c is not Crc32cCodec);

    /// <summary>One element's bytes of the fill value, zeros when there is none. One shared array: read it, never write it.</summary>
    public byte[] FillBytes { get; }

    /// <summary>What the codecs see of one chunk; built once, as it is read for every chunk.</summary>
    public ChunkSpec ChunkSpec { get; }

    /// <summary>The same array with another shape (an appended or resized axis); chunks and codecs unchanged.</summary>
    public ArrayMetadata WithShape(long[] shape) =>
        new(ZarrFormat, shape, ChunkShape, DataType, FillValue, Codecs, KeyEncoding, DimensionNames, (JsonObject)Attributes.DeepClone(), FortranOrder);

    /// <summary>Builds metadata for a new array from the user's choices.</summary>
    public static ArrayMetadata Create(
        int zarrFormat,
        long[] shape,
        int[] chunkShape,
        ZarrDataType dataType,
        byte[]? fillValue,
        IBytesCodec? compressor,
        string?[]? dimensionNames,
        JsonObject? attributes,
        int[]? shardShape = null)
    {
        if (zarrFormat is not (2 or 3))
        {
            throw new ZarrPartitionException("InvalidZarrFormat", ErrorKind.InvalidArgument, zarrFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), $"Zarr format {zarrFormat} is not 2 or 3.");
        }

        dataType = dataType.Native;
        IBytesCodec[] compressors = compressor is null ? [] : [compressor];
        if (shardShape is not null)
        {
            if (zarrFormat != 3)
            {
                throw new ZarrPartitionException("ShardingNeedsV3", ErrorKind.InvalidArgument, "shards", "Shards exist only in Zarr v3; add --zarr-format 3 (or drop --shards).");
            }

            for (int i = 0; i < shardShape.Length; i++)
            {
                if (shardShape[i] <= 0 || shardShape[i] % chunkShape[i] != 0)
                {
                    throw new ZarrPartitionException("InvalidShardShape", ErrorKind.InvalidArgument, "shards",
                        $"Shard shape [{string.Join(",", shardShape)}] must be a positive multiple of the chunk shape [{string.Join(",", chunkShape)}] in every dimension.");
                }
            }

            var inner = new CodecChain([], BytesCodec.Little, compressors);
            var sharding = new ShardingCodec(chunkShape, inner, ShardingCodec.DefaultIndexCodecs);
            return new ArrayMetadata(3, shape, shardShape, dataType, fillValue, new CodecChain([], sharding, []), ChunkKeyEncoding.V3Default, dimensionNames, attributes);
        }

        var chain = new CodecChain([], BytesCodec.Little, compressors);
        return new ArrayMetadata(zarrFormat, shape, chunkShape, dataType, fillValue ?? (zarrFormat == 3 ? new byte[dataType.Size] : null), chain,
            zarrFormat == 2 ? ChunkKeyEncoding.V2Dot : ChunkKeyEncoding.V3Default, dimensionNames, attributes);
    }

    /// <summary>Parses v2 .zarray (and optional .zattrs).</summary>
    public static ArrayMetadata ParseV2(JsonNode? zarray, JsonNode? zattrs, string key)
    {
        if (zarray is not JsonObject o)
        {
            throw new MetadataException(key, "must be a JSON object.");
        }

        foreach (var kv in o)
        {
            if (Array.IndexOf(V2Fields, kv.Key) < 0)
            {
                throw new MetadataException(key, $"unknown field '{kv.Key}'; this is not a Zarr v2 array we understand.", "UnknownField");
            }
        }

        try
        {
            if (Required(o, "zarr_format", key).GetValue<int>() != 2)
            {
                throw new MetadataException(key, $"zarr_format is {o["zarr_format"]}, expected 2.");
            }

            var shape = LongArray(Required(o, "shape", key), key, "shape");
            var chunks = LongArray(Required(o, "chunks", key), key, "chunks").Select(c => checked((int)c)).ToArray();
            var dtypeNode = Required(o, "dtype", key);
            if (dtypeNode.GetValueKind() != JsonValueKind.String)
            {
                throw new MetadataException(key, $"dtype {dtypeNode.ToJsonString()} is a structured type; only plain numeric and |S dtypes are supported.", "UnsupportedDataType", ErrorKind.NotSupported);
            }

            var dtype = ZarrDataType.ParseV2(dtypeNode.GetValue<string>(), key);
            if (!o.ContainsKey("compressor") || !o.ContainsKey("fill_value") || !o.ContainsKey("order"))
            {
                throw new MetadataException(key, "a Zarr v2 array needs compressor, fill_value and order.");
            }

            var fill = FillValueJson.Parse(o["fill_value"], dtype, 2, key);
            var order = o["order"]?.GetValue<string>();
            if (order is not ("C" or "F"))
            {
                throw new MetadataException(key, $"order must be \"C\" or \"F\", found {o["order"]?.ToJsonString() ?? "null"}.");
            }

            if (o["filters"] is JsonArray filters && filters.Count > 0)
            {
                var ids = string.Join(", ", filters.Select(f => f?["id"]?.ToString() ?? "?"));
                throw new MetadataException(key, $"filters [{ids}] are not supported; re-create the array without filters.", "UnsupportedCodec", ErrorKind.NotSupported);
            }

            var sep = o["dimension_separator"]?.GetValue<string>() ?? ".";
            if (sep is not ("." or "/"))
            {
                throw new MetadataException(key, $"dimension_separator must be \".\" or \"/\", found '{sep}'.");
            }

            var compressor = CodecJson.FromV2Compressor(o["compressor"], dtype, key);
            var arrayCodecs = order == "F" && shape.Length > 1 ? new IArrayToArrayCodec[] { TransposeCodec.Reversed(shape.Length) } : [];
            var chain = new CodecChain(arrayCodecs, dtype.NeedsSwap ? BytesCodec.Big : BytesCodec.Little, compressor is null ? [] : [compressor]);

            JsonObject attrs = zattrs switch
            {
                null => new JsonObject(),
                JsonObject a => (JsonObject)a.DeepClone(),
                _ => throw new MetadataException(key, ".zattrs must be a JSON object."),
            };
            string?[]? dims = null;
            if (attrs[ArrayDimensionsAttribute] is JsonArray dimArray)
            {
                dims = dimArray.Select(d => d?.GetValue<string>()).ToArray();
                if (dims.Length != shape.Length)
                {
                    throw new MetadataException(key, $"_ARRAY_DIMENSIONS has {dims.Length} names for {shape.Length} dimensions.");
                }

                attrs.Remove(ArrayDimensionsAttribute);
            }

            return new ArrayMetadata(2, shape, chunks, dtype, fill, chain, new ChunkKeyEncoding(true, sep[0]), dims, attrs, order == "F" && shape.Length > 1);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            throw new MetadataException(key, $"invalid value: {e.Message}", inner: e);
        }
    }

    /// <summary>Parses a v3 array zarr.json.</summary>
    public static ArrayMetadata ParseV3(JsonNode? doc, string key)
    {
        if (doc is not JsonObject o)
        {
            throw new MetadataException(key, "must be a JSON object.");
        }

        foreach (var kv in o)
        {
            if (Array.IndexOf(V3Fields, kv.Key) < 0 && !(kv.Value is JsonObject ext && ext["must_understand"]?.GetValueKind() == JsonValueKind.False))
            {
                throw new MetadataException(key, $"unknown field '{kv.Key}' without \"must_understand\": false; the array uses a feature we do not support.", "UnknownField", ErrorKind.NotSupported);
            }
        }

        try
        {
            if (Required(o, "zarr_format", key).GetValue<int>() != 3 || Required(o, "node_type", key).GetValue<string>() != "array")
            {
                throw new MetadataException(key, "expected zarr_format 3 and node_type \"array\".");
            }

            var shape = LongArray(Required(o, "shape", key), key, "shape");
            var dtNode = Required(o, "data_type", key);
            var dtype = dtNode.GetValueKind() == JsonValueKind.String
                ? ZarrDataType.ParseV3(dtNode.GetValue<string>(), key)
                : throw new MetadataException(key, $"data_type {dtNode.ToJsonString()} is not supported.", "UnsupportedDataType", ErrorKind.NotSupported);

            var grid = Required(o, "chunk_grid", key) as JsonObject ?? throw new MetadataException(key, "chunk_grid must be an object.");
            if (grid["name"]?.GetValue<string>() != "regular")
            {
                throw new MetadataException(key, $"chunk_grid '{grid["name"]}' is not supported; only \"regular\".", "UnsupportedChunkGrid", ErrorKind.NotSupported);
            }

            var chunks = LongArray(grid["configuration"]?["chunk_shape"] ?? throw new MetadataException(key, "chunk_grid has no configuration.chunk_shape."), key, "chunk_shape")
                .Select(c => checked((int)c)).ToArray();

            var cke = Required(o, "chunk_key_encoding", key) as JsonObject ?? throw new MetadataException(key, "chunk_key_encoding must be an object.");
            var ckeName = cke["name"]?.GetValue<string>();
            var sepText = cke["configuration"]?["separator"]?.GetValue<string>();
            ChunkKeyEncoding encoding = ckeName switch
            {
                "default" => new ChunkKeyEncoding(false, (sepText ?? "/")[0]),
                "v2" => new ChunkKeyEncoding(true, (sepText ?? ".")[0]),
                _ => throw new MetadataException(key, $"chunk_key_encoding '{ckeName}' is not supported; expected \"default\" or \"v2\".", "UnsupportedChunkKeyEncoding", ErrorKind.NotSupported),
            };
            if (sepText is not null and not ("/" or "."))
            {
                throw new MetadataException(key, $"chunk key separator must be \"/\" or \".\", found '{sepText}'.");
            }

            if (o["storage_transformers"] is JsonArray st && st.Count > 0)
            {
                throw new MetadataException(key, "storage_transformers are not supported.", "UnsupportedStorageTransformer", ErrorKind.NotSupported);
            }

            if (!o.ContainsKey("fill_value"))
            {
                throw new MetadataException(key, "fill_value is required.");
            }

            var fill = FillValueJson.Parse(o["fill_value"], dtype, 3, key);
            var chain = CodecJson.FromV3(Required(o, "codecs", key), dtype, key);
            string?[]? dims = o["dimension_names"] is JsonArray dn ? dn.Select(d => d?.GetValue<string>()).ToArray() : null;
            var attrs = o["attributes"] switch
            {
                null => new JsonObject(),
                JsonObject a => (JsonObject)a.DeepClone(),
                _ => throw new MetadataException(key, "attributes must be an object."),
            };
            return new ArrayMetadata(3, shape, chunks, dtype, fill, chain, encoding, dims, attrs);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException)
        {
            throw new MetadataException(key, $"invalid value: {e.Message}", inner: e);
        }
    }

    /// <summary>The v2 .zarray document.</summary>
    public JsonObject ToV2Json()
    {
        if (ZarrFormat != 2)
        {
            throw new InvalidOperationException("not a v2 array");
        }

        var o = new JsonObject
        {
            ["chunks"] = new JsonArray(ChunkShape.Select(c => (JsonNode)c).ToArray()),
            ["compressor"] = Compressor is null ? null : CodecJson.BytesCodecToV2(Compressor),
            ["dtype"] = DataType.V2TypeString,
            ["fill_value"] = FillValueJson.ToJson(FillValue, DataType, 2),
            ["filters"] = null,
            ["order"] = FortranOrder ? "F" : "C",
            ["shape"] = new JsonArray(Shape.Select(s => (JsonNode)s).ToArray()),
            ["zarr_format"] = 2,
        };
        if (KeyEncoding.Separator != '.')
        {
            o["dimension_separator"] = KeyEncoding.Separator.ToString();
        }

        return o;
    }

    /// <summary>The v2 .zattrs document: attributes plus _ARRAY_DIMENSIONS.</summary>
    public JsonObject ToV2Attributes()
    {
        var a = (JsonObject)Attributes.DeepClone();
        if (DimensionNames is not null)
        {
            a[ArrayDimensionsAttribute] = new JsonArray(DimensionNames.Select(d => (JsonNode?)d).ToArray());
        }

        return a;
    }

    /// <summary>The v3 zarr.json document.</summary>
    public JsonObject ToV3Json()
    {
        if (ZarrFormat != 3)
        {
            throw new InvalidOperationException("not a v3 array");
        }

        var o = new JsonObject
        {
            ["zarr_format"] = 3,
            ["node_type"] = "array",
            ["shape"] = new JsonArray(Shape.Select(s => (JsonNode)s).ToArray()),
            ["data_type"] = DataType.Name,
            ["chunk_grid"] = new JsonObject
            {
                ["name"] = "regular",
                ["configuration"] = new JsonObject { ["chunk_shape"] = new JsonArray(ChunkShape.Select(c => (JsonNode)c).ToArray()) },
            },
            ["chunk_key_encoding"] = KeyEncoding.ToV3Json(),
            ["fill_value"] = FillValueJson.ToJson(FillValue, DataType, 3),
            ["codecs"] = Codecs.ToV3Json(),
            ["attributes"] = Attributes.DeepClone(),
        };
        if (DimensionNames is not null)
        {
            o["dimension_names"] = new JsonArray(DimensionNames.Select(d => (JsonNode?)d).ToArray());
        }

        return o;
    }

    private static JsonNode Required(JsonObject o, string field, string key) =>
        o[field] ?? throw new MetadataException(key, $"required field '{field}' is missing or null.");

    private static long[] LongArray(JsonNode node, string key, string field)
    {
        if (node is not JsonArray a)
        {
            throw new MetadataException(key, $"{field} must be a list of integers, found {node.ToJsonString()}.");
        }

        return a.Select(x => x?.GetValueKind() == JsonValueKind.Number && JsonSerializer.SerializeToElement(x).TryGetInt64(out long v)
            ? v
            : throw new MetadataException(key, $"{field} must be a list of integers, found {node.ToJsonString()}.")).ToArray();
    }
}
