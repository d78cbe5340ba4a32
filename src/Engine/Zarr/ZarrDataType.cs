using System.Buffers.Binary;
using System.Globalization;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Zarr;

/// <summary>
/// An element type. Values in memory are always little-endian (the machine order of every platform
/// we run on); <see cref="BigEndian"/> records only how a v2 store lays them out on disk.
/// </summary>
public sealed record ZarrDataType(DataTypeKind Kind, int Size, bool BigEndian = false)
{
    public static readonly ZarrDataType Bool = new(DataTypeKind.Bool, 1);
    public static readonly ZarrDataType Int8 = new(DataTypeKind.Int, 1);
    public static readonly ZarrDataType Int16 = new(DataTypeKind.Int, 2);
    public static readonly ZarrDataType Int32 = new(DataTypeKind.Int, 4);
    public static readonly ZarrDataType Int64 = new(DataTypeKind.Int, 8);
    public static readonly ZarrDataType UInt8 = new(DataTypeKind.UInt, 1);
    public static readonly ZarrDataType UInt16 = new(DataTypeKind.UInt, 2);
    public static readonly ZarrDataType UInt32 = new(DataTypeKind.UInt, 4);
    public static readonly ZarrDataType UInt64 = new(DataTypeKind.UInt, 8);
    public static readonly ZarrDataType Float32 = new(DataTypeKind.Float, 4);
    public static readonly ZarrDataType Float64 = new(DataTypeKind.Float, 8);

    /// <summary>The v3 data type name (also our neutral name): "float32", "int16", "bool".</summary>
    public string Name => Kind switch
    {
        DataTypeKind.Bool => "bool",
        DataTypeKind.Int => $"int{Size * 8}",
        DataTypeKind.UInt => $"uint{Size * 8}",
        DataTypeKind.Float => $"float{Size * 8}",
        _ => $"r{Size * 8}",
    };

    /// <summary>The numpy typestr for v2 metadata, e.g. "&lt;f4", "|u1", "|S12".</summary>
    public string V2TypeString
    {
        get
        {
            char order = Size == 1 ? '|' : BigEndian ? '>' : '<';
            return Kind switch
            {
                DataTypeKind.Bool => "|b1",
                DataTypeKind.Int => $"{order}i{Size}",
                DataTypeKind.UInt => $"{order}u{Size}",
                DataTypeKind.Float => $"{order}f{Size}",
                _ => $"|S{Size}",
            };
        }
    }

    public ZarrDataType WithByteOrder(bool bigEndian) => Size == 1 || Kind == DataTypeKind.FixedBytes ? this with { BigEndian = false } : this with { BigEndian = bigEndian };

    /// <summary>Little-endian form, the one v3 metadata describes (endianness lives in the bytes codec).</summary>
    public ZarrDataType Native => this with { BigEndian = false };

    /// <summary>Element type that needs byte swapping between memory and disk.</summary>
    public bool NeedsSwap => BigEndian && Size > 1 && Kind != DataTypeKind.FixedBytes;

    public override string ToString() => Name;

    public static ZarrDataType ParseV3(string name, string key) => name switch
    {
        "bool" => Bool,
        "int8" => Int8,
        "int16" => Int16,
        "int32" => Int32,
        "int64" => Int64,
        "uint8" => UInt8,
        "uint16" => UInt16,
        "uint32" => UInt32,
        "uint64" => UInt64,
        "float32" => Float32,
        "float64" => Float64,
        _ when name.Length > 1 && name[0] == 'r' && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int bits) && bits > 0 && bits % 8 == 0 => new(DataTypeKind.FixedBytes, bits / 8),
        _ => throw new MetadataException(key, $"data_type '{name}' is not supported; supported: bool, int8-int64, uint8-uint64, float32, float64.", "UnsupportedDataType", ErrorKind.NotSupported),
    };

    /// <summary>Parses our neutral/v3 names and numpy spellings ("f4", "&lt;i2", "float32").</summary>
    public static ZarrDataType Parse(string text)
    {
        if (text.Length >= 2 && (text[0] is '<' or '>' or '|' or '=') || text.Length is 2 or 3 && char.IsDigit(text[^1]) && text[0] is 'i' or 'u' or 'f' or 'b')
        {
            var t = text[0] is '<' or '>' or '|' or '=' ? text : "<" + text;
            return ParseV2(t, "dtype");
        }

        return ParseV3(text, "dtype");
    }

    public static ZarrDataType ParseV2(string typestr, string key)
    {
        if (typestr.Length < 3)
        {
            throw Unsupported();
        }

        bool big = typestr[0] switch
        {
            '<' or '|' or '=' => false,
            '>' => true,
            _ => throw Unsupported(),
        };
        char kind = typestr[1];
        if (!int.TryParse(typestr.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size <= 0)
        {
            throw Unsupported();
        }

        ZarrDataType t = (kind, size) switch
        {
            ('b', 1) => Bool,
            ('i', 1 or 2 or 4 or 8) => new(DataTypeKind.Int, size),
            ('u', 1 or 2 or 4 or 8) => new(DataTypeKind.UInt, size),
            ('f', 4 or 8) => new(DataTypeKind.Float, size),
            ('S', > 0) => new(DataTypeKind.FixedBytes, size),
            _ => throw Unsupported(),
        };
        return t.WithByteOrder(big);

        MetadataException Unsupported() => new(key, $"dtype '{typestr}' is not supported; supported: |b1, i1-i8, u1-u8, f4, f8 in either byte order, and |S<n>.", "UnsupportedDataType", ErrorKind.NotSupported);
    }

    /// <summary>Reads element <paramref name="index"/> of little-endian <paramref name="data"/> as a double (for statistics and display).</summary>
    public double ReadAsDouble(ReadOnlySpan<byte> data, int index)
    {
        var s = data.Slice(index * Size, Size);
        return (Kind, Size) switch
        {
            (DataTypeKind.Bool, _) => s[0] != 0 ? 1 : 0,
            (DataTypeKind.Int, 1) => (sbyte)s[0],
            (DataTypeKind.Int, 2) => BinaryPrimitives.ReadInt16LittleEndian(s),
            (DataTypeKind.Int, 4) => BinaryPrimitives.ReadInt32LittleEndian(s),
            (DataTypeKind.Int, 8) => BinaryPrimitives.ReadInt64LittleEndian(s),
            (DataTypeKind.UInt, 1) => s[0],
            (DataTypeKind.UInt, 2) => BinaryPrimitives.ReadUInt16LittleEndian(s),
            (DataTypeKind.UInt, 4) => BinaryPrimitives.ReadUInt32LittleEndian(s),
            (DataTypeKind.UInt, 8) => BinaryPrimitives.ReadUInt64LittleEndian(s),
            (DataTypeKind.Float, 4) => BinaryPrimitives.ReadSingleLittleEndian(s),
            (DataTypeKind.Float, 8) => BinaryPrimitives.ReadDoubleLittleEndian(s),
            _ => double.NaN,
        };
    }
}
