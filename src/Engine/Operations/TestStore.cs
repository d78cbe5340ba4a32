using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Writing;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Reports a store's progress from its partition journals: complete, running (and whether the writer
/// is gone), failed (with the error), interrupted, never started; chunks missing; the plan's gaps;
/// stale temporary files. Reads only.
/// </summary>
public static class TestStore
{
    public sealed record Request(string Store, PartitionPlan? Plan = null);

    /// <summary>Temporary files younger than this may belong to a live writer and are not called stale.</summary>
    public static readonly TimeSpan StaleAge = TimeSpan.FromMinutes(10);

    public static StoreStatus Run(Request request, IOperationSink sink)
    {
        var path = Path.GetFullPath(request.Store);
        if (!Directory.Exists(path) || !ZarrHierarchy.IsZarr(new FileSystemStore(path)))
        {
            throw new ZarrPartitionException("StoreNotFound", ErrorKind.ObjectNotFound, path, $"'{path}' is not a Zarr store.");
        }

        var store = new FileSystemStore(path);
        var journals = JournalEntry.ReadAll(store);
        var states = new List<PartitionStatus>();
        if (request.Plan is { } plan)
        {
            if (!string.Equals(Path.GetFullPath(plan.Store), path, StringComparison.Ordinal))
            {
                throw new ZarrPartitionException("PlanForAnotherStore", ErrorKind.InvalidArgument, path, $"The plan is for '{plan.Store}', not '{path}'.");
            }

            foreach (var p in plan.Partitions)
            {
                var id = WritePartition.PartitionId(plan, p);
                states.Add(journals.FirstOrDefault(j => j.Index == p.Index && j.PlanId == id) is { } j
                    ? From(j, p.Variables)
                    : new PartitionStatus(p.Index, PartitionState.NotStarted, p.Chunks, 0, null, null, null, null, p.Variables));
            }
        }
        else
        {
            states.AddRange(journals.Select(j => From(j, [])));
        }

        foreach (var s in states.Where(s => s.State == PartitionState.Running && s.ProcessAlive == false))
        {
            sink.Verbose($"Partition {s.Index} says running, but its writer (on {s.Host}) is gone: it is incomplete and will resume when run again.");
        }

        var gaps = request.Plan?.Warnings.Where(w => w.StartsWith("Gap:", StringComparison.Ordinal)).ToList() ?? [];
        var stale = store.ListStaleTemporaries(StaleAge).ToList();
        int complete = states.Count(s => s.IsComplete);
        bool finalized = store.Exists(CompleteStore.MarkerKey);
        return new StoreStatus(path, states.Count > 0 && complete == states.Count, finalized, states.Count, complete, states, gaps, stale);
    }

    private static PartitionStatus From(JournalEntry j, IReadOnlyList<string> variables) =>
        new(j.Index, j.State, j.Chunks, j.ChunksWritten, j.State == PartitionState.Running ? j.ProcessAlive() : null, j.Host, j.ErrorId, j.ErrorMessage, variables);
}
