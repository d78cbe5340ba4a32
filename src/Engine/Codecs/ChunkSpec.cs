using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Codecs;

/// <summary>What a codec needs to know about the chunk it encodes: its shape, element type and fill value.</summary>
public sealed record ChunkSpec(int[] Shape, ZarrDataType DataType, byte[]? FillValue)
{
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (var s in Shape)
            {
                n *= s;
            }

            return n;
        }
    }

    public long ByteCount => ElementCount * DataType.Size;
}
