using System.Text.Json.Nodes;
using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Engine.Operations;

/// <summary>What <see cref="DescribeSource"/> found in a NetCDF/HDF5 file: its format and its groups, from the root.</summary>
public sealed record SourceInfo(string Location, string Format, SourceGroupInfo Root)
{
    /// <summary>Every group: the root, then each group followed by its subgroups, in file order.</summary>
    public IEnumerable<SourceGroupInfo> Groups() => Root.WithSubgroups();

    /// <summary>The JSON form ('zarrpartition info --json').</summary>
    public JsonObject ToJson() => new()
    {
        ["location"] = Location,
        ["format"] = Format,
        ["root"] = Root.ToJson(),
    };

    /// <summary>Attributes as one JSON object, each value as xarray/zarr store it.</summary>
    internal static JsonObject ToJson(IEnumerable<AttributeValue> attributes)
    {
        var o = new JsonObject();
        foreach (var a in attributes)
        {
            o[a.Name] = a.ToJson();
        }

        return o;
    }
}
