using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Datasets;

/// <summary>
/// A Zarr store seen through the neutral model: groups, arrays as variables (dimensions from
/// <c>_ARRAY_DIMENSIONS</c> / <c>dimension_names</c>), attributes, and region reads.
/// </summary>
public sealed class ZarrDataset : IDataset
{
    private readonly ZarrHierarchy _hierarchy;

    public ZarrDataset(string path)
    {
        Location = Path.GetFullPath(path);
        _hierarchy = ZarrHierarchy.Open(new FileSystemStore(Location));
        Root = BuildGroup("");
    }

    public string Location { get; }

    public string Format => "ZARR";

    public DatasetGroup Root { get; }

    private DatasetGroup BuildGroup(string path)
    {
        var variables = new List<Variable>();
        var dims = new Dictionary<string, Dimension>(StringComparer.Ordinal);
        foreach (var (arrayPath, m) in _hierarchy.Arrays)
        {
            if (ParentOf(arrayPath) != path)
            {
                continue;
            }

            var names = m.DimensionNames?.Select((d, i) => d ?? $"dim_{i}").ToArray() ?? Enumerable.Range(0, m.Rank).Select(i => $"{Name(arrayPath)}_dim_{i}").ToArray();
            for (int i = 0; i < names.Length; i++)
            {
                dims.TryAdd(names[i], new Dimension(names[i], m.Shape[i]));
            }

            variables.Add(new Variable(
                Name(arrayPath),
                m.DataType.Native,
                names,
                m.Shape,
                m.InnerChunkShape,
                m.Compressor is null ? [] : [Codecs.CodecJson.Describe(m.Compressor)],
                Attributes(m.Attributes),
                m.FillValue,
                m.DataType.Kind == DataTypeKind.FixedBytes ? VariableKind.Char : VariableKind.Numeric));
        }

        var groups = _hierarchy.Groups.Keys.Where(g => g.Length > 0 && ParentOf(g) == path).Select(BuildGroup).ToList();
        var attrs = _hierarchy.Groups.TryGetValue(path, out var gm) ? Attributes(gm.Attributes) : [];
        return new DatasetGroup(Name(path), path, dims.Values.ToList(), variables, attrs, groups);
    }

    private static string ParentOf(string path) => path.LastIndexOf('/') is int i and >= 0 ? path[..i] : "";

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Zarr JSON attributes as typed attribute values (integers as long[], floats as double[], text as strings).</summary>
    internal static List<AttributeValue> Attributes(JsonObject attrs)
    {
        var list = new List<AttributeValue>();
        foreach (var (name, node) in attrs)
        {
            if (node is null)
            {
                continue;
            }

            var el = JsonSerializer.SerializeToElement(node);
            object? value = el.ValueKind switch
            {
                JsonValueKind.String => el.GetString(),
                JsonValueKind.Number => el.TryGetInt64(out long l) ? new[] { l } : new[] { el.GetDouble() },
                JsonValueKind.True or JsonValueKind.False => new[] { (sbyte)(el.GetBoolean() ? 1 : 0) },
                JsonValueKind.Array when el.EnumerateArray().All(x => x.ValueKind == JsonValueKind.String) => el.EnumerateArray().Select(x => x.GetString()!).ToArray(),
                JsonValueKind.Array when el.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number && x.TryGetInt64(out _)) => el.EnumerateArray().Select(x => x.GetInt64()).ToArray(),
                JsonValueKind.Array when el.EnumerateArray().All(x => x.ValueKind == JsonValueKind.Number) => el.EnumerateArray().Select(x => x.GetDouble()).ToArray(),
                _ => node.ToJsonString(),
            };
            if (value is not null)
            {
                list.Add(new AttributeValue(name, value));
            }
        }

        return list;
    }

    public void Read(string groupPath, Variable variable, long[] start, long[] count, Span<byte> output)
    {
        var array = _hierarchy.OpenArray(StoreKey.Join(groupPath, variable.Name));
        var bytes = array.ReadRegion(start, count, new ExecutionOptions { MaxThreads = 1 });
        if (bytes.Length != output.Length)
        {
            throw new ZarrPartitionException("WrongBufferSize", ErrorKind.InvalidArgument, variable.Name, $"{output.Length} bytes given for a region of {bytes.Length}.");
        }

        bytes.CopyTo(output);
    }

    public string[] ReadStrings(string groupPath, Variable variable, long[] start, long[] count) =>
        throw new ZarrPartitionException("NotAStringVariable", ErrorKind.InvalidArgument, variable.Name, $"'{variable.Name}' in {Location} holds {variable.DataType.Name}, not variable-length strings.");

    public void Dispose()
    {
    }
}
