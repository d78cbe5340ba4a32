using System.Globalization;

namespace ZarrPartition.Module.Invocations;

/// <summary>A region as text, "time=0:96,lat=0:721": half-open ranges in the form Read-ZarrArray's -Region takes.</summary>
public static class RegionText
{
    public static string Format(IReadOnlyDictionary<string, long[]> region)
    {
        ArgumentNullException.ThrowIfNull(region);
        return string.Join(",", region.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value[0]}:{kv.Value[1]}")));
    }

    public static string Format(IReadOnlyDictionary<string, int> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        return string.Join(",", sizes.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value}")));
    }
}
