namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Statistics of one array's decoded values (masked and unpacked as xarray shows them): how many are
/// valid and how many missing (masked, or NaN), and the valid values' minimum, maximum, mean and
/// population standard deviation (ddof 0). With no valid value the four are NaN.
/// </summary>
public sealed record ArrayStatistics(
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
