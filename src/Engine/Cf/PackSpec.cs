using System.Globalization;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Cf;

/// <summary>
/// What the user asked for one variable: pack it into <see cref="Bits"/>-bit integers, over the range
/// [<see cref="Min"/>, <see cref="Max"/>] when given (else the range comes from the variable's
/// attributes or its data, see <see cref="PackingRange"/>). The text form is <c>NAME=BITS</c> or
/// <c>NAME=BITS:MIN:MAX</c>; a list joins them with commas: <c>t2m=16,sp=16:50000:110000,q=8</c>.
/// </summary>
public sealed record PackSpec(string Variable, int Bits, double? Min = null, double? Max = null)
{
    public const string AcceptedForm =
        "NAME=BITS or NAME=BITS:MIN:MAX, comma-separated, with BITS 8, 16 or 32 and MIN < MAX finite numbers, e.g. t2m=16,sp=16:50000:110000,q=8";

    public bool HasRange => Min.HasValue && Max.HasValue;

    /// <summary>Parses a comma-separated list; every entry must be valid and name a different variable.</summary>
    /// <exception cref="ZarrPartitionException">InvalidPackSpec: the message names the bad entry and the accepted form.</exception>
    public static IReadOnlyList<PackSpec> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<PackSpec>();
        foreach (var entry in text.Split(','))
        {
            var spec = Parse(entry);
            if (list.Any(s => s.Variable == spec.Variable))
            {
                throw Invalid(entry, $"variable '{spec.Variable}' is given more than once");
            }

            list.Add(spec);
        }

        return list;
    }

    /// <summary>Parses one <c>NAME=BITS</c> or <c>NAME=BITS:MIN:MAX</c> entry.</summary>
    /// <exception cref="ZarrPartitionException">InvalidPackSpec: the message names the entry and the accepted form.</exception>
    public static PackSpec Parse(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        int eq = entry.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
        {
            throw Invalid(entry, entry.Trim().Length == 0 ? "the entry is empty" : "there is no '='");
        }

        var name = entry[..eq].Trim();
        if (name.Length == 0)
        {
            throw Invalid(entry, "the variable name is empty");
        }

        var parts = entry[(eq + 1)..].Split(':');
        if (parts.Length is not (1 or 3))
        {
            throw Invalid(entry, $"after '=' there are {parts.Length} ':'-separated fields; give BITS or BITS:MIN:MAX");
        }

        var bitsText = parts[0].Trim();
        if (!int.TryParse(bitsText, NumberStyles.None, CultureInfo.InvariantCulture, out int bits) || bits is not (8 or 16 or 32))
        {
            throw Invalid(entry, $"BITS '{bitsText}' is not 8, 16 or 32");
        }

        if (parts.Length == 1)
        {
            return new PackSpec(name, bits);
        }

        double min = Number(parts[1], "MIN"), max = Number(parts[2], "MAX");
        if (!(min < max))
        {
            throw Invalid(entry, $"MIN {Format(min)} is not less than MAX {Format(max)}");
        }

        return new PackSpec(name, bits, min, max);

        double Number(string field, string what)
        {
            var t = field.Trim();
            if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            {
                throw Invalid(entry, $"{what} '{t}' is not a finite number");
            }

            return v;
        }
    }

    /// <summary>The text form, which <see cref="Parse"/> reads back to an equal spec.</summary>
    public override string ToString() =>
        HasRange ? $"{Variable}={Bits}:{Format(Min!.Value)}:{Format(Max!.Value)}" : $"{Variable}={Bits}";

    private static string Format(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    private static ZarrPartitionException Invalid(string entry, string why) => new(
        "InvalidPackSpec",
        ErrorKind.InvalidArgument,
        entry,
        $"Packing entry '{entry}': {why}. Accepted form: {AcceptedForm}.");
}
