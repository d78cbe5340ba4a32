namespace ZarrPartition.Engine.Operations;

/// <summary>
/// The coordinate of one dimension over a read region: the coordinate array's decoded values (NaN where
/// missing), and for a CF time coordinate the dates as ISO 8601 text (null where missing). Without a
/// coordinate array all but the range are null and the region's indices stand for the coordinate.
/// </summary>
public sealed record CoordinateValues(string Dimension, long Start, long Stop, string? Array, string? DataType, double[]? Values, string?[]? Times, string? Units);
