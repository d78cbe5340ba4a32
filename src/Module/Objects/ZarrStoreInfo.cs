namespace ZarrPartition.Module;

/// <summary>
/// A Zarr store as Get-ZarrStore describes it: its location, Zarr format, whether its metadata is
/// consolidated, its groups, root attributes (JSON text) and arrays.
/// </summary>
public sealed record ZarrStoreInfo(
    string Path,
    int ZarrFormat,
    bool Consolidated,
    string[] Groups,
    string Attributes,
    ZarrArrayInfo[] Arrays);
