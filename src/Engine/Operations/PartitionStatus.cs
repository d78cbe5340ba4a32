using ZarrPartition.Engine.Writing;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// One partition's standing: its state, chunks written of its chunks, whether the writer's process is
/// still alive (null when it ran on another host), the error that stopped it, and its variables.
/// </summary>
public sealed record PartitionStatus(
    int Index,
    PartitionState State,
    long Chunks,
    long ChunksWritten,
    bool? ProcessAlive,
    string? Host,
    string? ErrorId,
    string? Error,
    IReadOnlyList<string> Variables)
{
    public bool IsComplete => State == PartitionState.Complete;

    public long ChunksMissing => Math.Max(0, Chunks - ChunksWritten);
}
