using System.Globalization;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>
/// Write-ZarrPartition: WritePartition for one partition of a plan file, like 'zarrpartition write'.
/// Without -Index the rank comes from the environment (SLURM_ARRAY_TASK_ID, ...). With a PartitionId
/// (as every planned partition carries) the plan file must still hold that very partition, so a plan
/// replaced since the objects were made is refused (PlanChanged) instead of writing another region.
/// </summary>
public sealed record WriteInvocation(
    string PlanPath,
    int? Index = null,
    string? PartitionId = null,
    int ThrottleLimit = 0,
    long MaxMemory = 0,
    int RetryCount = 3,
    bool Verify = false,
    bool Force = false,
    bool WriteEmptyChunks = false,
    OutOfRangeAction OutOfRange = OutOfRangeAction.Error,
    bool PassThru = false) : IInvocation
{
    public ErrorScope Scope => ErrorScope.Partition;

    /// <summary>Where a rank comes from when -Index is not given (the process environment by default).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The plans read so far in this cmdlet call.</summary>
    public PlanCache Plans { get; init; } = new();

    public WritePartition.Request ToRequest()
    {
        var plan = Plans.Load(PlanPath);
        int index = WritePartition.ResolveRank(Index, Environment);
        return new WritePartition.Request(plan, index, ThrottleLimit, MaxMemory, RetryCount, Verify, Force, WriteEmptyChunks, OutOfRange, ExpectedPartitionId: PartitionId);
    }

    public IReadOnlyList<object> Run(IOperationSink sink)
    {
        var r = WritePartition.Run(ToRequest(), sink);
        return PassThru
            ? [new ZarrPartitionResult(r.Store, PlanPath, r.Index, r.Count, r.Chunks, r.Written, r.Resumed, r.SkippedEmpty, r.BytesStored, r.BytesIn, r.Clipped, r.AlreadyComplete, r.Seconds)]
            : [];
    }
}
