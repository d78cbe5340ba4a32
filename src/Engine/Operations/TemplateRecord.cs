using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// What the template wrote, kept inside the store in the hidden folder every Zarr reader ignores
/// (.zarrpartition/template.json): the time dimension and the coordinates the template owns, so that
/// planning never hands a coordinate to a partition.
/// </summary>
public sealed record TemplateRecord(string? TimeDimension, IReadOnlyList<string> Coordinates, long TimeSteps, string Created)
{
    public const string Folder = ".zarrpartition";

    public const string Key = Folder + "/template.json";

    public void Write(IStore store)
    {
        var doc = new JsonObject
        {
            ["version"] = 1,
            ["timeDimension"] = TimeDimension,
            ["coordinates"] = new JsonArray(Coordinates.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["timeSteps"] = TimeSteps,
            ["created"] = Created,
        };
        store.Set(Key, JsonText.Serialize(doc));
    }

    /// <summary>The record of a store made by our template; null for any other store.</summary>
    public static TemplateRecord? Read(IStore store)
    {
        if (store.Get(Key) is not { } bytes)
        {
            return null;
        }

        try
        {
            var doc = JsonNode.Parse(bytes)!.AsObject();
            return new TemplateRecord(
                doc["timeDimension"]?.GetValue<string>(),
                doc["coordinates"]?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [],
                doc["timeSteps"]?.GetValue<long>() ?? 0,
                doc["created"]?.GetValue<string>() ?? "");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new Errors.StoreException("DamagedTemplateRecord", Errors.ErrorKind.InvalidData, Key,
                $"'{Key}' in '{store.Location}' is damaged ({e.Message}). Re-create the template with --force, or delete the file to plan from the store's metadata alone.");
        }
    }
}
