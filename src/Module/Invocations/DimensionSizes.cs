using System.Collections;
using System.Globalization;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>
/// Turns a PowerShell hashtable such as <c>@{time=24; lat=90}</c> (-Chunks, -Shards) into the engine's
/// dimension → size map. Keys are dimension names (or "0", "1" for unnamed dimensions); values are
/// positive whole numbers, given as numbers or as text.
/// </summary>
public static class DimensionSizes
{
    public static IReadOnlyDictionary<string, int>? From(IDictionary? table, string parameter)
    {
        if (table is null || table.Count == 0)
        {
            return null;
        }

        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture)?.Trim() ?? "";
            if (name.Length == 0 || !TryWhole(entry.Value, out long size) || size <= 0 || size > int.MaxValue)
            {
                throw ModuleErrors.Create(ModuleErrors.InvalidDimensionSizes, ErrorKind.InvalidArgument, parameter,
                    $"-{parameter} has '{entry.Key}' = '{entry.Value}'. Give dimension names with positive whole sizes, e.g. -{parameter} @{{time=24; lat=90}}.");
            }

            if (!map.TryAdd(name, (int)size))
            {
                throw ModuleErrors.Create(ModuleErrors.InvalidDimensionSizes, ErrorKind.InvalidArgument, parameter, $"-{parameter} names dimension '{name}' twice.");
            }
        }

        return map;
    }

    /// <summary>A whole number from a boxed number or its text (a PSObject's ToString is its base object's).</summary>
    internal static bool TryWhole(object? value, out long result)
    {
        result = 0;
        switch (value)
        {
            case null:
                return false;
            case byte or sbyte or short or ushort or int or uint or long:
                result = Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return true;
            case ulong u:
                result = u > long.MaxValue ? -1 : (long)u;
                return u <= long.MaxValue;
            case double or float or decimal:
                var d = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                result = decimal.Truncate(d) == d && d <= long.MaxValue && d >= long.MinValue ? (long)d : 0;
                return decimal.Truncate(d) == d;
            default:
                return long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
        }
    }
}
