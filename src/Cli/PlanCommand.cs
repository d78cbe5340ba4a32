using System.CommandLine;
using System.Globalization;
using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Cli;

internal static class PlanCommand
{
    public static Command Create(CancellationToken token)
    {
        var store = new Option<string>("--store") { Description = "The store (made by 'template') to plan writes into.", Required = true };
        var dims = new Option<string?>("--dims") { Description = "Dimensions to split along, in order of preference, e.g. time,lat (default: the time dimension)." };
        var ranks = new Option<int>("--ranks") { Description = "Number of workers: at most this many partitions per chunking." };
        var maxMemory = new Option<string?>("--max-memory") { Description = "A worker's memory, e.g. 2GB: sizes partitions (without --ranks) and each writer's threads." };
        var sources = new Option<string[]>("--sources") { Description = "Source files to place on the store's time axis; each partition lists the files and slabs it reads.", AllowMultipleArgumentsPerToken = true };
        var strategy = new Option<string?>("--strategy") { Description = "balanced (default: the split that minimises the largest partition) or xpartition (xpartition's regions)." };
        var variables = new Option<string?>("--variables") { Description = "Only these data variables (comma-separated)." };
        var threads = new Option<int>("--threads") { Description = "Threads per writer (default: all cores, or what --max-memory allows)." };
        var incomplete = new Option<bool>("--incomplete") { Description = "Plan only partitions with chunks the store's journals do not record as written (after failures)." };
        var output = new Option<string?>("--output", "-o") { Description = "Write the plan JSON to this file (default: standard output)." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Say what is being decided." };
        var cmd = new Command("plan", "Split a store's chunks into partitions that independent workers (threads, processes, SLURM array tasks) write with no locks.")
        {
            store, dims, ranks, maxMemory, sources, strategy, variables, threads, incomplete, output, verbose,
        };
        cmd.SetAction(r => Program.Guard(() =>
        {
            var sink = new ConsoleSink(token, r.GetValue(verbose), jsonProgress: false);
            var request = new PlanPartitions.Request(
                r.GetValue(store)!,
                TemplateCommand.Names(r.GetValue(dims)),
                r.GetValue(ranks),
                ByteSize.Parse(r.GetValue(maxMemory), 0, "--max-memory"),
                r.GetValue(sources) is { Length: > 0 } s ? s : null,
                r.GetValue(strategy),
                TemplateCommand.Names(r.GetValue(variables)),
                r.GetValue(threads),
                Incomplete: r.GetValue(incomplete));
            var plan = PlanPartitions.Run(request, sink);
            if (r.GetValue(output) is { } path)
            {
                var full = Path.GetFullPath(path);
                plan.Save(full);
                long chunks = plan.Partitions.Sum(p => p.Chunks);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Planned {plan.Partitions.Count} partition(s) ({plan.Strategy}, {plan.Ranks} rank(s), along {string.Join(",", plan.Dims)}): {chunks} chunks, {ByteSize.Format(plan.Partitions.Sum(p => p.EstimatedBytes))}, largest partition {plan.Partitions.Select(p => p.Chunks).DefaultIfEmpty(0).Max()} chunks. Wrote {full}."));
            }
            else
            {
                Console.Out.WriteLine(plan.ToJsonText());
            }

            return 0;
        }));
        return cmd;
    }
}
