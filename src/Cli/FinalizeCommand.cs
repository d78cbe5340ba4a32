using System.CommandLine;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Planning;

namespace ZarrPartition.Cli;

internal static class FinalizeCommand
{
    public static Command Create(CancellationToken token)
    {
        var store = new Option<string>("--store") { Description = "The store to finish.", Required = true };
        var plan = new Option<string?>("--plan") { Description = "The plan, to check that every partition of it is complete." };
        var force = new Option<bool>("--force") { Description = "Finalize even with incomplete partitions." };
        var whatIf = new Option<bool>("--what-if") { Description = "Say what would be done and do nothing." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Say what is being done." };
        var cmd = new Command("finalize", "Consolidate a written store's metadata, remove stale temporary files and mark it complete; refuses while partitions are incomplete.")
        {
            store, plan, force, whatIf, verbose,
        };
        cmd.SetAction(r => Program.Guard(() =>
        {
            var sink = new ConsoleSink(token, r.GetValue(verbose), jsonProgress: false, r.GetValue(whatIf));
            var result = CompleteStore.Run(new CompleteStore.Request(r.GetValue(store)!, r.GetValue(plan) is { } p ? PartitionPlan.Load(p) : null, r.GetValue(force)), sink);
            if (result.Performed)
            {
                Console.Out.WriteLine($"Finalized {result.Store}{(result.WasFinalized ? " (again; it was finalized before)" : "")}: {result.Partitions} partition(s), metadata consolidated, {result.RemovedTemporaries} temporary file(s) removed.");
            }

            return 0;
        }));
        return cmd;
    }
}
