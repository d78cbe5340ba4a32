namespace ZarrPartition.Engine.Cf;

/// <summary>What packing does with a value whose code falls outside the packing's usable codes.</summary>
public enum OutOfRangeAction
{
    /// <summary>Stop with a typed error naming the variable, the value, its index and the range.</summary>
    Error,

    /// <summary>Clamp to the nearest end of the range and count the value, so the caller can warn.</summary>
    Clip,
}
