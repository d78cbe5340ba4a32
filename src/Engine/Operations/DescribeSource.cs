using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Describes a NetCDF/HDF5 file (or any source) as <c>ncdump -hs</c> would: dimensions, variables with
/// type, dimensions, chunking and filters, and attributes, per group; as text or JSON.
/// </summary>
public static class DescribeSource
{
    public sealed record Request(string Path);

    public static JsonObject Run(Request request, IOperationSink sink, SourceCache? cache = null)
    {
        using var lease = (cache ?? SourceCache.Shared).Acquire(request.Path);
        var ds = lease.Dataset;
        sink.Verbose($"{ds.Location}: {ds.Format}");
        return new JsonObject
        {
            ["location"] = ds.Location,
            ["format"] = ds.Format,
            ["root"] = Group(ds.Root),
        };
    }

    private static JsonObject Group(DatasetGroup g) => new()
    {
        ["name"] = g.Name,
        ["path"] = g.Path,
        ["dimensions"] = new JsonArray(g.Dimensions.Select(d => (JsonNode)new JsonObject { ["name"] = d.Name, ["length"] = d.Length, ["unlimited"] = d.IsUnlimited }).ToArray()),
        ["attributes"] = Attributes(g.Attributes),
        ["variables"] = new JsonArray(g.Variables.Select(v => (JsonNode)new JsonObject
        {
            ["name"] = v.Name,
            ["type"] = TypeName(v),
            ["dimensions"] = new JsonArray(v.Dimensions.Select(d => (JsonNode)d).ToArray()),
            ["shape"] = new JsonArray(v.Shape.Select(s => (JsonNode)s).ToArray()),
            ["chunking"] = v.ChunkShape is null ? "contiguous" : new JsonArray(v.ChunkShape.Select(c => (JsonNode)c).ToArray()),
            ["filters"] = new JsonArray(v.Filters.Select(f => (JsonNode)f).ToArray()),
            ["attributes"] = Attributes(v.Attributes),
        }).ToArray()),
        ["groups"] = new JsonArray(g.Groups.Select(x => (JsonNode)Group(x)).ToArray()),
    };

    private static JsonObject Attributes(IEnumerable<AttributeValue> attrs)
    {
        var o = new JsonObject();
        foreach (var a in attrs)
        {
            o[a.Name] = a.ToJson();
        }

        return o;
    }

    private static string TypeName(Variable v) => v.Kind switch
    {
        VariableKind.Char => "char",
        VariableKind.String => "string",
        _ => v.DataType.Name switch
        {
            // CDL's names, as ncdump prints them
            "int8" => "byte",
            "uint8" => "ubyte",
            "int16" => "short",
            "uint16" => "ushort",
            "int32" => "int",
            "uint32" => "uint",
            "float32" => "float",
            "float64" => "double",
            var other => other,
        },
    };

    /// <summary>The CDL-like text form.</summary>
    public static string Format(JsonObject info)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{info["location"]} ({info["format"]})");
        Write(sb, info["root"]!.AsObject(), "");
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, JsonObject g, string indent)
    {
        var dims = g["dimensions"]!.AsArray();
        if (dims.Count > 0)
        {
            sb.AppendLine(indent + "dimensions:");
            foreach (var d in dims)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t{d!["name"]} = {(d["unlimited"]!.GetValue<bool>() ? $"UNLIMITED ; // ({d["length"]} currently)" : $"{d["length"]} ;")}");
            }
        }

        var vars = g["variables"]!.AsArray();
        if (vars.Count > 0)
        {
            sb.AppendLine(indent + "variables:");
            foreach (var v in vars)
            {
                var vdims = string.Join(", ", v!["dimensions"]!.AsArray().Select(x => x!.ToString()));
                sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t{v["type"]} {v["name"]}{(vdims.Length > 0 ? $"({vdims})" : "")} ;");
                foreach (var (name, value) in v["attributes"]!.AsObject())
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t\t{v["name"]}:{name} = {value?.ToJsonString()} ;");
                }

                sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t\t{v["name"]}:_Storage = \"{(v["chunking"] is JsonArray ? "chunked" : "contiguous")}\" ;");
                if (v["chunking"] is JsonArray chunks)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t\t{v["name"]}:_ChunkSizes = {string.Join(", ", chunks.Select(c => c!.ToString()))} ;");
                }

                if (v["filters"]!.AsArray().Count > 0)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t\t{v["name"]}:_Filters = \"{string.Join(",", v["filters"]!.AsArray().Select(f => f!.ToString()))}\" ;");
                }
            }
        }

        var attrs = g["attributes"]!.AsObject();
        if (attrs.Count > 0)
        {
            sb.AppendLine(indent + (g["path"]!.ToString().Length == 0 ? "// global attributes:" : "// group attributes:"));
            foreach (var (name, value) in attrs)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t\t:{name} = {value?.ToJsonString()} ;");
            }
        }

        foreach (var sub in g["groups"]!.AsArray())
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}group: {sub!["name"]} {{");
            Write(sb, sub.AsObject(), indent + "  ");
            sb.AppendLine(indent + "}");
        }
    }
}
