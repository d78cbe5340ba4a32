namespace ZarrPartition.Module;

/// <summary>
/// Statistics of one array's decoded values, as Measure-ZarrArray computes them: valid and missing
/// counts, minimum, maximum, mean and population standard deviation (NaN when no value is valid).
/// </summary>
public sealed record ZarrArrayStatistics(
    string Store,
    string Name,
    string[] Dimensions,
    long[] Shape,
    string DataType,
    string? Units,
    long Count,
    long Missing,
    double Min,
    double Max,
    double Mean,
    double Std);
