using System.Text.Json.Nodes;

namespace ZarrPartition.Engine.Operations;

/// <summary>What <see cref="MeasureArray"/> found: the store and each measured array's statistics.</summary>
public sealed record StoreStatistics(string Store, ArrayStatistics[] Variables)
{
    /// <summary>{"store", "variables": [{"name", "count", "missing", "min", "max", "mean", "std"}]}; NaN as null.</summary>
    public JsonObject ToJson() => new()
    {
        ["store"] = Store,
        ["variables"] = new JsonArray(Variables.Select(v => (JsonNode)new JsonObject
        {
            ["name"] = v.Name,
            ["count"] = v.Count,
            ["missing"] = v.Missing,
            ["min"] = Number(v.Min),
            ["max"] = Number(v.Max),
            ["mean"] = Number(v.Mean),
            ["std"] = Number(v.Std),
        }).ToArray()),
    };

    private static JsonNode? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
