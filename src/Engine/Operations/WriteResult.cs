namespace ZarrPartition.Engine.Operations;

/// <summary>
/// The outcome of writing one partition: chunks written in this run, chunks skipped because an earlier
/// run had written them (a resume), chunks not written because they were all fill, bytes stored, values
/// assembled from the sources (decoded, in the store's type), values clipped into a packing range, and whether the partition was already complete (nothing done).
/// </summary>
public sealed record WriteResult(
    string Store,
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
