namespace ZarrPartition.Engine.NetCdf;

/// <summary>The external type tags of the classic formats (1–6) and of CDF-5 (7–11).</summary>
internal enum NetCdf3Type
{
    Byte = 1,
    Char = 2,
    Short = 3,
    Int = 4,
    Float = 5,
    Double = 6,
    UByte = 7,
    UShort = 8,
    UInt = 9,
    Int64 = 10,
    UInt64 = 11,
}
