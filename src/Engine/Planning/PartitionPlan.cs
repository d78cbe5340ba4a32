using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Planning;

/// <summary>
/// A plan: the store, the partitions that together own every chunk of every data variable exactly once,
/// and the advice found while planning. Its JSON form is a stable contract read by <c>write</c> and by
/// SLURM tasks: <c>{"store", "strategy", "ranks", "dims", "timeDimension", "partitions": [{"index",
/// "count", "region": {"time": [0, 96], …}, "variables", "chunks", "estimatedBytes", "threads",
/// "peakMemoryBytes", "sources": [{"path", "slab": {"time": [0, 24]}, "target": {"time": [96, 120]}}]}],
/// "warnings"}</c>; regions are half-open and list every dimension of the partition's variables; a
/// source's target is where its slab lands in the store.
/// </summary>
public sealed record PartitionPlan(
    string Store,
    string Strategy,
    int Ranks,
    IReadOnlyList<string> Dims,
    string? TimeDimension,
    IReadOnlyList<Partition> Partitions,
    IReadOnlyList<string> Warnings)
{
    public const int FormatVersion = 1;

    public JsonObject ToJson()
    {
        var parts = new JsonArray();
        foreach (var p in Partitions)
        {
            parts.Add(new JsonObject
            {
                ["index"] = p.Index,
                ["count"] = p.Count,
                ["region"] = Ranges(p.Region),
                ["variables"] = Strings(p.Variables),
                ["chunks"] = p.Chunks,
                ["estimatedBytes"] = p.EstimatedBytes,
                ["threads"] = p.Threads,
                ["peakMemoryBytes"] = p.PeakMemoryBytes,
                ["sources"] = new JsonArray(p.Sources.Select(s => (JsonNode)new JsonObject { ["path"] = s.Path, ["slab"] = Ranges(s.Slab), ["target"] = Ranges(s.Target) }).ToArray()),
            });
        }

        return new JsonObject
        {
            ["version"] = FormatVersion,
            ["store"] = Store,
            ["strategy"] = Strategy,
            ["ranks"] = Ranks,
            ["dims"] = Strings(Dims),
            ["timeDimension"] = TimeDimension,
            ["partitions"] = parts,
            ["warnings"] = Strings(Warnings),
        };
    }

    public string ToJsonText() => ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>
    /// Writes the plan file atomically (a hidden temporary file beside it, then a rename), so a reader never
    /// sees half a plan; a path that is a folder is refused.
    /// </summary>
    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new ZarrPartitionException("PlanPathIsFolder", ErrorKind.InvalidArgument, full, $"The plan path '{full}' is a folder; give a file name such as plan.json.");
        }

        var temp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".zptmp");
        try
        {
            File.WriteAllText(temp, ToJsonText() + Environment.NewLine);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            throw new ZarrPartitionException("PlanNotWritten", ErrorKind.WriteError, full, $"Cannot write the plan '{full}': {e.Message}");
        }
    }

    /// <summary>Reads a plan file; a damaged or foreign file is an error that says so.</summary>
    public static PartitionPlan Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ZarrPartitionException("PlanNotReadable", ErrorKind.ObjectNotFound, path, $"Cannot read the plan '{path}': {e.Message}");
        }

        return Parse(text, path);
    }

    public static PartitionPlan Parse(string text, string origin)
    {
        try
        {
            var doc = JsonNode.Parse(text)!.AsObject();
            int version = doc["version"]?.GetValue<int>() ?? FormatVersion;
            if (version > FormatVersion)
            {
                throw Bad($"it is plan format {version}, newer than this zarrpartition understands ({FormatVersion}); upgrade zarrpartition");
            }

            var partitions = doc["partitions"]!.AsArray().Select(n =>
            {
                var p = n!.AsObject();
                return new Partition(
                    p["index"]!.GetValue<int>(),
                    p["count"]!.GetValue<int>(),
                    ReadRanges(p["region"]),
                    p["variables"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray(),
                    p["chunks"]?.GetValue<long>() ?? 0,
                    p["estimatedBytes"]?.GetValue<long>() ?? 0,
                    p["threads"]?.GetValue<int>() ?? 0,
                    p["peakMemoryBytes"]?.GetValue<long>() ?? 0,
                    p["sources"]?.AsArray().Select(s => new PartitionSource(s!["path"]!.GetValue<string>(), ReadRanges(s["slab"]), ReadRanges(s["target"]))).ToArray() ?? []);
            }).ToArray();
            return new PartitionPlan(
                doc["store"]!.GetValue<string>(),
                doc["strategy"]?.GetValue<string>() ?? "balanced",
                doc["ranks"]?.GetValue<int>() ?? partitions.Length,
                doc["dims"]?.AsArray().Select(v => v!.GetValue<string>()).ToArray() ?? [],
                doc["timeDimension"]?.GetValue<string>(),
                partitions,
                doc["warnings"]?.AsArray().Select(v => v!.GetValue<string>()).ToArray() ?? []);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException or KeyNotFoundException)
        {
            throw Bad($"{e.Message}");
        }

        ZarrPartitionException Bad(string why) =>
            new("InvalidPlan", ErrorKind.InvalidData, origin, $"The plan '{origin}' is not a valid zarrpartition plan: {why}. Make a new one with 'zarrpartition plan'.");
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonObject Ranges(IReadOnlyDictionary<string, long[]> ranges)
    {
        var o = new JsonObject();
        foreach (var (k, v) in ranges)
        {
            o[k] = new JsonArray(v.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
        }

        return o;
    }

    private static Dictionary<string, long[]> ReadRanges(JsonNode? node)
    {
        var map = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var (k, v) in node?.AsObject() ?? [])
        {
            var r = v!.AsArray().Select(x => x!.GetValue<long>()).ToArray();
            if (r.Length != 2 || r[0] < 0 || r[1] < r[0])
            {
                throw new FormatException($"range '{k}' must be [start, stop] with 0 <= start <= stop");
            }

            map[k] = r;
        }

        return map;
    }
}
