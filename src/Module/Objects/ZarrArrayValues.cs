namespace ZarrPartition.Module;

/// <summary>
/// A region of one array as Read-ZarrArray reads it, decoded as xarray shows it (masked to NaN,
/// unpacked): the values in C order, the region's start and shape per dimension, and each
/// dimension's coordinate values.
/// </summary>
public sealed record ZarrArrayValues(
    string Store,
    string Variable,
    string DataType,
    string[] Dimensions,
    long[] Start,
    long[] Shape,
    string? Units,
    double[] Values,
    ZarrCoordinateValues[] Coordinates);
