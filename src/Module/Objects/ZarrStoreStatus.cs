namespace ZarrPartition.Module;

/// <summary>
/// What Test-ZarrStore found in a store's journals: whether every partition is complete, whether
/// Complete-ZarrStore has run, the partitions' count and those not complete, time steps no source
/// covers (from the plan), stale temporary files, and every partition's standing.
/// </summary>
public sealed record ZarrStoreStatus(
    string Store,
    bool Complete,
    bool Finalized,
    int Partitions,
    int CompletePartitions,
    int[] IncompletePartitions,
    string[] Gaps,
    string[] StaleTemporaries,
    ZarrPartitionStatus[] PartitionStates);
