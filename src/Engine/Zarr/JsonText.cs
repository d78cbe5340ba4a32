using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ZarrPartition.Engine.Zarr;

/// <summary>How we write metadata JSON: indented, UTF-8, non-ASCII kept as is.</summary>
public static class JsonText
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, Options);

    public static string ToText(JsonNode node) => node.ToJsonString(Options);
}
