using System.Buffers.Binary;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.NetCdf;

/// <summary>Sizes, neutral data types, default fill values and attribute decoding for <see cref="NetCdf3Type"/>.</summary>
internal static class NetCdf3TypeInfo
{
    /// <summary>Whether the tag names a type the given format version may hold (CDF-5 adds the unsigned and 64-bit integers).</summary>
    public static bool IsValid(int tag, int version) => tag >= 1 && tag <= (version == 5 ? 11 : 6);

    public static int Size(NetCdf3Type type) => type switch
    {
        NetCdf3Type.Byte or NetCdf3Type.Char or NetCdf3Type.UByte => 1,
        NetCdf3Type.Short or NetCdf3Type.UShort => 2,
        NetCdf3Type.Int or NetCdf3Type.UInt or NetCdf3Type.Float => 4,
        _ => 8,
    };

    public static string Name(NetCdf3Type type) => type switch
    {
        NetCdf3Type.Byte => "byte",
        NetCdf3Type.Char => "char",
        NetCdf3Type.Short => "short",
        NetCdf3Type.Int => "int",
        NetCdf3Type.Float => "float",
        NetCdf3Type.Double => "double",
        NetCdf3Type.UByte => "ubyte",
        NetCdf3Type.UShort => "ushort",
        NetCdf3Type.UInt => "uint",
        NetCdf3Type.Int64 => "int64",
        _ => "uint64",
    };

    public static ZarrDataType DataType(NetCdf3Type type) => type switch
    {
        NetCdf3Type.Byte => ZarrDataType.Int8,
        NetCdf3Type.Char => new ZarrDataType(DataTypeKind.FixedBytes, 1),
        NetCdf3Type.Short => ZarrDataType.Int16,
        NetCdf3Type.Int => ZarrDataType.Int32,
        NetCdf3Type.Float => ZarrDataType.Float32,
        NetCdf3Type.Double => ZarrDataType.Float64,
        NetCdf3Type.UByte => ZarrDataType.UInt8,
        NetCdf3Type.UShort => ZarrDataType.UInt16,
        NetCdf3Type.UInt => ZarrDataType.UInt32,
        NetCdf3Type.Int64 => ZarrDataType.Int64,
        _ => ZarrDataType.UInt64,
    };

    /// <summary>NetCDF's default fill value of the type, as little-endian bytes.</summary>
    public static byte[] DefaultFill(NetCdf3Type type) => NetCdfDefaults.FillValue(DataType(type))!;

    /// <summary>
    /// Turns an attribute's big-endian values into the neutral form: text for NC_CHAR (decoded as UTF-8,
    /// trailing NULs dropped), otherwise a typed array of the values.
    /// </summary>
    public static object DecodeAttribute(NetCdf3Type type, ReadOnlySpan<byte> raw)
    {
        int n = raw.Length / Size(type);
        switch (type)
        {
            case NetCdf3Type.Char:
                return System.Text.Encoding.UTF8.GetString(raw.TrimEnd((byte)0));
            case NetCdf3Type.Byte:
                {
                    var a = new sbyte[n];
                    for (int i = 0; i < n; i++)
                    {
                        a[i] = unchecked((sbyte)raw[i]);
                    }

                    return a;
                }

            case NetCdf3Type.UByte:
                return raw.ToArray();
            case NetCdf3Type.Short:
                {
                    var a = new short[n];
                    for (int i = 0; i < n; i++)
                    {
                        a[i] = BinaryPrimitives.ReadInt16BigEndian(raw[(2 * i)..]);
                    }

                    return a;
                }

            case NetCdf3Type.UShort:
                {
                    var a = new ushort[n];
                    for (int i = 0; i < n; i++)
                    {
                        a[i] = BinaryPrimitives.ReadUInt16BigEndian(raw[(2 * i)..]);
                    }

                    return a;
                }

            case NetCdf3Type.Int:
                {
                    var a = new int[n];
                    for (int i = 0; i < n; i++)
                    {
                        a[i] = BinaryPrimitives.ReadInt32BigEndian(raw[(4 * i)..]);
                    }

                    return a;
                }

            case NetCdf3Type.UInt:
                {
                    var a = new uint[n];
                    for (int i = 0; i < n; i++)
                    {
                        a[i] = BinaryPrimitives.ReadUInt32BigEndian(raw[(4 * i)..]);
                    }

                    return a;
                }

            case NetCdf3Type.Float:
                {
                    var a = new float[n];
                    for (int i = 0; i < n; i++)
                    {
                        a[i] = BinaryPrimitives.ReadSingleBigEndian(raw[(4 * i)..]);
                    }

                    return a;
                }

            case NetCdf3Type.Int64:
                {
                    var a = new long[n];
                    for (int i = 0; i < n; i++)
                    {
                        a[i] = BinaryPrimitives.ReadInt64BigEndian(raw[(8 * i)..]);
                    }

                    return a;
                }

            case NetCdf3Type.UInt64:
                {
                    var a = new ulong[n];
                    for (int i = 0; i < n; i++)
                    {
                        a[i] = BinaryPrimitives.ReadUInt64BigEndian(raw[(8 * i)..]);
                    }

                    return a;
                }

            default:
                {
                    var a = new double[n];
                    for (int i = 0; i < n; i++)
                    {
                        a[i] = BinaryPrimitives.ReadDoubleBigEndian(raw[(8 * i)..]);
                    }

                    return a;
                }
        }
    }
}
