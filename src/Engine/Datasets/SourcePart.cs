namespace ZarrPartition.Engine.Datasets;

/// <summary>One source of a <see cref="SourceCollection"/> and the slice [Offset, Offset+Length) of the concatenated axis it covers.</summary>
public sealed record SourcePart(string Path, long Offset, long Length);
