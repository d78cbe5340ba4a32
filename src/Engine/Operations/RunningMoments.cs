namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Count, mean and sum of squared deviations (M2) of the valid values seen so far, with their minimum,
/// maximum and the number of missing (NaN) values. Blocks are measured two-pass and merged with Chan,
/// Golub and LeVeque's parallel combination, which is exact up to rounding in any grouping; callers
/// merge in a fixed order so that the rounding does not depend on thread timing.
/// </summary>
internal readonly record struct RunningMoments(long Count, double Mean, double M2, double Min, double Max, long Missing)
{
    public static RunningMoments Empty { get; } = new(0, 0, 0, double.PositiveInfinity, double.NegativeInfinity, 0);

    public double Variance => Count == 0 ? double.NaN : M2 / Count;

    /// <summary>The moments of one block of values (NaN counts as missing): mean first, then the squared deviations from it.</summary>
    public static RunningMoments Of(ReadOnlySpan<double> values)
    {
        long n = 0;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var v in values)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            n++;
            sum += v;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (n == 0)
        {
            return Empty with { Missing = values.Length };
        }

        double mean = sum / n;
        double m2 = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                double d = v - mean;
                m2 += d * d;
            }
        }

        return new RunningMoments(n, mean, m2, min, max, values.Length - n);
    }

    /// <summary>Chan et al.: the moments of this set and <paramref name="other"/> together.</summary>
    public RunningMoments Combine(RunningMoments other)
    {
        long missing = Missing + other.Missing;
        if (other.Count == 0)
        {
            return this with { Missing = missing };
        }

        if (Count == 0)
        {
            return other with { Missing = missing };
        }

        long n = Count + other.Count;
        double delta = other.Mean - Mean;
        double mean = Mean + (delta * other.Count / n);
        double m2 = M2 + other.M2 + (delta * delta * ((double)Count * other.Count / n));
        return new RunningMoments(n, mean, m2, Math.Min(Min, other.Min), Math.Max(Max, other.Max), missing);
    }
}
