namespace ZarrPartition.Module;

/// <summary>What Complete-ZarrStore -PassThru reports: the store, its partitions, temporary files removed, partitions finalized while incomplete (-Force).</summary>
public sealed record ZarrStoreCompletion(
    string Store,
    int Partitions,
    int RemovedTemporaries,
    int[] IncompletePartitions,
    bool Forced);
