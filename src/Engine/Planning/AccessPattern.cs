namespace ZarrPartition.Engine.Planning;

/// <summary>How the store will mostly be read, which decides the shape of computed chunks.</summary>
public enum AccessPattern
{
    /// <summary>Maps and time series alike: moderate time chunks, moderate spatial tiles.</summary>
    Balanced,

    /// <summary>Long time series at few points: long time chunks, small spatial tiles.</summary>
    Temporal,

    /// <summary>Whole maps at few times: short time chunks, large spatial tiles.</summary>
    Spatial,
}
