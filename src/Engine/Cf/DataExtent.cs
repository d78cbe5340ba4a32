namespace ZarrPartition.Engine.Cf;

/// <summary>
/// The smallest and largest finite value of some data, with how many values were counted. NaN,
/// infinities and values flagged missing are left out (none of them can be packed as a number; NaN and
/// missing values become the fill value, infinities are out of any range). Measure each chunk with
/// <see cref="Of(ReadOnlySpan{double}, ReadOnlySpan{bool})"/> and combine with <see cref="Merge"/>.
/// </summary>
public readonly record struct DataExtent(double Min, double Max, long Count)
{
    /// <summary>No values: <see cref="Min"/> is +∞ and <see cref="Max"/> −∞, so any merge replaces them.</summary>
    public static DataExtent Empty => new(double.PositiveInfinity, double.NegativeInfinity, 0);

    public bool IsEmpty => Count == 0;

    public DataExtent Merge(DataExtent other) =>
        other.Count == 0 ? this
        : Count == 0 ? other
        : new(Math.Min(Min, other.Min), Math.Max(Max, other.Max), Count + other.Count);

    /// <summary>Extent of <paramref name="values"/>; <paramref name="missing"/> is empty or flags each value.</summary>
    public static DataExtent Of(ReadOnlySpan<double> values, ReadOnlySpan<bool> missing = default)
    {
        CheckMask(values.Length, missing);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        long count = 0;
        bool masked = !missing.IsEmpty;
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i];
            if (double.IsFinite(x) && !(masked && missing[i]))
            {
                min = x < min ? x : min;
                max = x > max ? x : max;
                count++;
            }
        }

        return count == 0 ? Empty : new(min, max, count);
    }

    /// <inheritdoc cref="Of(ReadOnlySpan{double}, ReadOnlySpan{bool})"/>
    public static DataExtent Of(ReadOnlySpan<float> values, ReadOnlySpan<bool> missing = default)
    {
        CheckMask(values.Length, missing);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        long count = 0;
        bool masked = !missing.IsEmpty;
        for (int i = 0; i < values.Length; i++)
        {
            float x = values[i];
            if (float.IsFinite(x) && !(masked && missing[i]))
            {
                min = x < min ? x : min;
                max = x > max ? x : max;
                count++;
            }
        }

        return count == 0 ? Empty : new(min, max, count);
    }

    internal static void CheckMask(int length, ReadOnlySpan<bool> missing)
    {
        if (!missing.IsEmpty && missing.Length != length)
        {
            throw new ArgumentException($"The missing-value mask has {missing.Length} elements for {length} values; give one flag per value or none.", nameof(missing));
        }
    }
}
