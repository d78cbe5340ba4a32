using System.CommandLine;
using System.Globalization;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Planning;

namespace ZarrPartition.Cli;

internal static class WriteCommand
{
    public static Command Create(CancellationToken token)
    {
        var plan = new Option<string>("--plan") { Description = "The plan file made by 'plan'.", Required = true };
        var rank = new Option<int?>("--rank") { Description = "The partition to write (default: SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX)." };
        var threads = new Option<int>("--threads") { Description = "Chunks encoded at once (default: the plan's, at most SLURM_CPUS_PER_TASK when set, else all cores)." };
        var maxMemory = new Option<string?>("--max-memory") { Description = "Keep this writer's memory under this, e.g. 2GB (limits its threads)." };
        var retries = new Option<int>("--retries") { Description = "Retries of a failed chunk write, with exponential backoff (default 3).", DefaultValueFactory = _ => 3 };
        var verify = new Option<bool>("--verify") { Description = "Read every chunk back and compare it with what was written." };
        var overwrite = new Option<bool>("--overwrite") { Description = "Write a complete partition again (otherwise a no-op)." };
        var writeEmpty = new Option<bool>("--write-empty-chunks") { Description = "Also write chunks that are entirely fill (default: skip them; the journal records completeness)." };
        var outOfRange = new Option<string?>("--out-of-range") { Description = "For packed variables, values outside the packing range: error (default) or clip (with a warning)." };
        var json = new Option<bool>("--json") { Description = "Progress as JSON lines on stderr, the result as JSON on stdout." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Say what is being done." };
        var cmd = new Command("write", "Write one partition of a plan: whole chunks, atomically, resumable, journaled in the store.")
        {
            plan, rank, threads, maxMemory, retries, verify, overwrite, writeEmpty, outOfRange, json, verbose,
        };
        cmd.SetAction(r => Program.Guard(() =>
        {
            var sink = new ConsoleSink(token, r.GetValue(verbose), r.GetValue(json));
            var action = (r.GetValue(outOfRange) ?? "error").Trim().ToLowerInvariant() switch
            {
                "error" => OutOfRangeAction.Error,
                "clip" => OutOfRangeAction.Clip,
                var other => throw new ZarrPartitionException("InvalidOutOfRange", ErrorKind.InvalidArgument, "--out-of-range", $"--out-of-range '{other}' is not error or clip."),
            };
            var index = WritePartition.ResolveRank(r.GetValue(rank), Environment.GetEnvironmentVariable);
            var request = new WritePartition.Request(PartitionPlan.Load(r.GetValue(plan)!), index, r.GetValue(threads), ByteSize.Parse(r.GetValue(maxMemory), 0, "--max-memory"),
                r.GetValue(retries), r.GetValue(verify), r.GetValue(overwrite), r.GetValue(writeEmpty), action);
            var result = WritePartition.Run(request, sink);
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(result));
            }
            else if (result.AlreadyComplete)
            {
                Console.Out.WriteLine($"Partition {result.Index} of {result.Count} was already complete; nothing written (--overwrite writes it again).");
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Partition {result.Index} of {result.Count}: {result.Written} chunk(s) written{(result.Resumed > 0 ? $", {result.Resumed} from an earlier run" : "")}, {result.SkippedEmpty} all-fill skipped, {ByteSize.Format(result.BytesStored)} stored, {result.Seconds:0.00} s."));
            }

            return 0;
        }));
        return cmd;
    }
}
