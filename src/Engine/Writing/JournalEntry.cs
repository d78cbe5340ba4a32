using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Writing;

/// <summary>
/// One partition's journal (per plan), kept in the store's hidden .zarrpartition/journal folder (which Zarr readers
/// ignore) and rewritten atomically: its state, the plan it belongs to, the chunks written with a CRC-32C
/// of each chunk's data, bytes, the host and process of the writer, times, and the error that stopped it.
/// Completeness is told by the journal, not by which chunk files exist (all-fill chunks are not written).
/// </summary>
public sealed record JournalEntry(
    int Index,
    int Count,
    string PlanId,
    PartitionState State,
    long Chunks,
    IReadOnlyDictionary<string, string> Written,
    long Bytes,
    long SkippedEmpty,
    string Host,
    int ProcessId,
    string Started,
    string Updated,
    string? Finished,
    string? ErrorId,
    string? ErrorMessage)
{
    public const string Folder = ".zarrpartition/journal";

    /// <summary>A journal per partition and plan: a new plan never reads or overwrites another plan's journals.</summary>
    public static string KeyFor(int index, string planId) => string.Create(CultureInfo.InvariantCulture, $"{Folder}/partition-{index:D6}-{planId}.json");

    public long ChunksWritten => Written.Count;

    public void Write(IStore store)
    {
        var written = new JsonObject();
        foreach (var (k, v) in Written.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            written[k] = v;
        }

        var doc = new JsonObject
        {
            ["version"] = 1,
            ["index"] = Index,
            ["count"] = Count,
            ["planId"] = PlanId,
            ["state"] = State.ToString().ToLowerInvariant(),
            ["chunks"] = Chunks,
            ["chunksWritten"] = Written.Count,
            ["bytes"] = Bytes,
            ["skippedEmpty"] = SkippedEmpty,
            ["host"] = Host,
            ["pid"] = ProcessId,
            ["started"] = Started,
            ["updated"] = Updated,
            ["finished"] = Finished,
            ["error"] = ErrorId is null ? null : new JsonObject { ["id"] = ErrorId, ["message"] = ErrorMessage },
            ["written"] = written,
        };
        store.Set(KeyFor(Index, PlanId), JsonText.Serialize(doc));
    }

    public static JournalEntry? Read(IStore store, int index, string planId) => store.Get(KeyFor(index, planId)) is { } bytes ? Parse(bytes, KeyFor(index, planId)) : null;

    /// <summary>Every journal in the store (of every plan), ordered by partition index.</summary>
    public static List<JournalEntry> ReadAll(IStore store)
    {
        var all = new List<JournalEntry>();
        foreach (var key in store.List(Folder + "/"))
        {
            var name = Path.GetFileName(key);
            if (!name.StartsWith("partition-", StringComparison.Ordinal) || !name.EndsWith(".json", StringComparison.Ordinal) || FileSystemStore.IsTemporary(name))
            {
                continue;
            }

            if (store.Get(key) is { } bytes)
            {
                all.Add(Parse(bytes, key));
            }
        }

        return all.OrderBy(j => j.Index).ThenBy(j => j.Started, StringComparer.Ordinal).ToList();
    }

    private static JournalEntry Parse(byte[] bytes, string key)
    {
        try
        {
            var d = JsonNode.Parse(bytes)!.AsObject();
            var written = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (k, v) in d["written"]?.AsObject() ?? [])
            {
                written[k] = v!.GetValue<string>();
            }

            return new JournalEntry(
                d["index"]!.GetValue<int>(),
                d["count"]!.GetValue<int>(),
                d["planId"]?.GetValue<string>() ?? "",
                Enum.Parse<PartitionState>(d["state"]!.GetValue<string>(), ignoreCase: true),
                d["chunks"]?.GetValue<long>() ?? 0,
                written,
                d["bytes"]?.GetValue<long>() ?? 0,
                d["skippedEmpty"]?.GetValue<long>() ?? 0,
                d["host"]?.GetValue<string>() ?? "",
                d["pid"]?.GetValue<int>() ?? 0,
                d["started"]?.GetValue<string>() ?? "",
                d["updated"]?.GetValue<string>() ?? "",
                d["finished"]?.GetValue<string>(),
                d["error"]?["id"]?.GetValue<string>(),
                d["error"]?["message"]?.GetValue<string>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or ArgumentException or FormatException)
        {
            throw new StoreException("DamagedJournal", ErrorKind.InvalidData, key,
                $"The journal '{key}' is damaged ({e.Message}). Delete it and rerun the partition with --overwrite.");
        }
    }

    /// <summary>Whether the writer that holds this journal is still alive (only knowable on its own host).</summary>
    public bool? ProcessAlive()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.Ordinal) || ProcessId <= 0)
        {
            return null;
        }

        if (ProcessId == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(ProcessId);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
