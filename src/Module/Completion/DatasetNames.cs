using System.Collections;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Module.Completion;

/// <summary>
/// The names tab completion offers: the variables (array paths) and dimension names of a Zarr store,
/// or of a NetCDF/HDF5 file. Reads metadata only (no chunk is listed or read) and never throws: what
/// cannot be read completes to nothing.
/// </summary>
public static class DatasetNames
{
    public static IReadOnlyList<string> Variables(string? path) => Read(path).Variables;

    public static IReadOnlyList<string> Dimensions(string? path) => Read(path).Dimensions;

    public static (IReadOnlyList<string> Variables, IReadOnlyList<string> Dimensions) Read(string? path)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return ([], []);
            }

            if (File.Exists(path))
            {
                var groups = DescribeSource.Run(new DescribeSource.Request(path), new NullSink()).Groups().ToList();
                return (groups.SelectMany(g => g.Variables.Select(v => VariablePrefix(g) + v.Name)).Distinct(StringComparer.Ordinal).ToList(),
                    groups.SelectMany(g => g.Dimensions.Select(d => d.Name)).Distinct(StringComparer.Ordinal).ToList());
            }

            if (Directory.Exists(path) && ZarrHierarchy.IsZarr(new FileSystemStore(path)))
            {
                var info = DescribeStore.Run(new DescribeStore.Request(path, CountChunks: false), new NullSink());
                return (info.Arrays.Select(a => a.Path).Order(StringComparer.Ordinal).ToList(),
                    info.Arrays.SelectMany(a => a.DimensionNames).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // completion must never fail the command line
        }

        return ([], []);
    }

    /// <summary>The names that start with what was typed (case-insensitive; a trailing * is allowed), quoted when they need it.</summary>
    public static IReadOnlyList<string> Match(IEnumerable<string> names, string? typed)
    {
        ArgumentNullException.ThrowIfNull(names);
        var prefix = (typed ?? "").Trim('\'', '"').TrimEnd('*');
        return names.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(n => n.Any(c => char.IsWhiteSpace(c) || "$`'\"(){}[];,|&@#<>".Contains(c)) ? "'" + n.Replace("'", "''", StringComparison.Ordinal) + "'" : n)
            .ToList();
    }

    /// <summary>The first path a bound parameter holds: a string, or the first of an array (or of anything enumerable).</summary>
    public static string? FirstPath(object? value) => value switch
    {
        null => null,
        string s => s,
        IEnumerable e => e.Cast<object?>().Select(FirstPath).FirstOrDefault(p => !string.IsNullOrWhiteSpace(p)),
        _ => value.ToString(),
    };

    private static string VariablePrefix(SourceGroupInfo group) => group.Path.Length > 0 ? group.Path.TrimEnd('/') + "/" : "";
}
