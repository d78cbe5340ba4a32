using System.Globalization;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Operations;

/// <summary>Parses "time=24,lat=90" (the CLI's --chunks and --shards) into a name→size map.</summary>
public static class DimensionMap
{
    public static IReadOnlyDictionary<string, int> Parse(string? text, string option)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return map;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || kv[0].Length == 0 || !int.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n <= 0)
            {
                throw new ZarrPartitionException("InvalidDimensionMap", ErrorKind.InvalidArgument, option,
                    $"{option} '{text}' is not valid at '{part}'. Write dim=size pairs with positive sizes, e.g. {option} time=24,lat=90.");
            }

            if (!map.TryAdd(kv[0], n))
            {
                throw new ZarrPartitionException("InvalidDimensionMap", ErrorKind.InvalidArgument, option, $"{option} names dimension '{kv[0]}' twice.");
            }
        }

        return map;
    }

    /// <summary>Resolves a map against an array's dimensions: by name, or by index ("0", "1") for unnamed dimensions.</summary>
    public static int? Lookup(IReadOnlyDictionary<string, int>? map, string? name, int index)
    {
        if (map is null)
        {
            return null;
        }

        if (name is not null && map.TryGetValue(name, out int n))
        {
            return n;
        }

        return map.TryGetValue(index.ToString(CultureInfo.InvariantCulture), out n) ? n : null;
    }
}
