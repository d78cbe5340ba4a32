using System.Buffers.Binary;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.NetCdf;

/// <summary>NetCDF's default fill values (netcdf.h NC_FILL_*), as one little-endian element.</summary>
public static class NetCdfDefaults
{
    public static byte[]? FillValue(ZarrDataType type)
    {
        var b = new byte[type.Size];
        switch (type.Kind, type.Size)
        {
            case (DataTypeKind.Int, 1): b[0] = unchecked((byte)(sbyte)-127); break;
            case (DataTypeKind.UInt, 1): b[0] = 255; break;
            case (DataTypeKind.Int, 2): BinaryPrimitives.WriteInt16LittleEndian(b, -32767); break;
            case (DataTypeKind.UInt, 2): BinaryPrimitives.WriteUInt16LittleEndian(b, 65535); break;
            case (DataTypeKind.Int, 4): BinaryPrimitives.WriteInt32LittleEndian(b, -2147483647); break;
            case (DataTypeKind.UInt, 4): BinaryPrimitives.WriteUInt32LittleEndian(b, 4294967295u); break;
            case (DataTypeKind.Int, 8): BinaryPrimitives.WriteInt64LittleEndian(b, -9223372036854775806L); break;
            case (DataTypeKind.UInt, 8): BinaryPrimitives.WriteUInt64LittleEndian(b, 18446744073709551614ul); break;
            case (DataTypeKind.Float, 4): BinaryPrimitives.WriteSingleLittleEndian(b, 9.96921E+36f); break;
            case (DataTypeKind.Float, 8): BinaryPrimitives.WriteDoubleLittleEndian(b, 9.969209968386869E+36); break;
            case (DataTypeKind.FixedBytes, _): break; // NC_FILL_CHAR is 0
            default: return null;
        }

        return b;
    }
}
