namespace ZarrPartition.Engine.Datasets;

/// <summary>A named dimension of a dataset; <see cref="IsUnlimited"/> for NetCDF's record dimension.</summary>
public sealed record Dimension(string Name, long Length, bool IsUnlimited = false);
