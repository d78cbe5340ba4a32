using System.Globalization;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Finishes a store once every partition is complete: consolidates its metadata, removes stale
/// temporary files, and records completion (.zarrpartition/complete.json). Refuses while partitions are
/// incomplete unless forced.
/// </summary>
public static class CompleteStore
{
    public const string MarkerKey = ".zarrpartition/complete.json";

    public sealed record Request(string Store, PartitionPlan? Plan = null, bool Force = false);

    public sealed record Result(string Store, bool Performed, int Partitions, int RemovedTemporaries, IReadOnlyList<int> Incomplete, bool WasFinalized = false);

    public static Result Run(Request request, IOperationSink sink)
    {
        var status = TestStore.Run(new TestStore.Request(request.Store, request.Plan), sink);
        var incomplete = status.IncompletePartitions;
        if (status.Partitions == 0 && !request.Force)
        {
            throw new ZarrPartitionException("NothingWritten", ErrorKind.InvalidArgument, status.Store,
                $"No partition of '{status.Store}' has been written (no journals). Give --plan to check against the plan, write the partitions first, or add --force.");
        }

        if (incomplete.Count > 0 && !request.Force)
        {
            var named = status.PartitionStates.Where(p => !p.IsComplete).Take(10)
                .Select(p => $"{p.Index} ({p.State.ToString().ToLowerInvariant()}{(p.ErrorId is null ? "" : ": " + p.ErrorId)})");
            throw new ZarrPartitionException("PartitionsIncomplete", ErrorKind.InvalidArgument, status.Store,
                $"{incomplete.Count} of {status.Partitions} partition(s) are not complete: {string.Join(", ", named)}{(incomplete.Count > 10 ? ", …" : "")}. Write them (rerun 'write' for those ranks, or plan again with --incomplete), or add --force to finalize anyway.");
        }

        if (incomplete.Count > 0)
        {
            sink.Warning($"Finalizing with {incomplete.Count} incomplete partition(s) (--force): their chunks read as the fill value.");
        }

        if (status.Finalized)
        {
            sink.Verbose($"'{status.Store}' was finalized before; consolidating again.");
        }

        if (!sink.ShouldProcess(status.Store, "Consolidate metadata, remove stale temporary files and mark the store complete"))
        {
            return new Result(status.Store, false, status.Partitions, 0, incomplete);
        }

        var store = new FileSystemStore(status.Store);
        bool anyRunning = status.PartitionStates.Any(p => p.State == Writing.PartitionState.Running && p.ProcessAlive != false);
        int removed = store.RemoveStaleTemporaries(anyRunning ? TestStore.StaleAge : TimeSpan.Zero);
        ZarrHierarchy.Consolidate(store);
        var marker = new JsonObject
        {
            ["finalized"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            ["partitions"] = status.Partitions,
            ["incomplete"] = new JsonArray(incomplete.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
            ["forced"] = incomplete.Count > 0,
        };
        store.Set(MarkerKey, JsonText.Serialize(marker));
        sink.Verbose($"Consolidated metadata, removed {removed} temporary file(s).");
        return new Result(status.Store, true, status.Partitions, removed, incomplete, status.Finalized);
    }
}
