using System.Text.Json.Nodes;
using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Engine.Operations;

/// <summary>One group of a described source: the dimensions defined in it, its attributes, variables and subgroups. The root's name and path are empty.</summary>
public sealed record SourceGroupInfo(
    string Name,
    string Path,
    IReadOnlyList<Dimension> Dimensions,
    IReadOnlyList<AttributeValue> Attributes,
    IReadOnlyList<SourceVariableInfo> Variables,
    IReadOnlyList<SourceGroupInfo> Groups)
{
    /// <summary>This group, then each subgroup followed by its own subgroups, in file order.</summary>
    public IEnumerable<SourceGroupInfo> WithSubgroups() => Groups.SelectMany(g => g.WithSubgroups()).Prepend(this);

    /// <summary>The group's attributes as JSON text.</summary>
    public string AttributesJson() => SourceInfo.ToJson(Attributes).ToJsonString();

    internal JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["path"] = Path,
        ["dimensions"] = new JsonArray(Dimensions.Select(d => (JsonNode)new JsonObject { ["name"] = d.Name, ["length"] = d.Length, ["unlimited"] = d.IsUnlimited }).ToArray()),
        ["attributes"] = SourceInfo.ToJson(Attributes),
        ["variables"] = new JsonArray(Variables.Select(v => (JsonNode)v.ToJson()).ToArray()),
        ["groups"] = new JsonArray(Groups.Select(g => (JsonNode)g.ToJson()).ToArray()),
    };
}
