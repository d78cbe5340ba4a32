using System.Buffers.Binary;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Hdf5;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.NetCdf;

/// <summary>
/// The NetCDF-4 data model over an HDF5 file: dimensions from dimension scales (including netCDF's
/// hidden dimension-only datasets), each variable's dimensions from <c>_Netcdf4Coordinates</c>/
/// <c>_Netcdf4Dimid</c> or <c>DIMENSION_LIST</c>, netCDF's hidden attributes removed, text attributes as
/// strings, <c>_nc4_non_coord_</c> names restored. Plain HDF5 files get netCDF's phony dimensions.
/// </summary>
public sealed class NetCdf4File : IDataset
{
    private const string HiddenDimensionPrefix = "This is a netCDF dimension but not a netCDF variable";
    private const string NonCoordPrefix = "_nc4_non_coord_";

    private static readonly HashSet<string> HiddenAttributes = new(StringComparer.Ordinal)
    {
        "CLASS", "NAME", "REFERENCE_LIST", "DIMENSION_LIST", "_Netcdf4Dimid", "_Netcdf4Coordinates", "_NCProperties", "_nc3_strict", "_SuperblockVersion", "_IsNetcdf4",
    };

    private readonly Hdf5File _file;
    private readonly Dictionary<(string Group, string Variable), Hdf5Dataset> _datasets = new();

    private NetCdf4File(Hdf5File file)
    {
        _file = file;
        Location = file.Path;
        var rootAttrs = file.Root.Attributes;
        bool strict = rootAttrs.Any(a => a.Name == "_nc3_strict");
        bool netcdf = strict || rootAttrs.Any(a => a.Name == "_NCProperties") || HasNetCdfMarks(file.Root);
        Format = strict ? "NETCDF4_CLASSIC" : netcdf ? "NETCDF4" : "HDF5";
        var scope = new DimensionScope(null);
        Root = BuildGroup(file.Root, "", scope);
    }

    public static NetCdf4File Open(string path)
    {
        var file = Hdf5File.Open(path);
        try
        {
            return new NetCdf4File(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public string Location { get; }

    public string Format { get; }

    public DatasetGroup Root { get; }

    private static bool HasNetCdfMarks(Hdf5Group g) =>
        g.Datasets.Any(d => d.Attributes.Any(a => a.Name is "_Netcdf4Dimid" or "_Netcdf4Coordinates" or "DIMENSION_LIST" or "CLASS"))
        || g.Groups.Any(HasNetCdfMarks);

    /// <summary>Dimensions visible from a group: its own, then its ancestors'.</summary>
    private sealed class DimensionScope
    {
        public DimensionScope(DimensionScope? parent) => Parent = parent;

        public DimensionScope? Parent { get; }

        public Dictionary<int, string> ById { get; } = new();

        public Dictionary<long, string> ByAddress { get; } = new();

        public Dictionary<long, string> PhonyBySize { get; } = new();

        public string? Id(int id) => ById.TryGetValue(id, out var n) ? n : Parent?.Id(id);

        public string? Address(long a) => ByAddress.TryGetValue(a, out var n) ? n : Parent?.Address(a);
    }

    private DatasetGroup BuildGroup(Hdf5Group group, string path, DimensionScope parentScope)
    {
        var scope = new DimensionScope(parentScope);
        var dims = new List<Dimension>();
        foreach (var ds in group.Datasets)
        {
            if (Text(ds, "CLASS") != "DIMENSION_SCALE")
            {
                continue;
            }

            var name = StripNonCoord(ds.Name);
            long length = ds.Shape.Length > 0 ? ds.Shape[0] : 0;
            bool unlimited = ds.MaxShape is { Length: > 0 } max && max[0] < 0;
            dims.Add(new Dimension(name, length, unlimited));
            scope.ByAddress[ds.Address] = name;
            if (Integers(ds, "_Netcdf4Dimid") is { Length: > 0 } id)
            {
                scope.ById[(int)id[0]] = name;
            }
        }

        var variables = new List<Variable>();
        foreach (var ds in group.Datasets)
        {
            if (Text(ds, "CLASS") == "DIMENSION_SCALE" && (Text(ds, "NAME") ?? string.Empty).StartsWith(HiddenDimensionPrefix, StringComparison.Ordinal))
            {
                continue; // a dimension without a variable
            }

            var name = StripNonCoord(ds.Name);
            var dimNames = DimensionsOf(ds, name, scope, dims, path);
            var (type, kind) = TypeOf(ds);
            var attrs = ds.Attributes.Where(a => !HiddenAttributes.Contains(a.Name)).Select(Convert).Where(a => a is not null).Select(a => a!).ToList();
            var fill = FillOf(ds, type, kind);
            variables.Add(new Variable(name, type, dimNames, ds.Shape, ds.ChunkShape, ds.Filters.Select(f => f.Name).ToArray(), attrs, fill, kind));
            _datasets[(path, name)] = ds;
        }

        // netCDF never extends the dataset behind an unlimited dimension without a variable: its
        // length is the longest extent of any variable along it
        for (int i = 0; i < dims.Count; i++)
        {
            var dim = dims[i];
            if (dim.IsUnlimited)
            {
                long longest = variables.SelectMany(v => v.Dimensions.Select((d, axis) => d == dim.Name ? v.Shape[axis] : 0)).DefaultIfEmpty(0).Max();
                if (longest > dim.Length)
                {
                    dims[i] = dim with { Length = longest };
                }
            }
        }

        var groupAttrs = group.Attributes.Where(a => !HiddenAttributes.Contains(a.Name)).Select(Convert).Where(a => a is not null).Select(a => a!).ToList();
        var subgroups = group.Groups.Select(g => BuildGroup(g, path.Length == 0 ? g.Name : path + "/" + g.Name, scope)).ToList();
        return new DatasetGroup(group.Name, path, dims, variables, groupAttrs, subgroups);
    }

    private string[] DimensionsOf(Hdf5Dataset ds, string name, DimensionScope scope, List<Dimension> dims, string groupPath)
    {
        int rank = ds.IsScalar ? 0 : ds.Shape.Length;
        if (rank == 0)
        {
            return [];
        }

        if (Integers(ds, "_Netcdf4Coordinates") is { } ids && ids.Length == rank)
        {
            var names = ids.Select(i => scope.Id((int)i)).ToArray();
            if (names.All(n => n is not null))
            {
                return names!;
            }
        }

        if (Text(ds, "CLASS") == "DIMENSION_SCALE" && rank == 1)
        {
            return [name];
        }

        if (ds.Attributes.FirstOrDefault(a => a.Name == "DIMENSION_LIST")?.Value is long[][] list && list.Length == rank)
        {
            var names = list.Select(refs => refs.Length > 0 ? scope.Address(refs[0]) ?? NameOfScale(refs[0]) : null).ToArray();
            if (names.All(n => n is not null))
            {
                return names!;
            }
        }

        // plain HDF5: netCDF's phony dimensions, one per distinct length in the group
        var result = new string[rank];
        for (int d = 0; d < rank; d++)
        {
            long len = ds.Shape[d];
            if (!scope.PhonyBySize.TryGetValue(len, out var phony))
            {
                phony = $"phony_dim_{scope.PhonyBySize.Count}";
                scope.PhonyBySize[len] = phony;
                dims.Add(new Dimension(phony, len));
            }

            result[d] = phony;
        }

        return result;
    }

    private string? NameOfScale(long address) => _file.DatasetAt(address) is { } scale ? StripNonCoord(scale.Name) : null;

    private static string StripNonCoord(string name) => name.StartsWith(NonCoordPrefix, StringComparison.Ordinal) ? name[NonCoordPrefix.Length..] : name;

    private static (ZarrDataType Type, VariableKind Kind) TypeOf(Hdf5Dataset ds)
    {
        var t = ds.Type;
        if (t.Class == Hdf5TypeClass.String && t.Size >= 1 && t.ToZarrDataType() is { } fixedText)
        {
            return (fixedText, VariableKind.Char);
        }

        if (t.Class is Hdf5TypeClass.VariableLength or Hdf5TypeClass.String)
        {
            return (new ZarrDataType(DataTypeKind.FixedBytes, 1), VariableKind.String);
        }

        return t.ToZarrDataType() is { } numeric
            ? (numeric.Native, VariableKind.Numeric)
            : throw new SourceFormatException(ds.Path, $"variable '{ds.Path}' has an HDF5 type ({t.Class}, {t.Size} bytes) that has no NetCDF equivalent we read.");
    }

    private static byte[]? FillOf(Hdf5Dataset ds, ZarrDataType type, VariableKind kind)
    {
        if (kind == VariableKind.String)
        {
            return null;
        }

        if (ds.Attributes.FirstOrDefault(a => a.Name == "_FillValue")?.Value is Array arr && arr.Length == 1 && ToBytes(arr, type) is { } b)
        {
            return b;
        }

        return ds.FillValue ?? NetCdfDefaults.FillValue(type);
    }

    private static byte[]? ToBytes(Array value, ZarrDataType type)
    {
        var bytes = new byte[type.Size];
        switch (value)
        {
            case sbyte[] a when type.Size == 1: bytes[0] = (byte)a[0]; break;
            case byte[] a when type.Size == 1: bytes[0] = a[0]; break;
            case short[] a when type.Size == 2: BinaryPrimitives.WriteInt16LittleEndian(bytes, a[0]); break;
            case ushort[] a when type.Size == 2: BinaryPrimitives.WriteUInt16LittleEndian(bytes, a[0]); break;
            case int[] a when type.Size == 4: BinaryPrimitives.WriteInt32LittleEndian(bytes, a[0]); break;
            case uint[] a when type.Size == 4: BinaryPrimitives.WriteUInt32LittleEndian(bytes, a[0]); break;
            case long[] a when type.Size == 8: BinaryPrimitives.WriteInt64LittleEndian(bytes, a[0]); break;
            case ulong[] a when type.Size == 8: BinaryPrimitives.WriteUInt64LittleEndian(bytes, a[0]); break;
            case float[] a when type.Size == 4: BinaryPrimitives.WriteSingleLittleEndian(bytes, a[0]); break;
            case double[] a when type.Size == 8: BinaryPrimitives.WriteDoubleLittleEndian(bytes, a[0]); break;
            default: return null;
        }

        return bytes;
    }

    private static AttributeValue? Convert(Hdf5Attribute a) => a.Value switch
    {
        null => new AttributeValue(a.Name, string.Empty), // netCDF writes empty text as a null dataspace
        string s => new AttributeValue(a.Name, s),
        string[] list => list.Length == 1 && a.Type.Class == Hdf5TypeClass.String ? new AttributeValue(a.Name, list[0]) : new AttributeValue(a.Name, list),
        Array numbers when numbers.GetType().GetElementType()!.IsPrimitive => new AttributeValue(a.Name, numbers),
        _ => null, // references, compounds: HDF5 plumbing with no netCDF meaning
    };

    private static string? Text(Hdf5Dataset ds, string name) => ds.Attributes.FirstOrDefault(a => a.Name == name)?.Value switch
    {
        string s => s,
        string[] { Length: 1 } l => l[0],
        _ => null,
    };

    private static long[]? Integers(Hdf5Dataset ds, string name) => ds.Attributes.FirstOrDefault(a => a.Name == name)?.Value switch
    {
        int[] i => i.Select(x => (long)x).ToArray(),
        long[] l => l,
        short[] s => s.Select(x => (long)x).ToArray(),
        uint[] u => u.Select(x => (long)x).ToArray(),
        _ => null,
    };

    private Hdf5Dataset DatasetOf(string groupPath, Variable variable) =>
        _datasets.TryGetValue((groupPath, variable.Name), out var ds) ? ds
        : throw new ZarrPartitionException("VariableNotFound", ErrorKind.ObjectNotFound, variable.Name, $"No variable '{variable.Name}' in group '{groupPath}' of {Location}.");

    public void Read(string groupPath, Variable variable, long[] start, long[] count, Span<byte> output)
    {
        var ds = DatasetOf(groupPath, variable);
        if (variable.Kind == VariableKind.String)
        {
            throw new ZarrPartitionException("StringVariable", ErrorKind.InvalidArgument, variable.Name, $"'{variable.Name}' holds variable-length strings; read it with ReadStrings.");
        }

        ds.Read(start, count, output);
    }

    public string[] ReadStrings(string groupPath, Variable variable, long[] start, long[] count) => DatasetOf(groupPath, variable).ReadStrings(start, count);

    public void Dispose() => _file.Dispose();
}
