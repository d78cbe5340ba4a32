using System.CommandLine;
using System.Text.Json;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Planning;

namespace ZarrPartition.Cli;

internal static class StatusCommand
{
    public static Command Create(CancellationToken token)
    {
        var store = new Option<string>("--store") { Description = "The store being written.", Required = true };
        var plan = new Option<string?>("--plan") { Description = "The plan: partitions never started are reported too." };
        var json = new Option<bool>("--json") { Description = "The status as JSON (top-level boolean 'complete')." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Say more." };
        var cmd = new Command("status", "Report a store's partitions: complete, running (or whose writer is gone), failed, interrupted, never started. Exit 0 when complete, 1 otherwise.")
        {
            store, plan, json, verbose,
        };
        cmd.SetAction(r => Program.Guard(() =>
        {
            var sink = new ConsoleSink(token, r.GetValue(verbose), jsonProgress: false);
            var status = TestStore.Run(new TestStore.Request(r.GetValue(store)!, r.GetValue(plan) is { } p ? PartitionPlan.Load(p) : null), sink);
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    store = status.Store,
                    complete = status.Complete,
                    finalized = status.Finalized,
                    partitions = status.Partitions,
                    completePartitions = status.CompletePartitions,
                    states = status.PartitionStates.Select(s => new
                    {
                        index = s.Index,
                        state = s.State.ToString().ToLowerInvariant(),
                        chunks = s.Chunks,
                        chunksWritten = s.ChunksWritten,
                        chunksMissing = s.ChunksMissing,
                        processAlive = s.ProcessAlive,
                        host = s.Host,
                        errorId = s.ErrorId,
                        error = s.Error,
                        variables = s.Variables,
                    }),
                    gaps = status.Gaps,
                    staleTemporaries = status.StaleTemporaries,
                }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                Console.Out.WriteLine($"{status.Store}: {status.CompletePartitions} of {status.Partitions} partition(s) complete{(status.Finalized ? ", finalized" : "")}.");
                foreach (var s in status.PartitionStates.Where(s => !s.IsComplete))
                {
                    var state = s.State.ToString().ToLowerInvariant();
                    if (s.ProcessAlive == false)
                    {
                        state += " (writer gone)";
                    }

                    Console.Out.WriteLine($"  partition {s.Index}: {state}, {s.ChunksWritten} of {s.Chunks} chunks{(s.ErrorId is null ? "" : $"; {s.ErrorId}: {s.Error}")}");
                }

                foreach (var g in status.Gaps)
                {
                    Console.Out.WriteLine("  " + g);
                }

                if (status.StaleTemporaries.Count > 0)
                {
                    Console.Out.WriteLine($"  {status.StaleTemporaries.Count} stale temporary file(s); finalize removes them.");
                }
            }

            return status.Complete ? 0 : 1;
        }));
        return cmd;
    }
}
