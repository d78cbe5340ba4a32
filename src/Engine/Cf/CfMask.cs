using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Cf;

/// <summary>
/// Which raw values of a variable are missing, decided as xarray's <c>CFMaskCoder.decode</c> (2023.01)
/// decides them: the fill values are every non-NaN number of <c>_FillValue</c> and <c>missing_value</c>
/// (scalars or lists); a raw value is missing when it equals one of them after both are converted to
/// the type xarray decodes into (<see cref="ComparisonType"/>: float32 for floats of 4 bytes and
/// integers of at most 2 bytes, float64 otherwise), exactly as numpy compares them. A NaN of a float
/// type is missing too (xarray reads it back as NaN whatever the fill values say).
/// </summary>
/// <remarks>
/// Only attributes count: xarray does not mask NetCDF's default fill values, so a NetCDF variable
/// without <c>_FillValue</c> has no fill values here. For a Zarr source xarray takes the array's
/// <c>fill_value</c> as <c>_FillValue</c>; give it as a fill value when that applies.
/// </remarks>
public sealed class CfMask
{
    private readonly float[] _fills32;
    private readonly double[] _fills64;

    /// <param name="rawType">The stored element type (integers or floats; little-endian in memory).</param>
    /// <param name="fillValues">
    /// Fill and missing values in any order; NaN and repeats are dropped, as xarray drops them. They are
    /// taken as float attributes (a NetCDF float or double, a JSON number with a decimal point); see
    /// <see cref="FromAttributes"/> for integer-typed ones.
    /// </param>
    public CfMask(ZarrDataType rawType, IEnumerable<double> fillValues)
        : this(rawType, (fillValues ?? throw new ArgumentNullException(nameof(fillValues))).Select(v => (v, false)))
    {
    }

    private CfMask(ZarrDataType rawType, IEnumerable<(double Value, bool IsInteger)> fills)
    {
        ArgumentNullException.ThrowIfNull(rawType);
        if (rawType.Kind is not (DataTypeKind.Int or DataTypeKind.UInt or DataTypeKind.Float))
        {
            throw new ZarrPartitionException("UnsupportedMaskType", ErrorKind.NotSupported, rawType.Name, $"Masking fill values needs a numeric type; '{rawType.Name}' is not one.");
        }

        var list = fills.Where(f => !double.IsNaN(f.Value)).ToList();
        RawType = rawType.Native;
        ComparisonType = PromotedType(RawType);
        FillValues = list.Select(f => f.Value).Distinct().ToArray();

        // numpy 1.x compares a float32 array with a scalar in float32 when the scalar "fits" (value-based
        // casting: a float within float32's range, an integer within int16/uint16), else in float64 —
        // where a float32 value equals the scalar only if the scalar is exactly a float32.
        _fills32 = list
            .Where(f => ScalarFitsFloat32(f.Value, f.IsInteger) || (double)(float)f.Value == f.Value)
            .Select(f => (float)f.Value)
            .Distinct()
            .ToArray();
        _fills64 = FillValues.ToArray();
    }

    public ZarrDataType RawType { get; }

    /// <summary>The type values are compared (and decoded) in: xarray's <c>dtypes.maybe_promote</c> of the raw type.</summary>
    public ZarrDataType ComparisonType { get; }

    /// <summary>The distinct non-NaN fill values from <c>_FillValue</c> and <c>missing_value</c>.</summary>
    public IReadOnlyList<double> FillValues { get; }

    public bool HasFillValues => FillValues.Count > 0;

    internal ReadOnlySpan<float> Fills32 => _fills32;

    internal ReadOnlySpan<double> Fills64 => _fills64;

    /// <summary>The mask of a variable with these attributes (<c>_FillValue</c>, <c>missing_value</c>; numbers of any type).</summary>
    /// <exception cref="ZarrPartitionException">InvalidFillValue: one of them is text.</exception>
    public static CfMask FromAttributes(ZarrDataType rawType, IReadOnlyList<AttributeValue> attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        var fills = new List<(double, bool)>();
        foreach (var a in attributes)
        {
            if (a.Name is "_FillValue" or "missing_value")
            {
                if (a.IsText || a.Value is string[])
                {
                    throw new ZarrPartitionException("InvalidFillValue", ErrorKind.InvalidData, a.Name, $"Attribute {a} is text; a fill value must be a number of the variable's type. Fix or remove the attribute.");
                }

                bool integer = CfAttributeNumbers.IsInteger(a);
                fills.AddRange(CfAttributeNumbers.Of(a).Select(v => (v, integer)));
            }
        }

        return new CfMask(rawType, fills);
    }

    /// <summary>
    /// Whether numpy 1.x (value-based casting) does an operation of a float32 array with this scalar in
    /// float32: a float scalar within float32's range (or not finite), an integer scalar within
    /// [−32768, 65535] (int16/uint16). Otherwise it computes in float64.
    /// </summary>
    internal static bool ScalarFitsFloat32(double value, bool isInteger) =>
        isInteger ? value is >= -32768 and <= 65535 : !double.IsFinite(value) || Math.Abs(value) <= float.MaxValue;

    /// <summary>xarray's <c>dtypes.maybe_promote</c>: floats keep their type, integers of at most 2 bytes become float32, wider ones float64.</summary>
    public static ZarrDataType PromotedType(ZarrDataType rawType) =>
        rawType.Kind == DataTypeKind.Float ? rawType.Native
        : rawType.Size <= 2 ? ZarrDataType.Float32
        : ZarrDataType.Float64;

    /// <summary>Whether element <paramref name="index"/> of <paramref name="raw"/> is missing.</summary>
    public bool IsMissing(ReadOnlySpan<byte> raw, int index)
    {
        Span<bool> one = stackalloc bool[1];
        Mark(raw.Slice(index * RawType.Size, RawType.Size), one);
        return one[0];
    }

    /// <summary>Flags every element of <paramref name="raw"/> (little-endian <see cref="RawType"/>) in <paramref name="missing"/>; returns how many are missing.</summary>
    public long Mark(ReadOnlySpan<byte> raw, Span<bool> missing)
    {
        int n = Count(raw);
        if (missing.Length != n)
        {
            throw new ArgumentException($"The mask has {missing.Length} elements for {n} values.", nameof(missing));
        }

        return Dispatch(raw, missing);
    }

    /// <summary>How many elements of <paramref name="raw"/> are missing.</summary>
    public long CountMissing(ReadOnlySpan<byte> raw)
    {
        Count(raw);
        return Dispatch(raw, default);
    }

    private int Count(ReadOnlySpan<byte> raw)
    {
        if (raw.Length % RawType.Size != 0)
        {
            throw new ArgumentException($"{raw.Length} bytes are not a whole number of {RawType.Name} values.", nameof(raw));
        }

        return raw.Length / RawType.Size;
    }

    private long Dispatch(ReadOnlySpan<byte> raw, Span<bool> missing)
    {
        bool f32 = ComparisonType.Size == 4;
        return (RawType.Kind, RawType.Size) switch
        {
            (DataTypeKind.Int, 1) => Core<sbyte, float>(MemoryMarshal.Cast<byte, sbyte>(raw), missing, _fills32),
            (DataTypeKind.UInt, 1) => Core<byte, float>(raw, missing, _fills32),
            (DataTypeKind.Int, 2) => Core<short, float>(MemoryMarshal.Cast<byte, short>(raw), missing, _fills32),
            (DataTypeKind.UInt, 2) => Core<ushort, float>(MemoryMarshal.Cast<byte, ushort>(raw), missing, _fills32),
            (DataTypeKind.Int, 4) => Core<int, double>(MemoryMarshal.Cast<byte, int>(raw), missing, _fills64),
            (DataTypeKind.UInt, 4) => Core<uint, double>(MemoryMarshal.Cast<byte, uint>(raw), missing, _fills64),
            (DataTypeKind.Int, 8) => Core<long, double>(MemoryMarshal.Cast<byte, long>(raw), missing, _fills64),
            (DataTypeKind.UInt, 8) => Core<ulong, double>(MemoryMarshal.Cast<byte, ulong>(raw), missing, _fills64),
            (DataTypeKind.Float, 4) when f32 => Core<float, float>(MemoryMarshal.Cast<byte, float>(raw), missing, _fills32),
            (DataTypeKind.Float, 8) => Core<double, double>(MemoryMarshal.Cast<byte, double>(raw), missing, _fills64),
            _ => throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"No mask loop for {RawType.Name}.")),
        };
    }

    private static long Core<T, TF>(ReadOnlySpan<T> raw, Span<bool> missing, ReadOnlySpan<TF> fills)
        where T : unmanaged, INumberBase<T>
        where TF : unmanaged, IFloatingPointIeee754<TF>
    {
        long count = 0;
        bool write = !missing.IsEmpty;
        for (int i = 0; i < raw.Length; i++)
        {
            TF v = TF.CreateTruncating(raw[i]);
            bool m = TF.IsNaN(v);
            foreach (var f in fills)
            {
                m |= v == f;
            }

            if (write)
            {
                missing[i] = m;
            }

            count += m ? 1 : 0;
        }

        return count;
    }
}
