namespace ZarrPartition.Engine.Cf;

/// <summary>
/// A date encoded in time units: <see cref="Exact"/> is set when the date lies a whole number of units
/// from the reference date (then <see cref="Value"/> equals it), as xarray writes int64 times.
/// </summary>
public readonly record struct CfEncodedTime(long? Exact, double Value);
