using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Cf;

/// <summary>
/// CF packing of one variable into int8, int16 or int32: <c>packed = round((x - add_offset) / scale_factor)</c>,
/// <c>x ≈ packed * scale_factor + add_offset</c>, NaN and missing values stored as <c>_FillValue</c>.
/// </summary>
/// <remarks>
/// <para>
/// The fill value is the type's minimum (−128, −32768, −2147483648) and is never a data code: the
/// usable codes are the symmetric [−M, M] with M = 2^(bits−1) − 1, so no real value reads back as NaN
/// (zarrio's <c>_FillValue = vmax</c> did exactly that).
/// </para>
/// <para>
/// For a range [vmin, vmax] (vmin &lt; vmax): <c>add_offset = vmin/2 + vmax/2</c> and
/// <c>scale_factor = (vmax − vmin) / (2^bits − 2)</c>, i.e. 2M steps across the range, so vmin maps to −M
/// = min+1 and vmax to M = max. The pair is then checked with the very encoder used for data:
/// <c>encode(vmin) == −M</c> and <c>encode(vmax) == M</c> hold exactly, or the range is refused as too
/// narrow for float64 to resolve 2^bits − 2 steps (vmax − vmin under about 2^bits ulps of the midpoint,
/// where float64 rounding of the midpoint alone shifts the ends by half a step). Encoding is monotonic,
/// so every value in [vmin, vmax] gets a code in [−M, M].
/// </para>
/// <para>
/// xarray unpacks int8 and int16 into float32 (see <see cref="CfDecoder"/>), so for those a range
/// float32 cannot hold — beyond ±3.4e38, or a scale_factor that underflows float32 — is refused.
/// </para>
/// <para>
/// A constant range (vmin == vmax == c) is widened to [c − w, c + w] with w = max(|c|, 1) and
/// <c>add_offset = c</c>: c itself encodes to 0 and decodes back to c exactly, and later data from 0 to 2c
/// (or −1 to 1 around 0) still fit. The widened ends are <see cref="Min"/> and <see cref="Max"/>.
/// </para>
/// <para>
/// Encoding matches xarray 2023.01's <c>encode_cf_variable</c> bit for bit. xarray computes in the
/// type its <c>_choose_float_dtype</c> picks from the data: float64 data in float64, <b>float32 data in
/// float32</b> (add_offset and scale_factor rounded to float32 first), then numpy's half-to-even
/// <c>np.around</c> and the cast. We do the same for float32 data whenever float32 arithmetic maps the
/// range's float32 ends to the same codes as float64 arithmetic (<see cref="EncodesFloat32InFloat32"/>).
/// It cannot for int32 (float32 cannot hold codes near 2^31: xarray's own encoding of float32 data
/// near vmax overflows into the fill value) nor for ranges far narrower than their magnitude; then
/// float32 data are widened and encoded in float64, deliberately unlike xarray.
/// </para>
/// </remarks>
public sealed class Packing
{
    private readonly double _minCode;
    private readonly double _maxCode;

    private Packing(string variable, int bits, PackingRange range, double min, double max, double scale, double offset, bool float32)
    {
        Variable = variable;
        Bits = bits;
        Range = range;
        Min = min;
        Max = max;
        ScaleFactor = scale;
        AddOffset = offset;
        EncodesFloat32InFloat32 = float32;
        MaxCode = (int)((1L << (bits - 1)) - 1);
        MinCode = -MaxCode;
        FillValue = MinCode - 1;
        _minCode = MinCode;
        _maxCode = MaxCode;
        DataType = bits switch { 8 => ZarrDataType.Int8, 16 => ZarrDataType.Int16, _ => ZarrDataType.Int32 };
        Decoder = new CfDecoder(new CfMask(DataType, [FillValue]), ScaleFactor, AddOffset);
    }

    public string Variable { get; }

    /// <summary>8, 16 or 32.</summary>
    public int Bits { get; }

    /// <summary>The packed type: int8, int16 or int32.</summary>
    public ZarrDataType DataType { get; }

    /// <summary>The range asked for, and where it came from.</summary>
    public PackingRange Range { get; }

    /// <summary>The value that encodes to exactly <see cref="MinCode"/> (the range's minimum, or the widened one of a constant range).</summary>
    public double Min { get; }

    /// <summary>The value that encodes to exactly <see cref="MaxCode"/>.</summary>
    public double Max { get; }

    public double ScaleFactor { get; }

    public double AddOffset { get; }

    /// <summary>The type's minimum, reserved for NaN and missing values.</summary>
    public int FillValue { get; }

    /// <summary>The smallest data code, <see cref="FillValue"/> + 1.</summary>
    public int MinCode { get; }

    /// <summary>The largest data code, the type's maximum.</summary>
    public int MaxCode { get; }

    /// <summary>Whether float32 data are encoded in float32 as xarray does (see the remarks), else widened to float64.</summary>
    public bool EncodesFloat32InFloat32 { get; }

    /// <summary>How xarray reads the packed data back (its <see cref="CfDecoder.DecodedType"/> is float32 for int8/int16, float64 for int32).</summary>
    public CfDecoder Decoder { get; }

    /// <summary>The attributes to store with the packed array: scale_factor and add_offset (float64), _FillValue (the packed type).</summary>
    public IReadOnlyList<AttributeValue> Attributes() =>
    [
        new AttributeValue("scale_factor", new[] { ScaleFactor }),
        new AttributeValue("add_offset", new[] { AddOffset }),
        new AttributeValue("_FillValue", Bits switch
        {
            8 => new[] { (sbyte)FillValue },
            16 => new[] { (short)FillValue },
            _ => (object)new[] { FillValue },
        }),
    ];

    /// <summary>Resolves the range (see <see cref="PackingRange"/>) and builds the packing for <paramref name="spec"/>.</summary>
    public static Packing Create(PackSpec spec, IReadOnlyList<AttributeValue> attributes, DataExtent? data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Create(spec.Variable, spec.Bits, PackingRange.Resolve(spec, attributes, data));
    }

    /// <summary>Builds the packing of <paramref name="variable"/> into <paramref name="bits"/> bits over <paramref name="range"/>.</summary>
    /// <exception cref="ZarrPartitionException">InvalidPackSpec (bits) or InvalidPackingRange (a range that is not finite or too narrow to pack).</exception>
    public static Packing Create(string variable, int bits, PackingRange range)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(range);
        if (bits is not (8 or 16 or 32))
        {
            throw new ZarrPartitionException("InvalidPackSpec", ErrorKind.InvalidArgument, variable, $"Variable '{variable}': cannot pack into {bits} bits; use 8, 16 or 32.");
        }

        double lo = range.Min, hi = range.Max;
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || lo > hi)
        {
            throw new ZarrPartitionException("InvalidPackingRange", ErrorKind.InvalidArgument, variable, $"Variable '{variable}': the packing range [{F(lo)}, {F(hi)}] is not two finite numbers with min <= max; give the range with --pack {variable}={bits}:MIN:MAX.");
        }

        double m = (1L << (bits - 1)) - 1;
        double a;
        if (lo == hi)
        {
            double c = lo, w = Math.Max(Math.Abs(c), 1);
            if (!double.IsFinite(c - w) || !double.IsFinite(c + w))
            {
                w = Math.Abs(c) / 2;
            }

            (lo, hi, a) = (c - w, c + w, c);
        }
        else
        {
            a = lo * 0.5 + hi * 0.5;
        }

        double s = (hi - lo) / (2 * m);
        if (!double.IsFinite(s))
        {
            s = (hi * 0.5 - lo * 0.5) / m;
        }

        // xarray unpacks int8/int16 in float32: the scale must be a normal float32 and the end codes must unpack to finite values
        if (bits <= 16 && !(Math.Abs(lo) <= float.MaxValue && Math.Abs(hi) <= float.MaxValue && float.IsNormal((float)s)
            && float.IsFinite((float)m * (float)s + (float)a) && float.IsFinite(-(float)m * (float)s + (float)a)))
        {
            throw new ZarrPartitionException(
                "InvalidPackingRange",
                ErrorKind.InvalidArgument,
                variable,
                $"Variable '{variable}': xarray unpacks int{bits} into float32, which cannot hold the range [{F(range.Min)}, {F(range.Max)}] "
                + $"(its scale_factor {F(s)} or its ends are outside float32's range). Pack into 32 bits (--pack {variable}=32), or do not pack it.");
        }

        // Exactly when vmin and vmax can have codes −M and M at this offset, this scale gives them (it lies
        // inside the feasible interval; nudging offset or scale by ulps rescued none of 600k random ranges).
        if (!(s > 0) || !double.IsFinite(m * s + Math.Abs(a)) || Encode64(lo, a, s) != -m || Encode64(hi, a, s) != m)
        {
            throw new ZarrPartitionException(
                "InvalidPackingRange",
                ErrorKind.InvalidArgument,
                variable,
                $"Variable '{variable}': the range [{F(range.Min)}, {F(range.Max)}] is too narrow for its magnitude to pack into {bits} bits: "
                + $"{2 * m} steps of {F(s)} are finer than float64 resolves near {F(a)}. Pack into fewer bits, widen the range (--pack {variable}={bits}:MIN:MAX), or do not pack it.");
        }

        return new Packing(variable, bits, range, lo, hi, s, a, float32: bits <= 16 && Float32Agrees(lo, hi, a, s));
    }

    /// <summary>
    /// The packing a store already records (its integer type, scale_factor and add_offset), for writers
    /// that fill a template: codes [−M, M] around add_offset, the fill the type's minimum.
    /// </summary>
    public static Packing FromStored(string variable, int bits, double scaleFactor, double addOffset)
    {
        if (bits is not (8 or 16 or 32) || !(scaleFactor > 0) || !double.IsFinite(scaleFactor) || !double.IsFinite(addOffset))
        {
            throw new ZarrPartitionException("InvalidScaleOffset", ErrorKind.InvalidData, variable,
                $"Variable '{variable}': the store's packing (int{bits}, scale_factor {F(scaleFactor)}, add_offset {F(addOffset)}) is not one this writer can apply: it needs 8, 16 or 32 bits and a positive finite scale_factor.");
        }

        double m = (1L << (bits - 1)) - 1;
        double lo = addOffset - m * scaleFactor, hi = addOffset + m * scaleFactor;
        return new Packing(variable, bits, new PackingRange(lo, hi, PackingRangeSource.User), lo, hi, scaleFactor, addOffset, float32: bits <= 16 && Float32Agrees(lo, hi, addOffset, scaleFactor));
    }

    /// <summary>Encodes float64 values; see <see cref="Encode(ReadOnlySpan{double}, ReadOnlySpan{bool}, Span{byte}, OutOfRangeAction)"/>.</summary>
    public long Encode(ReadOnlySpan<double> values, Span<byte> destination, OutOfRangeAction action) =>
        Encode(values, default, destination, action);

    /// <summary>
    /// Encodes <paramref name="values"/> into <paramref name="destination"/> (little-endian <see cref="DataType"/>,
    /// exactly <c>values.Length * Bits / 8</c> bytes). NaN and values flagged in <paramref name="missing"/>
    /// (empty: none) become <see cref="FillValue"/>. Allocation-free.
    /// </summary>
    /// <returns>How many values were clipped (always 0 with <see cref="OutOfRangeAction.Error"/>).</returns>
    /// <exception cref="ZarrPartitionException">PackingValueOutOfRange, with <see cref="OutOfRangeAction.Error"/>, at the first value whose code is outside [<see cref="MinCode"/>, <see cref="MaxCode"/>].</exception>
    public long Encode(ReadOnlySpan<double> values, ReadOnlySpan<bool> missing, Span<byte> destination, OutOfRangeAction action)
    {
        Check(values.Length, missing, destination);
        return Bits switch
        {
            8 => EncodeCore<double, double, sbyte>(values, missing, MemoryMarshal.Cast<byte, sbyte>(destination), action),
            16 => EncodeCore<double, double, short>(values, missing, MemoryMarshal.Cast<byte, short>(destination), action),
            _ => EncodeCore<double, double, int>(values, missing, MemoryMarshal.Cast<byte, int>(destination), action),
        };
    }

    /// <summary>Encodes float32 values; see <see cref="Encode(ReadOnlySpan{float}, ReadOnlySpan{bool}, Span{byte}, OutOfRangeAction)"/>.</summary>
    public long Encode(ReadOnlySpan<float> values, Span<byte> destination, OutOfRangeAction action) =>
        Encode(values, default, destination, action);

    /// <summary>
    /// Encodes float32 values, in float32 arithmetic as xarray does when <see cref="EncodesFloat32InFloat32"/>,
    /// else widened to float64; otherwise as <see cref="Encode(ReadOnlySpan{double}, ReadOnlySpan{bool}, Span{byte}, OutOfRangeAction)"/>.
    /// </summary>
    public long Encode(ReadOnlySpan<float> values, ReadOnlySpan<bool> missing, Span<byte> destination, OutOfRangeAction action)
    {
        Check(values.Length, missing, destination);
        if (EncodesFloat32InFloat32)
        {
            return Bits switch
            {
                8 => EncodeCore<float, float, sbyte>(values, missing, MemoryMarshal.Cast<byte, sbyte>(destination), action),
                _ => EncodeCore<float, float, short>(values, missing, MemoryMarshal.Cast<byte, short>(destination), action),
            };
        }

        return Bits switch
        {
            8 => EncodeCore<float, double, sbyte>(values, missing, MemoryMarshal.Cast<byte, sbyte>(destination), action),
            16 => EncodeCore<float, double, short>(values, missing, MemoryMarshal.Cast<byte, short>(destination), action),
            _ => EncodeCore<float, double, int>(values, missing, MemoryMarshal.Cast<byte, int>(destination), action),
        };
    }

    /// <summary>Decodes packed values as xarray does (float32 for int8/int16, which is what xarray yields; see <see cref="Decoder"/>).</summary>
    public void Decode(ReadOnlySpan<byte> packed, Span<float> destination) => Decoder.Decode(packed, destination);

    /// <summary>Decodes packed values as xarray does, widened to float64 (exact).</summary>
    public void Decode(ReadOnlySpan<byte> packed, Span<double> destination) => Decoder.Decode(packed, destination);

    public override string ToString() =>
        $"{Variable}: {DataType.Name} scale_factor={F(ScaleFactor)} add_offset={F(AddOffset)} _FillValue={FillValue} range=[{F(Min)}, {F(Max)}] ({Range.Source})";

    /// <summary>Whether float32 arithmetic gives the float32 ends of [lo, hi] the same codes as float64 arithmetic.</summary>
    private static bool Float32Agrees(double lo, double hi, double a, double s)
    {
        float lo32 = (float)lo, hi32 = (float)hi;
        lo32 = lo32 < lo ? MathF.BitIncrement(lo32) : lo32;
        hi32 = hi32 > hi ? MathF.BitDecrement(hi32) : hi32;
        return float.IsFinite(lo32) && float.IsFinite(hi32) && lo32 <= hi32
            && Encode32(lo32, (float)a, (float)s) == Encode64(lo32, a, s)
            && Encode32(hi32, (float)a, (float)s) == Encode64(hi32, a, s);
    }

    private static double Encode64(double x, double a, double s) => Math.Round((x - a) / s);

    private static double Encode32(float x, float a, float s) => MathF.Round((x - a) / s);

    private void Check(int count, ReadOnlySpan<bool> missing, Span<byte> destination)
    {
        DataExtent.CheckMask(count, missing);
        if (destination.Length != (long)count * (Bits / 8))
        {
            throw new ArgumentException($"The destination has {destination.Length} bytes; {count} {DataType.Name} values need {(long)count * (Bits / 8)}.", nameof(destination));
        }
    }

    /// <summary>
    /// The per-element loop of every <c>Encode</c>: <typeparamref name="TValue"/> values widened to <typeparamref name="TMath"/>
    /// and encoded in it (float64, or float32 as xarray does for float32 data), stored as <typeparamref name="TCode"/>.
    /// All three are primitive value types, so each combination is compiled on its own and the conversions fold away.
    /// </summary>
    private long EncodeCore<TValue, TMath, TCode>(ReadOnlySpan<TValue> values, ReadOnlySpan<bool> missing, Span<TCode> destination, OutOfRangeAction action)
        where TValue : unmanaged, IFloatingPointIeee754<TValue>
        where TMath : unmanaged, IFloatingPointIeee754<TMath>
        where TCode : unmanaged, IBinaryInteger<TCode>
    {
        TMath a = TMath.CreateTruncating(AddOffset), s = TMath.CreateTruncating(ScaleFactor), lo = TMath.CreateTruncating(MinCode), hi = TMath.CreateTruncating(MaxCode);
        TCode fill = TCode.CreateTruncating(FillValue);
        bool masked = !missing.IsEmpty;
        long clipped = 0;
        destination = destination[..values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            TMath x = TMath.CreateTruncating(values[i]);
            if (TMath.IsNaN(x) || (masked && missing[i]))
            {
                destination[i] = fill;
                continue;
            }

            TMath c = TMath.Round((x - a) / s);
            if (!(c >= lo && c <= hi))
            {
                c = TMath.CreateTruncating(OutOfRange(double.CreateTruncating(x), i, double.CreateTruncating(c), action));
                clipped++;
            }

            destination[i] = TCode.CreateTruncating(int.CreateTruncating(c));
        }

        return clipped;
    }

    /// <summary>The clamped code for <see cref="OutOfRangeAction.Clip"/>; throws for <see cref="OutOfRangeAction.Error"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private double OutOfRange(double x, int index, double code, OutOfRangeAction action)
    {
        if (action == OutOfRangeAction.Clip)
        {
            return code < _minCode ? _minCode : _maxCode;
        }

        throw new ZarrPartitionException(
            "PackingValueOutOfRange",
            ErrorKind.InvalidData,
            Variable,
            string.Create(CultureInfo.InvariantCulture, $"Variable '{Variable}': value {F(x)} at index {index} is outside the packing range [{F(Min)}, {F(Max)}] ({Range.Source}; {DataType.Name} codes {MinCode}..{MaxCode}). ")
            + $"Widen the range (--pack {Variable}={Bits}:MIN:MAX) or clip out-of-range values to the range's ends.");
    }

    private static string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
