namespace ZarrPartition.Module;

/// <summary>
/// A store template written by New-ZarrTemplate: the store, its Zarr format, data variables and
/// coordinates, the time steps, the chunk size chosen per dimension ("time=24,lat=721"), and the data
/// chunks the partitions will write. Its Store property binds to -LiteralPath of
/// Get-ZarrPartitionPlan, Test-ZarrStore and Complete-ZarrStore.
/// </summary>
public sealed record ZarrTemplate(
    string Store,
    int ZarrFormat,
    int DataVariables,
    int Coordinates,
    long TimeSteps,
    string Chunks,
    long DataChunks,
    bool Appended,
    double Seconds);
