using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Zarr;

/// <summary>A group: its format and attributes (v2 .zgroup + .zattrs; v3 zarr.json).</summary>
public sealed record GroupMetadata(int ZarrFormat, JsonObject Attributes)
{
    public JsonObject ToV3Json() => new()
    {
        ["zarr_format"] = 3,
        ["node_type"] = "group",
        ["attributes"] = Attributes.DeepClone(),
    };

    public static GroupMetadata ParseV3(JsonNode doc, string key)
    {
        if (doc is not JsonObject o || o["zarr_format"]?.GetValueKind() != JsonValueKind.Number || o["zarr_format"]!.GetValue<int>() != 3 || o["node_type"]?.ToString() != "group")
        {
            throw new MetadataException(key, "is not a Zarr v3 group document (zarr_format 3, node_type \"group\").");
        }

        foreach (var kv in o)
        {
            if (kv.Key is not ("zarr_format" or "node_type" or "attributes" or "consolidated_metadata")
                && !(kv.Value is JsonObject ext && ext["must_understand"]?.GetValueKind() == JsonValueKind.False))
            {
                throw new MetadataException(key, $"unknown field '{kv.Key}' without \"must_understand\": false.", "UnknownField", ErrorKind.NotSupported);
            }
        }

        return new GroupMetadata(3, o["attributes"] as JsonObject is { } a ? (JsonObject)a.DeepClone() : new JsonObject());
    }

    public static GroupMetadata ParseV2(JsonNode zgroup, JsonNode? zattrs, string key)
    {
        if (zgroup is not JsonObject o || o["zarr_format"]?.GetValueKind() != JsonValueKind.Number || o["zarr_format"]!.GetValue<int>() != 2)
        {
            throw new MetadataException(key, "is not a Zarr v2 group document ({\"zarr_format\": 2}).");
        }

        if (zattrs is not null and not JsonObject)
        {
            throw new MetadataException(key, ".zattrs must be a JSON object.");
        }

        return new GroupMetadata(2, zattrs is JsonObject a ? (JsonObject)a.DeepClone() : new JsonObject());
    }
}
