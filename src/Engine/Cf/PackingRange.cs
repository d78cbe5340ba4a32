using System.Globalization;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Cf;

/// <summary>
/// The range of values a packing must hold, in the variable's physical (unpacked) units, and where it
/// came from. <see cref="Resolve(string, double?, double?, IReadOnlyList{AttributeValue}, DataExtent?)"/>
/// takes, in priority: the user's range; the <c>valid_range</c> attribute; the <c>valid_min</c> and
/// <c>valid_max</c> attributes (both needed); the data's extent. The range is used as it is: unlike
/// zarrio there is no hidden widening, and a template with no data never invents one.
/// </summary>
public sealed record PackingRange(double Min, double Max, PackingRangeSource Source)
{
    /// <summary>Resolves the range for <paramref name="spec"/>'s variable; see the type's summary.</summary>
    public static PackingRange Resolve(PackSpec spec, IReadOnlyList<AttributeValue> attributes, DataExtent? data)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Resolve(spec.Variable, spec.Min, spec.Max, attributes, data, spec.Bits);
    }

    /// <summary>
    /// Resolves the range of <paramref name="variable"/> from, in priority, the user's range
    /// (<paramref name="userMin"/>, <paramref name="userMax"/>, both or neither), its attributes, and
    /// <paramref name="data"/> (null or empty when there are no data, e.g. for a template).
    /// </summary>
    /// <remarks>
    /// The attributes are the source variable's. Numbers of any type are accepted. When the source is
    /// itself packed (it has <c>scale_factor</c> or <c>add_offset</c>), valid_* of a different type from
    /// scale_factor (add_offset when there is no scale_factor) are in packed units, as the NetCDF users'
    /// guide says, and are unpacked here; valid_* of the same type are already in physical units.
    /// </remarks>
    /// <exception cref="ZarrPartitionException">
    /// InvalidPackingRange (the user's range or an attribute is unusable) or PackingRangeMissing (no
    /// source gives a range); the message says how to give one.
    /// </exception>
    public static PackingRange Resolve(string variable, double? userMin, double? userMax, IReadOnlyList<AttributeValue> attributes, DataExtent? data) =>
        Resolve(variable, userMin, userMax, attributes, data, bits: null);

    private static PackingRange Resolve(string variable, double? userMin, double? userMax, IReadOnlyList<AttributeValue> attributes, DataExtent? data, int? bits)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(attributes);
        var hint = $"give the range with --pack {variable}={bits?.ToString(CultureInfo.InvariantCulture) ?? "BITS"}:MIN:MAX";
        if (userMin.HasValue != userMax.HasValue)
        {
            throw Invalid(variable, $"the user range has only a {(userMin.HasValue ? "minimum" : "maximum")}; {hint} (both ends)");
        }

        if (userMin is double umin && userMax is double umax)
        {
            if (!double.IsFinite(umin) || !double.IsFinite(umax) || !(umin < umax))
            {
                throw Invalid(variable, $"the user range [{F(umin)}, {F(umax)}] is not two finite numbers with MIN < MAX; {hint}");
            }

            return new PackingRange(umin, umax, PackingRangeSource.User);
        }

        if (Find(attributes, "valid_range") is { } vr)
        {
            var unpack = Unpacking(variable, attributes, hint);
            var v = Numbers(variable, vr, 2, hint);
            return Checked(variable, unpack(vr, v[0]), unpack(vr, v[1]), PackingRangeSource.ValidRange, "valid_range", hint);
        }

        if (Find(attributes, "valid_min") is { } vmin && Find(attributes, "valid_max") is { } vmax)
        {
            var unpack = Unpacking(variable, attributes, hint);
            double lo = unpack(vmin, Numbers(variable, vmin, 1, hint)[0]);
            double hi = unpack(vmax, Numbers(variable, vmax, 1, hint)[0]);
            return Checked(variable, lo, hi, PackingRangeSource.ValidMinMax, "valid_min/valid_max", hint);
        }

        if (data is { Count: > 0 } d)
        {
            return Checked(variable, d.Min, d.Max, PackingRangeSource.Data, "the data", hint);
        }

        throw new ZarrPartitionException(
            "PackingRangeMissing",
            ErrorKind.InvalidArgument,
            variable,
            $"Variable '{variable}': no range to pack it into: no user range, no valid_range or valid_min/valid_max attribute, and "
            + (data is null ? "no data to measure (e.g. a template made from a spec)" : "no data values (all NaN or missing)")
            + $"; {hint}.");
    }

    private static AttributeValue? Find(IReadOnlyList<AttributeValue> attributes, string name) =>
        attributes.FirstOrDefault(a => a.Name == name);

    private static double[] Numbers(string variable, AttributeValue a, int count, string hint)
    {
        var v = CfAttributeNumbers.Of(a);
        if (v.Length != count)
        {
            throw Invalid(variable, $"attribute {a} is not {(count == 1 ? "one number" : $"{count} numbers")}; {hint}");
        }

        return v;
    }

    /// <summary>How to bring a valid_* attribute to physical units (identity unless the source is packed and the attribute is in packed units).</summary>
    private static Func<AttributeValue, double, double> Unpacking(string variable, IReadOnlyList<AttributeValue> attributes, string hint)
    {
        var scale = Find(attributes, "scale_factor");
        var offset = Find(attributes, "add_offset");
        if (scale is null && offset is null)
        {
            return (_, x) => x;
        }

        double s = scale is null ? 1 : Numbers(variable, scale, 1, hint)[0];
        double o = offset is null ? 0 : Numbers(variable, offset, 1, hint)[0];
        if (!(s > 0))
        {
            throw Invalid(variable, $"the source's scale_factor {F(s)} is not positive, so its valid_* attributes cannot be unpacked; {hint}");
        }

        var unpackedType = (scale ?? offset)!.Value.GetType();
        return (a, x) => a.Value.GetType() == unpackedType ? x : x * s + o;
    }

    private static PackingRange Checked(string variable, double min, double max, PackingRangeSource source, string what, string hint)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max) || min > max)
        {
            throw Invalid(variable, $"{what} gives the range [{F(min)}, {F(max)}], which is not two finite numbers with min <= max; {hint}");
        }

        return new PackingRange(min, max, source);
    }

    private static ZarrPartitionException Invalid(string variable, string why) =>
        new("InvalidPackingRange", ErrorKind.InvalidArgument, variable, $"Variable '{variable}': {why}.");

    private static string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);
}
