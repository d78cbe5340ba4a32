using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// An HDF5 datatype: its class, size in bytes, byte order and signedness, and for the composite
/// classes their parts (string padding and character set, members of a compound, base type of a
/// variable-length sequence, array or enumeration, array dimensions).
/// </summary>
public sealed record Hdf5Type(Hdf5TypeClass Class, int Size, bool BigEndian, bool Signed)
{
    /// <summary>Padding of a fixed-length string, or of a variable-length string.</summary>
    public Hdf5StringPadding Padding { get; init; }

    /// <summary>The characters are UTF-8 (otherwise ASCII).</summary>
    public bool Utf8 { get; init; }

    /// <summary>A variable-length string (class <see cref="Hdf5TypeClass.VariableLength"/>), as netCDF's NC_STRING.</summary>
    public bool IsVariableLengthString { get; init; }

    /// <summary>Base type of a variable-length sequence, an array or an enumeration.</summary>
    public Hdf5Type? BaseType { get; init; }

    /// <summary>Members of a compound type, in their stored order.</summary>
    public IReadOnlyList<Hdf5CompoundMember> Members { get; init; } = [];

    /// <summary>Dimensions of an array type.</summary>
    public IReadOnlyList<int> ArrayDimensions { get; init; } = [];

    /// <summary>Names and raw values (in the base type's byte order) of an enumeration's members.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> EnumMembers { get; init; } = [];

    /// <summary>A dataset-region reference (class <see cref="Hdf5TypeClass.Reference"/>) rather than an object reference.</summary>
    public bool IsRegionReference { get; init; }

    /// <summary>Floating-point data is in VAX order (not supported for conversion).</summary>
    public bool IsVaxOrder { get; init; }

    /// <summary>h5py's boolean: a one-byte enumeration of FALSE = 0 and TRUE = 1.</summary>
    public bool IsBoolean => Class == Hdf5TypeClass.Enum && Size == 1 && EnumMembers.Count == 2
        && EnumMembers[0].Key == "FALSE" && EnumMembers[0].Value[0] == 0 && EnumMembers[1].Key == "TRUE" && EnumMembers[1].Value[0] == 1;

    /// <summary>A number type whose bytes need swapping to become little-endian.</summary>
    internal bool NeedsSwap => BigEndian && Size > 1 && Class is Hdf5TypeClass.FixedPoint or Hdf5TypeClass.FloatingPoint or Hdf5TypeClass.Bitfield or Hdf5TypeClass.Time or Hdf5TypeClass.Enum;

    /// <summary>Bytes per swapped unit (the element size of numbers, the base size of arrays of numbers); 0 when nothing is swapped.</summary>
    internal int SwapUnit => Class == Hdf5TypeClass.Array && BaseType is { } b ? b.SwapUnit : NeedsSwap ? Size : 0;

    /// <summary>
    /// The Zarr element type of the little-endian values <see cref="Hdf5Dataset.Read"/> returns:
    /// integers of 1, 2, 4, 8 bytes, IEEE floats of 4 and 8 bytes, fixed-length strings as
    /// <see cref="DataTypeKind.FixedBytes"/>. Null for everything else (compound, variable-length,
    /// references, enumerations, odd sizes).
    /// </summary>
    public ZarrDataType? ToZarrDataType() => Class switch
    {
        Hdf5TypeClass.FixedPoint when Size is 1 or 2 or 4 or 8 => new ZarrDataType(Signed ? DataTypeKind.Int : DataTypeKind.UInt, Size),
        Hdf5TypeClass.Enum when IsBoolean => ZarrDataType.Bool,
        Hdf5TypeClass.FloatingPoint when Size is 4 or 8 && !IsVaxOrder => new ZarrDataType(DataTypeKind.Float, Size),
        Hdf5TypeClass.String when Size > 0 => new ZarrDataType(DataTypeKind.FixedBytes, Size),
        _ => null,
    };

    /// <summary>Structural equality: two types read from different places (or files) are equal when they describe the same layout.</summary>
    public bool Equals(Hdf5Type? other) =>
        other is not null
        && Class == other.Class && Size == other.Size && BigEndian == other.BigEndian && Signed == other.Signed
        && Padding == other.Padding && Utf8 == other.Utf8 && IsVariableLengthString == other.IsVariableLengthString
        && IsRegionReference == other.IsRegionReference && IsVaxOrder == other.IsVaxOrder
        && Equals(BaseType, other.BaseType)
        && Members.SequenceEqual(other.Members)
        && ArrayDimensions.SequenceEqual(other.ArrayDimensions)
        && EnumMembers.Count == other.EnumMembers.Count
        && EnumMembers.Zip(other.EnumMembers).All(p => p.First.Key == p.Second.Key && p.First.Value.AsSpan().SequenceEqual(p.Second.Value));

    public override int GetHashCode() => HashCode.Combine(Class, Size, BigEndian, Signed, IsVariableLengthString, Members.Count, BaseType);

    public override string ToString() => Class switch
    {
        Hdf5TypeClass.FixedPoint => $"{(Signed ? "int" : "uint")}{Size * 8}{(BigEndian && Size > 1 ? " (big-endian)" : "")}",
        Hdf5TypeClass.FloatingPoint => $"float{Size * 8}{(BigEndian && Size > 1 ? " (big-endian)" : "")}",
        Hdf5TypeClass.String => $"string[{Size}]",
        Hdf5TypeClass.VariableLength when IsVariableLengthString => "vlen string",
        Hdf5TypeClass.VariableLength => $"vlen<{BaseType}>",
        Hdf5TypeClass.Array => $"{BaseType}[{string.Join(",", ArrayDimensions)}]",
        Hdf5TypeClass.Compound => $"compound{{{string.Join(", ", Members.Select(m => m.Name + ": " + m.Type))}}}",
        Hdf5TypeClass.Reference => IsRegionReference ? "region reference" : "object reference",
        _ => $"{Class}[{Size}]",
    };
}
