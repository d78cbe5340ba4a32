using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Engine.Datasets;

/// <summary>
/// Many sources read as one dataset concatenated along one dimension (as xarray.open_mfdataset does):
/// every source is checked against the first (dimensions, variables, types, units along the
/// concatenation dimension) and the sources are ordered by their first coordinate value. Nothing here
/// writes; a disagreement is an error that names the file.
/// </summary>
public sealed class SourceCollection
{
    private SourceCollection(DatasetGroup first, string firstPath, string? concat, IReadOnlyList<SourcePart> parts, SourceCache cache)
    {
        First = first;
        FirstPath = firstPath;
        ConcatDimension = concat;
        Parts = parts;
        Cache = cache;
    }

    /// <summary>The root group of the first source (in the given order): the model of every source.</summary>
    public DatasetGroup First { get; }

    public string FirstPath { get; }

    /// <summary>The dimension the sources are joined along; null for a single source without one.</summary>
    public string? ConcatDimension { get; }

    /// <summary>The sources in order, each with the slice of the concatenated axis it covers.</summary>
    public IReadOnlyList<SourcePart> Parts { get; }

    public SourceCache Cache { get; }

    /// <summary>The length of the concatenated axis (0 without one).</summary>
    public long ConcatLength => Parts.Sum(p => p.Length);

    /// <summary>The length along the concatenation dimension of every source, when they all agree; else null.</summary>
    public long? CommonPartLength => ConcatDimension is null || Parts.Select(p => p.Length).Distinct().Count() != 1 ? null : Parts[0].Length;

    /// <summary>Opens (through the cache), checks and orders the sources.</summary>
    /// <param name="concatDimension">The dimension to join along; null picks the unlimited dimension, else "time".</param>
    public static SourceCollection Open(IReadOnlyList<string> sources, string? concatDimension, SourceCache? cache, IOperationSink sink)
    {
        if (sources.Count == 0)
        {
            throw new ZarrPartitionException("NoSources", ErrorKind.InvalidArgument, "SOURCE", "Give at least one NetCDF/HDF5 file or Zarr store.");
        }

        cache ??= SourceCache.Shared;
        var models = new List<(string Path, DatasetGroup Root)>();
        var ranges = new Dictionary<string, Func<(double First, double Last)>>(StringComparer.Ordinal);
        string? concat = concatDimension;
        foreach (var s in sources.Select(Path.GetFullPath))
        {
            // leases are released at once: the cache keeps the files open. The ends of the joining
            // coordinate are read under the same lease (a read error is kept and raised where the
            // checks reach it, so that a mismatch is still reported first)
            using var lease = cache.Acquire(s);
            var root = lease.Dataset.Root;
            models.Add((s, root));
            concat ??= ChooseConcatDimension(root, sources.Count);
            if (concat is not null && root.Variable(concat) is { Rank: 1, Kind: VariableKind.Numeric } coord && !ranges.ContainsKey(s))
            {
                try
                {
                    var range = CoordinateRange(lease.Dataset, coord);
                    ranges[s] = () => range;
                }
                catch (ZarrPartitionException e)
                {
                    ranges[s] = () => throw e;
                }
            }
        }

        var first = models[0];
        var parts = Order(models, concat, ranges, sink);
        return new SourceCollection(first.Root, first.Path, concat, parts, cache);
    }

    /// <summary>The unlimited dimension, else "time", else none (a single source needs none).</summary>
    private static string? ChooseConcatDimension(DatasetGroup root, int sourceCount)
    {
        var chosen = root.Dimensions.FirstOrDefault(d => d.IsUnlimited)?.Name ?? root.Dimension("time")?.Name;
        if (chosen is null && sourceCount > 1)
        {
            throw new ZarrPartitionException("NoConcatDimension", ErrorKind.InvalidArgument, "--concat-dim",
                $"The sources have no unlimited dimension and no 'time' dimension to concatenate along; name one with --concat-dim. Dimensions: {string.Join(", ", root.Dimensions.Select(d => d.Name))}.");
        }

        return chosen;
    }

    /// <summary>Reads a 1-D numeric variable of one source whole, as doubles, and gives the variable back.</summary>
    public double[] ReadCoordinate(string path, string name, out Variable variable)
    {
        using var lease = Cache.Acquire(path);
        variable = lease.Dataset.Root.Variable(name)
            ?? throw new ZarrPartitionException("MissingVariable", ErrorKind.InvalidData, path, $"'{path}' has no variable '{name}'.");
        long n = variable.Shape[0];
        var buffer = new byte[n * variable.DataType.Size];
        lease.Dataset.Read("", variable, [0], [n], buffer);
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = variable.DataType.ReadAsDouble(buffer, i);
        }

        return values;
    }

    /// <summary>Checks every source against the first and orders them along the concatenation dimension.</summary>
    private static List<SourcePart> Order(List<(string Path, DatasetGroup Root)> models, string? concat, Dictionary<string, Func<(double First, double Last)>> ranges, IOperationSink sink)
    {
        var first = models[0];
        if (concat is not null && first.Root.Dimension(concat) is null)
        {
            throw new ZarrPartitionException("UnknownDimension", ErrorKind.InvalidArgument, concat,
                $"The dimension '{concat}' to join the sources along is not a dimension of {first.Path}. Dimensions: {string.Join(", ", first.Root.Dimensions.Select(d => d.Name))}.");
        }

        foreach (var (path, root) in models.Skip(1))
        {
            foreach (var d in first.Root.Dimensions.Where(d => d.Name != concat))
            {
                var od = root.Dimension(d.Name) ?? throw Disagree(path, $"it has no dimension '{d.Name}'");
                if (od.Length != d.Length)
                {
                    throw Disagree(path, $"dimension '{d.Name}' has length {od.Length} there but {d.Length} in {first.Path}");
                }
            }

            foreach (var v in first.Root.Variables)
            {
                var other = root.Variable(v.Name) ?? throw Disagree(path, $"it has no variable '{v.Name}', which {first.Path} has");
                if (other.DataType.Native != v.DataType.Native || other.Kind != v.Kind)
                {
                    throw Disagree(path, $"variable '{v.Name}' is {other.DataType.Name} there but {v.DataType.Name} in {first.Path}");
                }

                if (!other.Dimensions.SequenceEqual(v.Dimensions))
                {
                    throw Disagree(path, $"variable '{v.Name}' has dimensions ({string.Join(", ", other.Dimensions)}) there but ({string.Join(", ", v.Dimensions)}) in {first.Path}");
                }

                if (v.Dimensions.Contains(concat) && Units(other) != Units(v))
                {
                    throw Disagree(path, $"variable '{v.Name}' has units '{Units(other)}' there but '{Units(v)}' in {first.Path}; values along '{concat}' cannot be joined as they are");
                }
            }

            foreach (var v in root.Variables.Where(v => first.Root.Variable(v.Name) is null))
            {
                throw Disagree(path, $"it has a variable '{v.Name}' that {first.Path} lacks");
            }
        }

        if (concat is null)
        {
            return [new SourcePart(first.Path, 0, 0)];
        }

        // order by the first value of the concatenation coordinate, when there is one
        var ordered = models;
        if (first.Root.Variable(concat) is { Rank: 1 } coord && coord.Kind == VariableKind.Numeric)
        {
            var sorted = models.Select(m => (Model: m, Range: ranges[m.Path]())).OrderBy(k => k.Range.First).ToList();
            ordered = sorted.Select(k => k.Model).ToList();
            for (int i = 1; i < sorted.Count; i++)
            {
                if (sorted[i].Range.First <= sorted[i - 1].Range.Last)
                {
                    throw new ZarrPartitionException("OverlappingSources", ErrorKind.InvalidArgument, sorted[i].Model.Path,
                        $"'{sorted[i].Model.Path}' starts at {concat} = {sorted[i].Range.First}, which is not after the end ({sorted[i - 1].Range.Last}) of '{sorted[i - 1].Model.Path}': the files overlap or repeat. Remove the duplicate.");
                }
            }

            if (!ordered.Select(m => m.Path).SequenceEqual(models.Select(m => m.Path)))
            {
                sink.Verbose($"Sources ordered by their first {concat} value.");
            }
        }

        var parts = new List<SourcePart>();
        long offset = 0;
        foreach (var (path, root) in ordered)
        {
            long len = root.Dimension(concat)!.Length;
            parts.Add(new SourcePart(path, offset, len));
            offset += len;
        }

        return parts;

        ZarrPartitionException Disagree(string path, string why) =>
            new("SourcesDisagree", ErrorKind.InvalidData, path, $"'{path}' does not match the other sources: {why}. Nothing was written.");
    }

    private static string? Units(Variable v) => v.Attribute("units")?.Text;

    /// <summary>The first and last value of a 1-D coordinate (−∞ for an empty one).</summary>
    private static (double First, double Last) CoordinateRange(IDataset dataset, Variable v)
    {
        long n = v.Shape[0];
        if (n == 0)
        {
            return (double.NegativeInfinity, double.NegativeInfinity);
        }

        var buffer = new byte[v.DataType.Size];
        dataset.Read("", v, [0], [1], buffer);
        double a = v.DataType.ReadAsDouble(buffer, 0);
        dataset.Read("", v, [n - 1], [1], buffer);
        return (a, v.DataType.ReadAsDouble(buffer, 0));
    }
}
