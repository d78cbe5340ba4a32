namespace ZarrPartition.Engine.Operations;

/// <summary>
/// The outcome of a template: the store, its data variables and coordinates, the time axis length, the
/// chunk size chosen per dimension, the data chunks the partitions will write, and whether anything was
/// done (false under -WhatIf, or when an append found nothing new).
/// </summary>
public sealed record TemplateResult(
    string Destination,
    int ZarrFormat,
    int DataVariables,
    int Coordinates,
    long TimeSteps,
    IReadOnlyDictionary<string, int> Chunks,
    long DataChunks,
    double Seconds,
    bool Performed,
    bool Appended);
