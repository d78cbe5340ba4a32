using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>Test-ZarrStore: TestStore, like 'zarrpartition status'; -Quiet gives only whether the store is complete.</summary>
public sealed record TestStoreInvocation(string Store, string? PlanPath = null, bool Quiet = false) : IInvocation
{
    public ErrorScope Scope => ErrorScope.Store;

    public IReadOnlyList<object> Run(IOperationSink sink)
    {
        var status = TestStore.Run(new TestStore.Request(Store, PlanPath is null ? null : PartitionPlan.Load(PlanPath)), sink);
        if (Quiet)
        {
            return [status.Complete];
        }

        var states = status.PartitionStates.Select(s => new ZarrPartitionStatus(
            status.Store, s.Index, s.State.ToString(), s.Chunks, s.ChunksWritten, s.ChunksMissing, s.ProcessAlive, s.Host, s.ErrorId, s.Error, s.Variables.ToArray())).ToArray();
        return [new ZarrStoreStatus(status.Store, status.Complete, status.Finalized, status.Partitions, status.CompletePartitions,
            status.IncompletePartitions.ToArray(),
            status.Gaps.ToArray(), status.StaleTemporaries.ToArray(), states)];
    }
}
