using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Datasets;

/// <summary>
/// A variable of a source: its element type, dimensions, on-disk chunking and filters (for advice and
/// display), attributes and fill value. Reading goes through the <see cref="IDataset"/> that owns it.
/// </summary>
public sealed record Variable(
    string Name,
    ZarrDataType DataType,
    string[] Dimensions,
    long[] Shape,
    int[]? ChunkShape,
    string[] Filters,
    IReadOnlyList<AttributeValue> Attributes,
    byte[]? FillValue,
    VariableKind Kind = VariableKind.Numeric)
{
    public int Rank => Shape.Length;

    public AttributeValue? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);
}
