using System.Text.Json.Nodes;

namespace ZarrPartition.Engine.Operations;

/// <summary>What <see cref="DescribeStore"/> found: the store, its groups and arrays.</summary>
public sealed record StoreInfo(string Location, int ZarrFormat, bool Consolidated, string[] Groups, string AttributesJson, ArrayInfo[] Arrays)
{
    public JsonObject ToJson()
    {
        var arrays = new JsonArray();
        foreach (var a in Arrays)
        {
            arrays.Add(new JsonObject
            {
                ["path"] = a.Path,
                ["shape"] = new JsonArray(a.Shape.Select(s => (JsonNode)s).ToArray()),
                ["chunks"] = new JsonArray(a.Chunks.Select(s => (JsonNode)s).ToArray()),
                ["shards"] = a.Shards is null ? null : new JsonArray(a.Shards.Select(s => (JsonNode)s).ToArray()),
                ["dataType"] = a.DataType,
                ["codecs"] = a.Codecs,
                ["fillValue"] = JsonNode.Parse(a.FillValue),
                ["dimensionNames"] = new JsonArray(a.DimensionNames.Select(d => (JsonNode?)d).ToArray()),
                ["attributes"] = JsonNode.Parse(a.AttributesJson),
                ["chunkCount"] = a.ChunkCount,
                ["chunksPresent"] = a.ChunksPresent,
            });
        }

        return new JsonObject
        {
            ["location"] = Location,
            ["zarrFormat"] = ZarrFormat,
            ["consolidated"] = Consolidated,
            ["groups"] = new JsonArray(Groups.Select(g => (JsonNode)g).ToArray()),
            ["attributes"] = JsonNode.Parse(AttributesJson),
            ["arrays"] = arrays,
        };
    }
}
