using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>Complete-ZarrStore: CompleteStore, like 'zarrpartition finalize'.</summary>
public sealed record CompleteStoreInvocation(string Store, string? PlanPath = null, bool Force = false, bool PassThru = false) : IInvocation
{
    public ErrorScope Scope => ErrorScope.Store;

    public IReadOnlyList<object> Run(IOperationSink sink)
    {
        var r = CompleteStore.Run(new CompleteStore.Request(Store, PlanPath is null ? null : PartitionPlan.Load(PlanPath), Force), sink);
        return PassThru && r.Performed
            ? [new ZarrStoreCompletion(r.Store, r.Partitions, r.RemovedTemporaries, r.Incomplete.ToArray(), r.Incomplete.Count > 0)]
            : [];
    }
}
