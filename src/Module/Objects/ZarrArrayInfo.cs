namespace ZarrPartition.Module;

/// <summary>
/// One array of a store: its path, shape, chunk (and shard) shape, data type, codecs, fill value (JSON
/// text), dimension names, attributes (JSON text), and its chunks in all and present (-1 when not counted).
/// </summary>
public sealed record ZarrArrayInfo(
    string Store,
    string Name,
    long[] Shape,
    int[] Chunks,
    int[]? Shards,
    string DataType,
    string Codecs,
    string FillValue,
    string[] Dimensions,
    string Attributes,
    long ChunkCount,
    long ChunksPresent);
