namespace ZarrPartition.Engine.Planning;

/// <summary>
/// A source file a partition reads: the slab of it it needs (half-open index ranges in the file; empty
/// for the whole file) and where that slab lands in the store (<see cref="Target"/>, the same ranges in
/// store indices; empty when the slab holds only variables without the time dimension).
/// </summary>
public sealed record PartitionSource(string Path, IReadOnlyDictionary<string, long[]> Slab, IReadOnlyDictionary<string, long[]> Target);
