namespace ZarrPartition.Engine.Operations;

/// <summary>
/// What a store's journals say: every partition's standing, the time steps no source covers (gaps, from
/// the plan), stale temporary files, whether finalize has run, and <see cref="Complete"/> — every
/// partition of the plan (or every journal found, without a plan) complete.
/// </summary>
public sealed record StoreStatus(
    string Store,
    bool Complete,
    bool Finalized,
    int Partitions,
    int CompletePartitions,
    IReadOnlyList<PartitionStatus> PartitionStates,
    IReadOnlyList<string> Gaps,
    IReadOnlyList<string> StaleTemporaries)
{
    /// <summary>The indexes of the partitions not complete.</summary>
    public IReadOnlyList<int> IncompletePartitions => PartitionStates.Where(p => !p.IsComplete).Select(p => p.Index).ToList();
}
