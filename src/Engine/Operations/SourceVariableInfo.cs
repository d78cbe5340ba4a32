using System.Text.Json.Nodes;
using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Engine.Operations;

/// <summary>One variable of a described source: its CDL type name (as ncdump prints it), dimensions, shape, chunk shape (null when contiguous), filters and attributes.</summary>
public sealed record SourceVariableInfo(
    string Name,
    string Type,
    IReadOnlyList<string> Dimensions,
    IReadOnlyList<long> Shape,
    IReadOnlyList<int>? ChunkShape,
    IReadOnlyList<string> Filters,
    IReadOnlyList<AttributeValue> Attributes)
{
    /// <summary>The variable's attributes as JSON text.</summary>
    public string AttributesJson() => SourceInfo.ToJson(Attributes).ToJsonString();

    internal JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["dimensions"] = new JsonArray(Dimensions.Select(d => (JsonNode)d).ToArray()),
        ["shape"] = new JsonArray(Shape.Select(s => (JsonNode)s).ToArray()),
        ["chunking"] = ChunkShape is null ? "contiguous" : new JsonArray(ChunkShape.Select(c => (JsonNode)c).ToArray()),
        ["filters"] = new JsonArray(Filters.Select(f => (JsonNode)f).ToArray()),
        ["attributes"] = SourceInfo.ToJson(Attributes),
    };
}
