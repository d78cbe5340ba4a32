using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Datasets;

/// <summary>
/// A dataset described by a JSON spec file, for stores built from scratch: dimensions (with coordinate
/// values, a numeric range, a time range, or only a size), variables (type, dimensions, attributes,
/// fill value) and global attributes. Coordinates read as their values; data variables read as their
/// fill value. Format:
/// <code>
/// { "attributes": { "title": "..." },
///   "dimensions": {
///     "time":   { "start": "2000-01-01", "end": "2000-12-31 18:00", "frequency": "6h",
///                 "units": "hours since 2000-01-01", "calendar": "standard", "dtype": "int64" },
///     "lat":    { "start": -90, "step": 0.25, "size": 721, "attributes": { "units": "degrees_north" } },
///     "lon":    { "values": [0, 0.25, 0.5] },
///     "member": { "size": 10 } },
///   "variables": {
///     "t2m": { "dtype": "float32", "dims": ["time", "lat", "lon"], "attributes": { "units": "K" }, "fill_value": "NaN" } } }
/// </code>
/// A numeric range is start + step + size, or start + end + step (end included when on the grid).
/// Float variables without a fill value get NaN, as xarray writes them.
/// </summary>
public sealed class SpecDataset : IDataset
{
    private readonly Dictionary<string, byte[]> _values;

    private SpecDataset(string location, DatasetGroup root, Dictionary<string, byte[]> values)
    {
        Location = location;
        Root = root;
        _values = values;
    }

    public string Location { get; }

    public string Format => "SPEC";

    public DatasetGroup Root { get; }

    /// <summary>True for a .json file that starts (after white space) with '{': a spec rather than a data file.</summary>
    public static bool LooksLikeSpec(string path)
    {
        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        using var stream = File.OpenRead(path);
        int b;
        while ((b = stream.ReadByte()) is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF)
        {
        }

        return b == '{';
    }

    public static SpecDataset Open(string path)
    {
        JsonNode? doc;
        try
        {
            doc = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw Bad(path, $"it is not valid JSON ({e.Message})");
        }

        if (doc is not JsonObject root)
        {
            throw Bad(path, "the top level must be an object with \"dimensions\" and \"variables\"");
        }

        foreach (var key in root.Select(p => p.Key))
        {
            if (key is not ("attributes" or "dimensions" or "variables"))
            {
                throw Bad(path, $"unknown top-level field '{key}' (expected attributes, dimensions, variables)");
            }
        }

        var dims = new List<Dimension>();
        var variables = new List<Variable>();
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (root["dimensions"] is not JsonObject dimObj || dimObj.Count == 0)
        {
            throw Bad(path, "\"dimensions\" must be an object naming at least one dimension");
        }

        foreach (var (name, node) in dimObj)
        {
            if (node is not JsonObject d)
            {
                throw Bad(path, $"dimension '{name}' must be an object (size, values, a numeric range or a time range)");
            }

            var (length, coord, data) = Dimension(path, name, d);
            dims.Add(new Dimension(name, length));
            if (coord is not null)
            {
                variables.Add(coord);
                values[name] = data!;
            }
        }

        if (root["variables"] is not JsonObject varObj)
        {
            throw Bad(path, "\"variables\" must be an object of variables");
        }

        foreach (var (name, node) in varObj)
        {
            if (node is not JsonObject v)
            {
                throw Bad(path, $"variable '{name}' must be an object with dtype and dims");
            }

            if (variables.Any(x => x.Name == name))
            {
                throw Bad(path, $"variable '{name}' has the name of a dimension coordinate");
            }

            variables.Add(DataVariable(path, name, v, dims));
        }

        var attrs = Attributes(path, root["attributes"], "attributes");
        var group = new DatasetGroup("", "/", dims, variables, attrs, []);
        return new SpecDataset(Path.GetFullPath(path), group, values);
    }

    public void Read(string groupPath, Variable variable, long[] start, long[] count, Span<byte> output)
    {
        int size = variable.DataType.Size;
        if (_values.TryGetValue(variable.Name, out var data))
        {
            data.AsSpan(checked((int)(start[0] * size)), checked((int)(count[0] * size))).CopyTo(output);
            return;
        }

        var fill = variable.FillValue ?? new byte[size];
        for (int i = 0; i + size <= output.Length; i += size)
        {
            fill.CopyTo(output[i..]);
        }
    }

    public string[] ReadStrings(string groupPath, Variable variable, long[] start, long[] count) =>
        throw new ZarrPartitionException("NotAString", ErrorKind.InvalidArgument, variable.Name, $"Variable '{variable.Name}' of a spec holds no strings.");

    public void Dispose()
    {
    }

    private static (long Length, Variable? Coordinate, byte[]? Values) Dimension(string path, string name, JsonObject d)
    {
        var attrs = Attributes(path, d["attributes"], $"dimension '{name}' attributes").ToList();
        if (d["frequency"] is not null || d["units"]?.GetValue<string>() is { } u && u.Contains(" since ", StringComparison.OrdinalIgnoreCase))
        {
            return TimeDimension(path, name, d, attrs);
        }

        var dtype = d["dtype"] is JsonValue t ? Type(path, t.ToString(), name) : ZarrDataType.Float64;
        double[]? coords = null;
        long length;
        if (d["values"] is JsonArray list)
        {
            coords = list.Select(x => Number(path, x, name)).ToArray();
            length = coords.Length;
        }
        else if (d["start"] is not null && d["step"] is not null && (d["size"] is not null || d["end"] is not null))
        {
            double start = Number(path, d["start"], name), step = Number(path, d["step"], name);
            if (step == 0 || !double.IsFinite(step))
            {
                throw Bad(path, $"dimension '{name}': step must be a non-zero number");
            }

            length = d["size"] is { } sz ? (long)Number(path, sz, name) : (long)Math.Floor((Number(path, d["end"], name) - start) / step + 1e-9) + 1;
            coords = new double[Math.Max(0, length)];
            for (long i = 0; i < coords.Length; i++)
            {
                coords[i] = start + i * step;
            }
        }
        else if (d["size"] is { } size)
        {
            length = (long)Number(path, size, name);
        }
        else
        {
            throw Bad(path, $"dimension '{name}' needs \"size\", \"values\", \"start\"+\"step\"+\"size\" (or \"end\"), or a time range \"start\"+\"end\"+\"frequency\"+\"units\"");
        }

        if (length < 0)
        {
            throw Bad(path, $"dimension '{name}' has a negative size");
        }

        if (coords is null)
        {
            return (length, null, null);
        }

        var bytes = new byte[coords.Length * dtype.Size];
        for (int i = 0; i < coords.Length; i++)
        {
            FillValueJson.FromDouble(coords[i], dtype).CopyTo(bytes, i * dtype.Size);
        }

        return (length, new Variable(name, dtype, [name], [length], null, [], attrs, null), bytes);
    }

    private static (long, Variable, byte[]) TimeDimension(string path, string name, JsonObject d, List<AttributeValue> attrs)
    {
        string? Text(string key) => d[key] is JsonValue v ? v.ToString() : null;
        var calendarName = Text("calendar") ?? "standard";
        var calendar = CfCalendars.Parse(calendarName);
        var start = Text("start") ?? throw Bad(path, $"time dimension '{name}' needs \"start\"");
        var end = Text("end") ?? throw Bad(path, $"time dimension '{name}' needs \"end\"");
        var freq = CfFrequency.Parse(Text("frequency") ?? throw Bad(path, $"time dimension '{name}' needs \"frequency\" (e.g. 1h, 6h, 1D, MS, PT1H)"));
        var startDate = CfDateTime.Parse(start, calendar);
        var units = CfTimeUnits.Parse(Text("units") ?? $"hours since {startDate.ToString(false)}", calendar);
        var dtype = d["dtype"] is JsonValue t ? Type(path, t.ToString(), name) : ZarrDataType.Int64;
        var dates = freq.Range(startDate, CfDateTime.Parse(end, calendar)).ToList();
        var bytes = TimeValues.Encode(dates, units, dtype, name);
        attrs.RemoveAll(a => a.Name is "units" or "calendar");
        attrs.Add(new AttributeValue("units", units.Text));
        attrs.Add(new AttributeValue("calendar", calendarName));
        return (dates.Count, new Variable(name, dtype, [name], [dates.Count], null, [], attrs, null), bytes);
    }

    private static Variable DataVariable(string path, string name, JsonObject v, List<Dimension> dims)
    {
        foreach (var key in v.Select(p => p.Key))
        {
            if (key is not ("dtype" or "dims" or "attributes" or "fill_value"))
            {
                throw Bad(path, $"variable '{name}' has an unknown field '{key}' (expected dtype, dims, attributes, fill_value)");
            }
        }

        var dtype = Type(path, v["dtype"]?.ToString() ?? throw Bad(path, $"variable '{name}' needs \"dtype\" (e.g. float32)"), name);
        if (v["dims"] is not JsonArray dimList)
        {
            throw Bad(path, $"variable '{name}' needs \"dims\", a list of dimension names");
        }

        var names = dimList.Select(x => x?.ToString() ?? "").ToArray();
        var shape = new long[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            shape[i] = dims.FirstOrDefault(x => x.Name == names[i])?.Length
                ?? throw Bad(path, $"variable '{name}' uses dimension '{names[i]}', which \"dimensions\" does not define");
        }

        var attrs = Attributes(path, v["attributes"], $"variable '{name}' attributes").Where(a => a.Name != "_FillValue").ToList();
        byte[]? fill = null;
        if (v["fill_value"] is { } f)
        {
            fill = FillValueJson.FromDouble(Number(path, f, name), dtype);
        }
        else if (dtype.Kind == DataTypeKind.Float)
        {
            fill = FillValueJson.FromDouble(double.NaN, dtype);
        }

        if (fill is not null)
        {
            double fv = dtype.ReadAsDouble(fill, 0);
            attrs.Add(new AttributeValue("_FillValue", dtype.Kind == DataTypeKind.Float ? (dtype.Size == 4 ? new[] { (float)fv } : new[] { fv }) : new[] { (long)fv }));
        }

        return new Variable(name, dtype, names, shape, null, [], attrs, fill);
    }

    private static List<AttributeValue> Attributes(string path, JsonNode? node, string what)
    {
        var list = new List<AttributeValue>();
        if (node is null)
        {
            return list;
        }

        if (node is not JsonObject obj)
        {
            throw Bad(path, $"{what} must be an object");
        }

        foreach (var (key, value) in obj)
        {
            object converted = value switch
            {
                JsonValue s when s.GetValueKind() == JsonValueKind.String => s.GetValue<string>(),
                JsonValue n when n.GetValueKind() == JsonValueKind.Number => Numbers([n]),
                JsonValue b when b.GetValueKind() is JsonValueKind.True or JsonValueKind.False => new long[] { b.GetValue<bool>() ? 1 : 0 },
                JsonArray a when a.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.String) && a.Count > 0 => a.Select(x => x!.GetValue<string>()).ToArray(),
                JsonArray a when a.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.Number) => Numbers(a.Select(x => (JsonValue)x!).ToList()),
                _ => throw Bad(path, $"{what}: '{key}' must be a string, a number, or a list of either"),
            };
            list.Add(new AttributeValue(key, converted));
        }

        return list;
    }

    private static object Numbers(IReadOnlyList<JsonValue> values)
    {
        if (values.All(v => v.TryGetValue<long>(out _)))
        {
            return values.Select(v => v.GetValue<long>()).ToArray();
        }

        return values.Select(v => v.GetValue<double>()).ToArray();
    }

    private static double Number(string path, JsonNode? node, string name) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && double.TryParse(v.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        JsonValue v when v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is "NaN" or "nan" => double.NaN,
        _ => throw Bad(path, $"'{name}': expected a number, got {node?.ToJsonString() ?? "nothing"}"),
    };

    private static ZarrDataType Type(string path, string text, string name)
    {
        try
        {
            var t = ZarrDataType.Parse(text);
            if (t.Kind == DataTypeKind.FixedBytes)
            {
                throw Bad(path, $"'{name}': byte-string types are not supported in a spec");
            }

            return t;
        }
        catch (MetadataException)
        {
            throw Bad(path, $"'{name}': dtype '{text}' is not one of bool, int8-int64, uint8-uint64, float32, float64");
        }
    }

    private static ZarrPartitionException Bad(string path, string why) =>
        new("InvalidSpec", ErrorKind.InvalidData, path, $"The spec '{path}' is not valid: {why}.");
}
