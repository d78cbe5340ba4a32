using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>
/// Get-ZarrPartitionPlan: PlanPartitions, like 'zarrpartition plan'; writes the plan JSON (to -OutFile,
/// else <see cref="PlanFile.DefaultPath"/>) and returns one <see cref="ZarrPlannedPartition"/> per partition.
/// </summary>
public sealed record PlanInvocation(
    string Store,
    string? OutFile = null,
    IReadOnlyList<string>? Dimension = null,
    int WorkerCount = 0,
    long MaxMemory = 0,
    IReadOnlyList<string>? Source = null,
    string? Strategy = null,
    IReadOnlyList<string>? Variable = null,
    int ThrottleLimit = 0,
    bool Incomplete = false) : IInvocation
{
    public ErrorScope Scope => ErrorScope.Whole;

    public PlanPartitions.Request ToRequest() => new(
        Store,
        Dimension is { Count: > 0 } ? Dimension : null,
        WorkerCount,
        MaxMemory,
        Source is { Count: > 0 } ? Source : null,
        Strategy,
        Variable is { Count: > 0 } ? Variable : null,
        ThrottleLimit,
        Incomplete: Incomplete);

    public IReadOnlyList<object> Run(IOperationSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var plan = PlanPartitions.Run(ToRequest(), sink);
        var path = OutFile ?? PlanFile.DefaultPath(plan.Store, Incomplete);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plan.Save(path);
        sink.Verbose($"Wrote the plan ({plan.Partitions.Count} partition(s), {plan.Strategy}, along {string.Join(",", plan.Dims)}) to {path}.");
        return Partitions(plan, path);
    }

    public static IReadOnlyList<object> Partitions(PartitionPlan plan, string planPath)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Partitions.Select(p => (object)new ZarrPlannedPartition(
            planPath,
            plan.Store,
            WritePartition.PartitionId(plan, p),
            p.Index,
            p.Count,
            RegionText.Format(p.Region),
            p.Variables.ToArray(),
            p.Chunks,
            p.EstimatedBytes,
            p.Threads,
            p.PeakMemoryBytes,
            p.Sources.Select(s => s.Path).Distinct(StringComparer.Ordinal).ToArray(),
            plan.Strategy)).ToList();
    }
}
