namespace ZarrPartition.Module;

/// <summary>
/// What Write-ZarrPartition -PassThru reports for one partition: chunks written in this run, resumed
/// from an earlier run, skipped as all fill; bytes stored and assembled; values clipped into a packing
/// range; whether the partition was already complete; seconds taken.
/// </summary>
public sealed record ZarrPartitionResult(
    string Store,
    string PlanPath,
    int Index,
    int Count,
    long Chunks,
    long Written,
    long Resumed,
    long SkippedEmpty,
    long BytesStored,
    long BytesIn,
    long Clipped,
    bool AlreadyComplete,
    double Seconds);
