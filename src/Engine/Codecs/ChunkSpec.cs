using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Codecs;

/// <summary>What a codec needs to know about the chunk it encodes: its shape, element type and fill value.</summary>
public sealed record ChunkSpec(int[] Shape, ZarrDataType DataType, byte[]? FillValue)
{
    public long ElementCount => Shape.Aggregate(1L, (n, s) => n * s);

    public long ByteCount => ElementCount * DataType.Size;
}
