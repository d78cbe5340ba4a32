namespace ZarrPartition.Module;

/// <summary>
/// A NetCDF/HDF5 file as Get-ZarrStore describes it (what ncdump -hs tells): its format, the root
/// group's dimensions ("time=24 (unlimited)") and attributes (JSON text), its groups, and the
/// variables of every group.
/// </summary>
public sealed record ZarrSourceInfo(
    string Path,
    string Format,
    string[] Dimensions,
    string[] Groups,
    string Attributes,
    ZarrSourceVariable[] Variables);
