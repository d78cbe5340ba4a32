using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Cf;

/// <summary>Time coordinates as stored: raw numbers in CF units, encoded from and decoded to dates.</summary>
public static class TimeValues
{
    /// <summary>The CF time units of a variable (units "… since …", calendar attribute), or null when it is not a time.</summary>
    public static CfTimeUnits? UnitsOf(Variable variable)
    {
        var units = variable.Attribute("units")?.Text;
        if (units is null || !units.Contains(" since ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return CfTimeUnits.Parse(units, variable.Attribute("calendar")?.Text);
    }

    /// <summary>
    /// Encodes dates in <paramref name="units"/> into little-endian elements of <paramref name="dtype"/>:
    /// integers when every date is a whole number of units (an error otherwise), floats as they are.
    /// </summary>
    public static byte[] Encode(IReadOnlyList<CfDateTime> dates, CfTimeUnits units, ZarrDataType dtype, string name)
    {
        var bytes = new byte[dates.Count * dtype.Size];
        var span = bytes.AsSpan();
        Span<byte> le = stackalloc byte[8];
        for (int i = 0; i < dates.Count; i++)
        {
            var e = units.Encode(dates[i]);
            var slot = span.Slice(i * dtype.Size, dtype.Size);
            if (dtype.Kind == DataTypeKind.Float)
            {
                if (dtype.Size == 4)
                {
                    BitConverter.TryWriteBytes(slot, (float)e.Value);
                }
                else
                {
                    BitConverter.TryWriteBytes(slot, e.Value);
                }

                continue;
            }

            if (e.Exact is not long exact)
            {
                throw new ZarrPartitionException("TimeNotWhole", ErrorKind.InvalidArgument, name,
                    $"'{name}': {dates[i]} is not a whole number of {CfTimeUnits.UnitName(units.Unit)} since {units.ReferenceDate}, and '{name}' is stored as {dtype.Name}. Choose a frequency on the units' grid, or finer units (e.g. 'minutes since …').");
            }

            bool fits = (dtype.Kind, dtype.Size) switch
            {
                (DataTypeKind.Int, 1) => exact is >= sbyte.MinValue and <= sbyte.MaxValue,
                (DataTypeKind.Int, 2) => exact is >= short.MinValue and <= short.MaxValue,
                (DataTypeKind.Int, 4) => exact is >= int.MinValue and <= int.MaxValue,
                (DataTypeKind.Int, 8) => true,
                (DataTypeKind.UInt, 1) => exact is >= 0 and <= byte.MaxValue,
                (DataTypeKind.UInt, 2) => exact is >= 0 and <= ushort.MaxValue,
                (DataTypeKind.UInt, 4) => exact is >= 0 and <= uint.MaxValue,
                (DataTypeKind.UInt, 8) => exact >= 0,
                _ => false,
            };
            if (!fits)
            {
                throw new ZarrPartitionException("TimeOutOfRange", ErrorKind.InvalidArgument, name,
                    $"'{name}': {dates[i]} is {exact} {CfTimeUnits.UnitName(units.Unit)} since {units.ReferenceDate}, which {dtype.Name} cannot hold. Use int64 or coarser units.");
            }

            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(le, exact);
            le[..dtype.Size].CopyTo(slot);
        }

        return bytes;
    }

    /// <summary>Decodes raw values to microseconds since the calendar's epoch (for exact comparisons across units).</summary>
    public static long[] ToMicroseconds(ReadOnlySpan<double> raw, CfTimeUnits units)
    {
        var result = new long[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            result[i] = units.Decode(raw[i]).ToMicroseconds();
        }

        return result;
    }
}
