using System.Buffers.Binary;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// One array of a store seen as xarray sees it: dimension names, the attributes CF decoding reads
/// (for v2 the array's fill_value as <c>_FillValue</c>, as xarray's zarr backend puts it there), the
/// decoder from raw to physical values, and the coordinate array of each dimension.
/// </summary>
internal sealed class StoreVariable
{
    private readonly Lazy<CfDecoder> _decoder;

    private StoreVariable(ZarrHierarchy hierarchy, string path, ArrayMetadata metadata)
    {
        Hierarchy = hierarchy;
        Path = path;
        Metadata = metadata;
        Dimensions = DimensionNames(metadata);
        Attributes = CfAttributes(metadata);
        _decoder = new Lazy<CfDecoder>(() => CfDecoder.FromAttributes(metadata.DataType.Native, Attributes));
    }

    public ZarrHierarchy Hierarchy { get; }

    public string Path { get; }

    public ArrayMetadata Metadata { get; }

    public string[] Dimensions { get; }

    public IReadOnlyList<AttributeValue> Attributes { get; }

    public ZarrArray Array => new(Hierarchy.Store, Path, Metadata);

    /// <summary>Integers and floats; booleans and byte strings are not measured or decoded.</summary>
    public bool IsNumeric => Metadata.DataType.Kind is DataTypeKind.Int or DataTypeKind.UInt or DataTypeKind.Float;

    /// <summary>Raw → physical values (masking and unpacking, xarray-exact). Throws for non-numeric arrays and bad attributes.</summary>
    public CfDecoder Decoder => _decoder.Value;

    public string? Units => Attributes.FirstOrDefault(a => a.Name == "units")?.Text;

    /// <summary>Opens a store folder; a typed error when it is not a Zarr store.</summary>
    public static ZarrHierarchy OpenStore(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(full) || !ZarrHierarchy.IsZarr(new FileSystemStore(full)))
        {
            throw new ZarrPartitionException("StoreNotFound", ErrorKind.ObjectNotFound, full,
                $"'{full}' is not a Zarr store (no folder, or no zarr.json, .zgroup, .zarray or .zmetadata in it). Check --store.");
        }

        return ZarrHierarchy.Open(new FileSystemStore(full));
    }

    public static StoreVariable Of(ZarrHierarchy hierarchy, string path) => new(hierarchy, path, hierarchy.Arrays[path]);

    /// <summary>The array named <paramref name="name"/> (its path in the store); UnknownVariable when there is none.</summary>
    public static StoreVariable Find(ZarrHierarchy hierarchy, string name)
    {
        var path = name.Trim('/');
        if (!hierarchy.Arrays.ContainsKey(path))
        {
            throw new ZarrPartitionException("UnknownVariable", ErrorKind.InvalidArgument, name,
                $"'{name}' is not an array of '{hierarchy.Store.Location}'. Arrays: {string.Join(", ", hierarchy.Arrays.Keys.Select(k => k.Length == 0 ? "/" : k))}.");
        }

        return Of(hierarchy, path);
    }

    /// <summary>Dimension names from _ARRAY_DIMENSIONS / dimension_names; dim_0, dim_1 … where none are given.</summary>
    public static string[] DimensionNames(ArrayMetadata metadata) =>
        Enumerable.Range(0, metadata.Rank).Select(i => metadata.DimensionNames?[i] ?? $"dim_{i}").ToArray();

    /// <summary>
    /// The attributes xarray decodes with. Zarr v2: the array's fill_value is <c>_FillValue</c> (xarray
    /// 2023.01's zarr backend sets it over any attribute of that name). Zarr v3: only a <c>_FillValue</c>
    /// attribute counts (xarray does not mask v3 fill values), a float one base64 of its float64 bytes.
    /// </summary>
    public static IReadOnlyList<AttributeValue> CfAttributes(ArrayMetadata metadata)
    {
        var list = ZarrDataset.Attributes(metadata.Attributes);
        var type = metadata.DataType.Native;
        if (metadata.ZarrFormat == 2)
        {
            if (metadata.FillValue is { } fill && FillAttribute(fill, type) is { } attr)
            {
                list.RemoveAll(a => a.Name == "_FillValue");
                list.Add(attr);
            }
        }
        else if (list.FindIndex(a => a.Name == "_FillValue" && a.Value is string) is int i and >= 0
            && type.Kind == DataTypeKind.Float && Base64Double((string)list[i].Value) is double d)
        {
            list[i] = new AttributeValue("_FillValue", new[] { d });
        }

        return list;
    }

    private static AttributeValue? FillAttribute(byte[] fill, ZarrDataType type) => (type.Kind, type.Size) switch
    {
        (DataTypeKind.Float, _) => new AttributeValue("_FillValue", new[] { type.ReadAsDouble(fill, 0) }),
        (DataTypeKind.UInt, 8) => new AttributeValue("_FillValue", new[] { BinaryPrimitives.ReadUInt64LittleEndian(fill) }),
        (DataTypeKind.Int, 8) => new AttributeValue("_FillValue", new[] { BinaryPrimitives.ReadInt64LittleEndian(fill) }),
        (DataTypeKind.Int or DataTypeKind.UInt, _) => new AttributeValue("_FillValue", new[] { (long)type.ReadAsDouble(fill, 0) }),
        _ => null,
    };

    private static double? Base64Double(string text)
    {
        var bytes = new byte[8];
        return Convert.TryFromBase64String(text, bytes, out int n) && n == 8 ? BinaryPrimitives.ReadDoubleLittleEndian(bytes) : null;
    }

    /// <summary>
    /// Coordinates, as xarray tells them from data variables: 1-D arrays named like their dimension,
    /// names listed in a 'coordinates' attribute (of an array or the root group), and the coordinates
    /// our template recorded.
    /// </summary>
    public static HashSet<string> CoordinateNames(ZarrHierarchy hierarchy, TemplateRecord? record)
    {
        var names = new HashSet<string>(record?.Coordinates ?? [], StringComparer.Ordinal);
        var lists = new List<string?>();
        foreach (var (path, meta) in hierarchy.Arrays)
        {
            if (meta.Rank == 1 && meta.DimensionNames?[0] is { } d && d == Name(path))
            {
                names.Add(path);
            }

            lists.Add(Text(meta.Attributes["coordinates"]));
        }

        if (hierarchy.Groups.TryGetValue("", out var root))
        {
            lists.Add(Text(root.Attributes["coordinates"]));
        }

        foreach (var list in lists)
        {
            names.UnionWith((list ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(hierarchy.Arrays.ContainsKey));
        }

        return names;

        static string? Text(System.Text.Json.Nodes.JsonNode? node) =>
            node is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
    }

    /// <summary>
    /// The coordinate array of dimension <paramref name="dimension"/> of this array: a 1-D array named
    /// like the dimension, in the array's group or an enclosing one, of the dimension's length.
    /// </summary>
    public StoreVariable? CoordinateOf(int dimension)
    {
        var dim = Dimensions[dimension];
        var group = Parent(Path);
        while (true)
        {
            var candidate = group.Length == 0 ? dim : group + "/" + dim;
            if (Hierarchy.Arrays.TryGetValue(candidate, out var m) && m.Rank == 1 && m.Shape[0] == Metadata.Shape[dimension]
                && (m.DimensionNames?[0] ?? dim) == dim)
            {
                return candidate == Path ? this : Of(Hierarchy, candidate);
            }

            if (group.Length == 0)
            {
                return null;
            }

            group = Parent(group);
        }
    }

    /// <summary>CF time units when the 'units' attribute says "… since …"; null otherwise.</summary>
    /// <exception cref="ZarrPartitionException">The units or calendar cannot be decoded.</exception>
    public CfTimeUnits? TimeUnits()
    {
        var units = Units;
        if (units is null || !units.Contains(" since ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return CfTimeUnits.Parse(units, Attributes.FirstOrDefault(a => a.Name == "calendar")?.Text);
    }

    /// <summary>Fails with NotNumeric unless the array holds integers or floats.</summary>
    public void RequireNumeric()
    {
        if (!IsNumeric)
        {
            throw new ZarrPartitionException("NotNumeric", ErrorKind.NotSupported, Path,
                $"'{Path}' holds {Metadata.DataType.Name}; only integer and float arrays can be read as numbers or measured.");
        }
    }

    private static string Parent(string path) => path.LastIndexOf('/') is int i and >= 0 ? path[..i] : "";

    private static string Name(string path) => path[(path.LastIndexOf('/') + 1)..];
}
