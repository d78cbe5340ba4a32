using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Cf;

/// <summary>
/// Raw values to physical ones exactly as xarray 2023.01's <c>decode_cf_variable</c> does with
/// mask_and_scale: first <c>CFMaskCoder</c> (fill values to NaN, which promotes the type, see
/// <see cref="CfMask"/>), then <c>CFScaleOffsetCoder</c> (<c>x *= scale_factor; x += add_offset</c>, two
/// roundings, in the type <c>_choose_float_dtype</c> picks from the already-promoted type).
/// </summary>
/// <remarks>
/// <para>
/// The decoded type (<see cref="DecodedType"/>) therefore depends on the fill values, not on the
/// attributes' types: int8/int16 with a fill value decode to <b>float32</b> even when scale_factor and
/// add_offset are float64 (the mask promotes them to float32 first, and float32 stays float32); int8/int16
/// with no fill value decode to float32 without add_offset and float64 with it; int32 and wider to float64;
/// float32 stays float32, float64 stays float64. With neither fill values nor scale/offset the raw type is
/// kept.
/// </para>
/// <para>
/// In float32 the attributes are rounded to float32 first (numpy 1.x's value-based casting of a scalar
/// against a float32 array), unless numpy finds the scalar does not fit — a float beyond float32's range,
/// or an integer-typed attribute outside [−32768, 65535] (a JSON <c>100000</c> rather than <c>100000.0</c>) —
/// in which case numpy computes that step in float64 and rounds the result to float32.
/// </para>
/// </remarks>
public sealed class CfDecoder
{
    private readonly bool _scaleFits;
    private readonly bool _offsetFits;

    /// <param name="mask">The fill values, and through them the raw type.</param>
    /// <param name="scaleFactor">The scale_factor attribute, if any.</param>
    /// <param name="addOffset">The add_offset attribute, if any.</param>
    /// <param name="scaleFactorIsInteger">Whether scale_factor is integer-typed (NetCDF integer, JSON number without a decimal point): numpy then treats it differently in float32.</param>
    /// <param name="addOffsetIsInteger">The same for add_offset.</param>
    public CfDecoder(CfMask mask, double? scaleFactor, double? addOffset, bool scaleFactorIsInteger = false, bool addOffsetIsInteger = false)
    {
        ArgumentNullException.ThrowIfNull(mask);
        Mask = mask;
        ScaleFactor = scaleFactor;
        AddOffset = addOffset;
        _scaleFits = CfMask.ScalarFitsFloat32(scaleFactor ?? 1, scaleFactorIsInteger);
        _offsetFits = CfMask.ScalarFitsFloat32(addOffset ?? 0, addOffsetIsInteger);
        var t = mask.HasFillValues ? mask.ComparisonType : mask.RawType;
        if (scaleFactor.HasValue || addOffset.HasValue)
        {
            t = ChooseFloatType(t, addOffset.HasValue);
        }

        DecodedType = t;
    }

    public CfMask Mask { get; }

    public ZarrDataType RawType => Mask.RawType;

    public double? ScaleFactor { get; }

    public double? AddOffset { get; }

    /// <summary>The type xarray gives the decoded values (see the remarks).</summary>
    public ZarrDataType DecodedType { get; }

    /// <summary>The decoder for a variable with these attributes (<c>_FillValue</c>, <c>missing_value</c>, <c>scale_factor</c>, <c>add_offset</c>).</summary>
    /// <exception cref="ZarrPartitionException">InvalidFillValue or InvalidScaleOffset: an attribute is text or not a single number.</exception>
    public static CfDecoder FromAttributes(ZarrDataType rawType, IReadOnlyList<AttributeValue> attributes)
    {
        var mask = CfMask.FromAttributes(rawType, attributes);
        var (scale, scaleInteger) = Single("scale_factor");
        var (offset, offsetInteger) = Single("add_offset");
        return new CfDecoder(mask, scale, offset, scaleInteger, offsetInteger);

        (double? Value, bool IsInteger) Single(string name)
        {
            if (attributes.FirstOrDefault(a => a.Name == name) is not { } a)
            {
                return (null, false);
            }

            var v = CfAttributeNumbers.Of(a);
            return v.Length == 1 ? (v[0], CfAttributeNumbers.IsInteger(a)) : throw new ZarrPartitionException(
                "InvalidScaleOffset", ErrorKind.InvalidData, name, $"Attribute {a} is not a single number, so the variable cannot be unpacked. Fix or remove the attribute.");
        }
    }

    /// <summary>xarray's <c>_choose_float_dtype(dtype, has_offset)</c> (2023.01).</summary>
    public static ZarrDataType ChooseFloatType(ZarrDataType type, bool hasOffset) =>
        type.Kind == DataTypeKind.Float && type.Size <= 4 ? ZarrDataType.Float32
        : type.Kind is DataTypeKind.Int or DataTypeKind.UInt && type.Size <= 2 && !hasOffset ? ZarrDataType.Float32
        : ZarrDataType.Float64;

    /// <summary>Decodes into <paramref name="destination"/>, which needs <see cref="DecodedType"/> float32.</summary>
    public void Decode(ReadOnlySpan<byte> raw, Span<float> destination)
    {
        if (DecodedType != ZarrDataType.Float32)
        {
            throw new ArgumentException($"This variable decodes to {DecodedType.Name}, not float32; decode into a Span<double>.", nameof(destination));
        }

        int n = Check(raw, destination.Length);
        double s = ScaleFactor ?? 1, o = AddOffset ?? 0;
        bool hs = ScaleFactor.HasValue, ho = AddOffset.HasValue;
        float s32 = (float)s, o32 = (float)o;
        var fills = Mask.Fills32;
        if (!_scaleFits || !_offsetFits)
        {
            // Rare: numpy does a step whose scalar exceeds float32 in float64, then rounds back to float32.
            for (int i = 0; i < n; i++)
            {
                float v = (float)RawType.ReadAsDouble(raw, i);
                foreach (var f in fills)
                {
                    v = v == f ? float.NaN : v;
                }

                v = !hs ? v : _scaleFits ? v * s32 : (float)(v * s);
                v = !ho ? v : _offsetFits ? v + o32 : (float)(v + o);
                destination[i] = v;
            }

            return;
        }

        switch (RawType.Kind, RawType.Size)
        {
            case (DataTypeKind.Int, 1): Core(MemoryMarshal.Cast<byte, sbyte>(raw), destination, fills, hs, s32, ho, o32); break;
            case (DataTypeKind.UInt, 1): Core(raw, destination, fills, hs, s32, ho, o32); break;
            case (DataTypeKind.Int, 2): Core(MemoryMarshal.Cast<byte, short>(raw), destination, fills, hs, s32, ho, o32); break;
            case (DataTypeKind.UInt, 2): Core(MemoryMarshal.Cast<byte, ushort>(raw), destination, fills, hs, s32, ho, o32); break;
            case (DataTypeKind.Float, 4): Core(MemoryMarshal.Cast<byte, float>(raw), destination, fills, hs, s32, ho, o32); break;
            default: throw new InvalidOperationException($"No float32 decode loop for {RawType.Name}.");
        }
    }

    /// <summary>
    /// Decodes into <paramref name="destination"/>: computed in <see cref="DecodedType"/> as xarray does,
    /// then widened to float64 without change (an integer <see cref="DecodedType"/> is just converted).
    /// </summary>
    public void Decode(ReadOnlySpan<byte> raw, Span<double> destination)
    {
        int n = Check(raw, destination.Length);
        if (DecodedType == ZarrDataType.Float32)
        {
            // decode through a small float32 buffer, then widen (exact)
            Span<float> buffer = stackalloc float[Math.Min(n, 256)];
            for (int start = 0; start < n; start += buffer.Length)
            {
                int len = Math.Min(buffer.Length, n - start);
                var b = buffer[..len];
                Decode(raw.Slice(start * RawType.Size, len * RawType.Size), b);
                for (int i = 0; i < len; i++)
                {
                    destination[start + i] = b[i];
                }
            }

            return;
        }

        DecodeWide(raw, destination);
    }

    private void DecodeWide(ReadOnlySpan<byte> raw, Span<double> destination)
    {
        var fills = Mask.Fills64;
        double s = ScaleFactor ?? 1, o = AddOffset ?? 0;
        bool hs = ScaleFactor.HasValue, ho = AddOffset.HasValue;
        if (DecodedType.Kind != DataTypeKind.Float)
        {
            fills = []; // nothing masked (a masked variable is a float); just convert
        }

        switch (RawType.Kind, RawType.Size)
        {
            case (DataTypeKind.Int, 1): Core(MemoryMarshal.Cast<byte, sbyte>(raw), destination, fills, hs, s, ho, o); break;
            case (DataTypeKind.UInt, 1): Core(raw, destination, fills, hs, s, ho, o); break;
            case (DataTypeKind.Int, 2): Core(MemoryMarshal.Cast<byte, short>(raw), destination, fills, hs, s, ho, o); break;
            case (DataTypeKind.UInt, 2): Core(MemoryMarshal.Cast<byte, ushort>(raw), destination, fills, hs, s, ho, o); break;
            case (DataTypeKind.Int, 4): Core(MemoryMarshal.Cast<byte, int>(raw), destination, fills, hs, s, ho, o); break;
            case (DataTypeKind.UInt, 4): Core(MemoryMarshal.Cast<byte, uint>(raw), destination, fills, hs, s, ho, o); break;
            case (DataTypeKind.Int, 8): Core(MemoryMarshal.Cast<byte, long>(raw), destination, fills, hs, s, ho, o); break;
            case (DataTypeKind.UInt, 8): Core(MemoryMarshal.Cast<byte, ulong>(raw), destination, fills, hs, s, ho, o); break;
            case (DataTypeKind.Float, 4): Core(MemoryMarshal.Cast<byte, float>(raw), destination, fills, hs, s, ho, o); break;
            case (DataTypeKind.Float, 8): Core(MemoryMarshal.Cast<byte, double>(raw), destination, fills, hs, s, ho, o); break;
            default: throw new InvalidOperationException($"No decode loop for {RawType.Name}.");
        }
    }

    private int Check(ReadOnlySpan<byte> raw, int destinationLength)
    {
        int size = RawType.Size;
        if (raw.Length % size != 0 || raw.Length / size != destinationLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{raw.Length} bytes of {RawType.Name} do not fill a destination of {destinationLength} values."), nameof(raw));
        }

        return destinationLength;
    }

    private static void Core<T, TF>(ReadOnlySpan<T> raw, Span<TF> destination, ReadOnlySpan<TF> fills, bool hasScale, TF scale, bool hasOffset, TF offset)
        where T : unmanaged, INumberBase<T>
        where TF : unmanaged, IFloatingPointIeee754<TF>
    {
        destination = destination[..raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            TF v = TF.CreateTruncating(raw[i]);
            foreach (var f in fills)
            {
                if (v == f)
                {
                    v = TF.NaN;
                }
            }

            if (hasScale)
            {
                v *= scale;
            }

            if (hasOffset)
            {
                v += offset;
            }

            destination[i] = v;
        }
    }
}
