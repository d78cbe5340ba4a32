namespace ZarrPartition.Engine.Operations;

/// <summary>One array of a described store. Primitive-typed so it survives any serialisation.</summary>
public sealed record ArrayInfo(
    string Path,
    long[] Shape,
    int[] Chunks,
    int[]? Shards,
    string DataType,
    string Codecs,
    string FillValue,
    string?[] DimensionNames,
    string AttributesJson,
    long ChunkCount,
    long ChunksPresent);
