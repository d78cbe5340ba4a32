namespace ZarrPartition.Module;

/// <summary>The coordinate of one dimension over a read region: the coordinate array, its values, and CF times as ISO 8601 text (null where there are none).</summary>
public sealed record ZarrCoordinateValues(
    string Dimension,
    long Start,
    long Stop,
    string? Array,
    string? DataType,
    double[]? Values,
    string?[]? Times,
    string? Units);
