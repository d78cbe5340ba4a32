namespace ZarrPartition.Engine.Planning;

/// <summary>A source file a partition reads, and the slab of it (half-open index ranges in the file) it needs.</summary>
public sealed record PartitionSource(string Path, IReadOnlyDictionary<string, long[]> Slab);
