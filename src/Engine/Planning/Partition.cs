namespace ZarrPartition.Engine.Planning;

/// <summary>
/// One unit of independent work: partition <see cref="Index"/> of <see cref="Count"/>, the region it
/// owns (half-open element ranges for every dimension of its variables, on chunk boundaries), the
/// variables it writes there, how many chunks and bytes that is, the writer's threads and the peak memory
/// they are estimated to need, and the source files (with slabs) it reads.
/// </summary>
public sealed record Partition(
    int Index,
    int Count,
    IReadOnlyDictionary<string, long[]> Region,
    IReadOnlyList<string> Variables,
    long Chunks,
    long EstimatedBytes,
    int Threads,
    long PeakMemoryBytes,
    IReadOnlyList<PartitionSource> Sources);
