using System.Globalization;
using System.Text;

namespace ZarrPartition.Engine.Planning;

/// <summary>
/// A half-open box in chunk-index space: along axis <c>d</c> it holds the chunk indices
/// <c>Start[d] &lt;= i &lt; Stop[d]</c>. Equality and hashing compare the array contents, so two
/// boxes over the same chunks are equal wherever they came from. The arrays are not copied:
/// treat them as read-only.
/// </summary>
public sealed record ChunkBox(long[] Start, long[] Stop)
{
    public long[] Start { get; } = Start ?? throw new ArgumentNullException(nameof(Start));

    public long[] Stop { get; } = CheckedStop(Start, Stop);

    /// <summary>Number of axes.</summary>
    public int Rank => Start.Length;

    /// <summary>Number of chunks in the box: the product of <c>Stop - Start</c> (1 for a box with no axes).</summary>
    public long ChunkCount
    {
        get
        {
            long n = 1;
            for (int d = 0; d < Start.Length; d++)
            {
                n = checked(n * (Stop[d] - Start[d]));
            }

            return n;
        }
    }

    /// <summary>Whether the chunk with the given grid index lies in the box.</summary>
    public bool Contains(IReadOnlyList<long> chunkIndex)
    {
        ArgumentNullException.ThrowIfNull(chunkIndex);
        if (chunkIndex.Count != Start.Length)
        {
            return false;
        }

        for (int d = 0; d < Start.Length; d++)
        {
            if (chunkIndex[d] < Start[d] || chunkIndex[d] >= Stop[d])
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(ChunkBox? other) =>
        other is not null && Start.AsSpan().SequenceEqual(other.Start) && Stop.AsSpan().SequenceEqual(other.Stop);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (long s in Start)
        {
            hash.Add(s);
        }

        foreach (long s in Stop)
        {
            hash.Add(s);
        }

        return hash.ToHashCode();
    }

    /// <summary>The box as per-axis half-open ranges, e.g. <c>[0,3)x[0,4)</c>; <c>()</c> for a box with no axes.</summary>
    public override string ToString()
    {
        if (Start.Length == 0)
        {
            return "()";
        }

        var text = new StringBuilder();
        for (int d = 0; d < Start.Length; d++)
        {
            if (d > 0)
            {
                text.Append('x');
            }

            text.Append('[').Append(Start[d].ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(Stop[d].ToString(CultureInfo.InvariantCulture)).Append(')');
        }

        return text.ToString();
    }

    private static long[] CheckedStop(long[]? start, long[]? stop)
    {
        ArgumentNullException.ThrowIfNull(stop, nameof(Stop));
        if (start is null)
        {
            return stop;
        }

        if (start.Length != stop.Length)
        {
            throw new ArgumentException($"Start has {start.Length} axes but Stop has {stop.Length}.", nameof(Stop));
        }

        for (int d = 0; d < start.Length; d++)
        {
            if (start[d] < 0 || stop[d] < start[d])
            {
                throw new ArgumentException($"Axis {d}: [{start[d]},{stop[d]}) is not a range of chunk indices (need 0 <= Start <= Stop).", nameof(Stop));
            }
        }

        return stop;
    }
}
