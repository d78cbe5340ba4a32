namespace ZarrPartition.Engine.Cf;

/// <summary>Where a packing range came from, in the order <see cref="PackingRange.Resolve(string, double?, double?, IReadOnlyList{Datasets.AttributeValue}, DataExtent?)"/> tries them.</summary>
public enum PackingRangeSource
{
    /// <summary>Given by the user (<c>--pack var=bits:min:max</c>).</summary>
    User,

    /// <summary>The variable's <c>valid_range</c> attribute.</summary>
    ValidRange,

    /// <summary>The variable's <c>valid_min</c> and <c>valid_max</c> attributes.</summary>
    ValidMinMax,

    /// <summary>The minimum and maximum of the data, NaN and missing values left out.</summary>
    Data,
}
