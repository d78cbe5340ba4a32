namespace ZarrPartition.Engine.Zarr;

public enum DataTypeKind
{
    Bool,
    Int,
    UInt,
    Float,
    FixedBytes,
}
