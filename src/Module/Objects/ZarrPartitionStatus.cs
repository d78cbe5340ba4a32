namespace ZarrPartition.Module;

/// <summary>
/// One partition's standing in Test-ZarrStore: NotStarted, Running, Complete, Failed or Interrupted;
/// chunks written and missing; whether its writer process is alive (null when unknown or not
/// running); the error that stopped it; its variables.
/// </summary>
public sealed record ZarrPartitionStatus(
    string Store,
    int Index,
    string State,
    long Chunks,
    long ChunksWritten,
    long ChunksMissing,
    bool? ProcessAlive,
    string? Host,
    string? ErrorId,
    string? Error,
    string[] Variables)
{
    public override string ToString() =>
        $"{Index}: {State}, {ChunksWritten} of {Chunks} chunks{(ErrorId is null ? "" : $" ({ErrorId})")}";
}
