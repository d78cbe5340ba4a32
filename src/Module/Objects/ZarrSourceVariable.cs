namespace ZarrPartition.Module;

/// <summary>One variable of a NetCDF/HDF5 file: its group, CDL type, dimensions, shape, chunking ("contiguous" or "24,90,180"), filters and attributes (JSON text).</summary>
public sealed record ZarrSourceVariable(
    string Path,
    string Name,
    string Group,
    string DataType,
    string[] Dimensions,
    long[] Shape,
    string Chunking,
    string[] Filters,
    string Attributes);
