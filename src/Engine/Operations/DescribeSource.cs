using System.Globalization;
using System.Text;
using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Describes a NetCDF/HDF5 file (or any source) as <c>ncdump -hs</c> would: dimensions, variables with
/// type, dimensions, chunking and filters, and attributes, per group, as a <see cref="SourceInfo"/>
/// (<see cref="SourceInfo.ToJson"/> for JSON, <see cref="Format"/> for text).
/// </summary>
public static class DescribeSource
{
    public sealed record Request(string Path);

    public static SourceInfo Run(Request request, IOperationSink sink, SourceCache? cache = null)
    {
        using var lease = (cache ?? SourceCache.Shared).Acquire(request.Path);
        var ds = lease.Dataset;
        sink.Verbose($"{ds.Location}: {ds.Format}");
        return new SourceInfo(ds.Location, ds.Format, Group(ds.Root));
    }

    private static SourceGroupInfo Group(DatasetGroup g) => new(
        g.Name,
        g.Path,
        [.. g.Dimensions],
        [.. g.Attributes],
        [.. g.Variables.Select(v => new SourceVariableInfo(v.Name, TypeName(v), [.. v.Dimensions], [.. v.Shape], v.ChunkShape is null ? null : [.. v.ChunkShape], [.. v.Filters], [.. v.Attributes]))],
        [.. g.Groups.Select(Group)]);

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
    public static string Format(SourceInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"{info.Location} ({info.Format})");
        Write(sb, info.Root, "");
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, SourceGroupInfo g, string indent)
    {
        if (g.Dimensions.Count > 0)
        {
            sb.AppendLine(indent + "dimensions:");
            foreach (var d in g.Dimensions)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t{d.Name} = {(d.IsUnlimited ? $"UNLIMITED ; // ({d.Length} currently)" : $"{d.Length} ;")}");
            }
        }

        if (g.Variables.Count > 0)
        {
            sb.AppendLine(indent + "variables:");
            foreach (var v in g.Variables)
            {
                var vdims = string.Join(", ", v.Dimensions);
                sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t{v.Type} {v.Name}{(vdims.Length > 0 ? $"({vdims})" : "")} ;");
                foreach (var a in v.Attributes)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t\t{v.Name}:{a.Name} = {a.ToJson()?.ToJsonString()} ;");
                }

                sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t\t{v.Name}:_Storage = \"{(v.ChunkShape is null ? "contiguous" : "chunked")}\" ;");
                if (v.ChunkShape is { } chunks)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t\t{v.Name}:_ChunkSizes = {string.Join(", ", chunks)} ;");
                }

                if (v.Filters.Count > 0)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t\t{v.Name}:_Filters = \"{string.Join(",", v.Filters)}\" ;");
                }
            }
        }

        if (g.Attributes.Count > 0)
        {
            sb.AppendLine(indent + (g.Path.Length == 0 ? "// global attributes:" : "// group attributes:"));
            foreach (var a in g.Attributes)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}\t\t:{a.Name} = {a.ToJson()?.ToJsonString()} ;");
            }
        }

        foreach (var sub in g.Groups)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"{indent}group: {sub.Name} {{");
            Write(sb, sub, indent + "  ");
            sb.AppendLine(indent + "}");
        }
    }
}
