using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Planning;

/// <summary>
/// Computes one chunk size per dimension, shared by every variable that has the dimension (so that
/// partitions align for all of them), from an access pattern and a target chunk size. The time chunk
/// follows the pattern (as zarrio's table: temporal min(100, max(10, T/10)), balanced min(50, max(10,
/// T/20)), spatial min(20, max(5, T/50))) and, when the sources' files all have the same length, is
/// moved to a multiple or a divisor of it so that files map onto whole chunks. The other dimensions
/// share what is left of the target: a dimension shorter than its share is taken whole and its unused
/// share goes to the others, and a split dimension is cut into even chunks (721 → 361 + 360, not 512 + 209); a floor per pattern (10, 30, 50) keeps tiles from getting thin. No chunk
/// ever exceeds its dimension, unlike zarrio where the floor is applied after the cap. When every other
/// dimension is whole and the chunk is still under the target, the time chunk grows (on file boundaries),
/// except for the spatial pattern, where a map read should touch as few time steps as possible.
/// </summary>
public static class ChunkSizer
{
    public const long DefaultTargetBytes = 50L << 20;

    /// <summary>One dimension of the largest data variable.</summary>
    public sealed record Axis(string Name, long Length);

    public sealed record Result(IReadOnlyDictionary<string, int> Chunks, IReadOnlyList<string> Notes);

    public static AccessPattern ParsePattern(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "balanced" => AccessPattern.Balanced,
        "temporal" or "time" or "timeseries" => AccessPattern.Temporal,
        "spatial" or "space" or "maps" => AccessPattern.Spatial,
        _ => throw new ZarrPartitionException("InvalidAccessPattern", ErrorKind.InvalidArgument, text!,
            $"Access pattern '{text}' is not one of temporal, spatial, balanced."),
    };

    /// <param name="axes">The dimensions of the data variable with the most elements per time step (and the time dimension).</param>
    /// <param name="timeDimension">The time dimension's name, or null.</param>
    /// <param name="elementSize">The largest element size among the data variables.</param>
    /// <param name="fileLength">The common length of the source files along time, when they share one.</param>
    /// <param name="explicitChunks">Sizes the user fixed; they are kept (capped at the dimension) and the rest sized around them.</param>
    public static Result Choose(IReadOnlyList<Axis> axes, string? timeDimension, int elementSize, AccessPattern pattern, long targetBytes, long? fileLength, IReadOnlyDictionary<string, int>? explicitChunks)
    {
        if (targetBytes < elementSize)
        {
            throw new ZarrPartitionException("InvalidTargetChunkSize", ErrorKind.InvalidArgument, targetBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "The target chunk size must hold at least one element; give --target-chunk-mb of 1 or more.");
        }

        var chunks = new Dictionary<string, int>(StringComparer.Ordinal);
        var notes = new List<string>();
        double budget = (double)targetBytes / Math.Max(1, elementSize); // elements per chunk
        foreach (var a in axes)
        {
            if (explicitChunks is not null && explicitChunks.TryGetValue(a.Name, out int c))
            {
                chunks[a.Name] = (int)Math.Clamp(c, 1, Math.Max(1, a.Length));
                budget /= chunks[a.Name];
            }
        }

        var time = axes.FirstOrDefault(a => a.Name == timeDimension);
        if (time is not null && !chunks.ContainsKey(time.Name))
        {
            long total = time.Length;
            long t = pattern switch
            {
                AccessPattern.Temporal => Math.Min(100, Math.Max(10, total / 10)),
                AccessPattern.Spatial => Math.Min(20, Math.Max(5, total / 50)),
                _ => Math.Min(50, Math.Max(10, total / 20)),
            };
            t = Math.Clamp(t, 1, Math.Max(1, total));
            if (fileLength is long len && len > 0 && len < total)
            {
                long aligned = AlignToFiles(t, len);
                if (aligned != t)
                {
                    notes.Add($"Time chunk {aligned} instead of {t}, to align with the {len}-step source files.");
                    t = aligned;
                }
                else if (len % t != 0 && t % len != 0)
                {
                    notes.Add($"Time chunk {t} does not align with the {len}-step source files; partitions will read files that straddle chunks.");
                }
            }

            chunks[time.Name] = (int)Math.Min(t, int.MaxValue);
            budget /= t;
        }

        long floor = pattern switch { AccessPattern.Temporal => 10, AccessPattern.Spatial => 50, _ => 30 };
        var rest = axes.Where(a => !chunks.ContainsKey(a.Name)).OrderBy(a => a.Length).ToList();
        for (int i = 0; i < rest.Count; i++)
        {
            var a = rest[i];
            double share = Math.Pow(Math.Max(1, budget), 1.0 / (rest.Count - i));
            long size = a.Length <= share ? a.Length : Math.Max(floor, (long)Math.Floor(share));
            size = Math.Clamp(size, 1, Math.Max(1, a.Length));

            // as many chunks as that size needs, evened out so the edge chunk is not mostly empty
            long count = (a.Length + size - 1) / size;
            size = Math.Max(1, (a.Length + count - 1) / Math.Max(1, count));
            chunks[a.Name] = (int)Math.Min(size, int.MaxValue);
            budget /= size;
        }

        // every other dimension whole and the chunk still under the target: longer time chunks, on file boundaries
        if (time is not null && pattern != AccessPattern.Spatial && !(explicitChunks?.ContainsKey(time.Name) ?? false) && rest.All(a => chunks[a.Name] >= a.Length) && budget >= 2)
        {
            long t = chunks[time.Name];
            long grown = (long)Math.Min(time.Length, Math.Floor(t * budget));
            if (fileLength is long len && len > 0 && grown >= len && len < time.Length)
            {
                grown = grown / len * len;
            }

            if (grown > t)
            {
                notes.Add($"Time chunk {grown} instead of {t}: the other dimensions are whole and the chunk was under the target size.");
                chunks[time.Name] = (int)Math.Min(grown, int.MaxValue);
            }
        }

        return new Result(chunks, notes);
    }

    /// <summary>A multiple of the file length at or under <paramref name="t"/>, else the largest divisor of it at least t/2, else the file length when at most 2t, else t.</summary>
    internal static long AlignToFiles(long t, long fileLength)
    {
        if (t >= fileLength)
        {
            return t / fileLength * fileLength;
        }

        for (long d = t; d * 2 >= t && d >= 1; d--)
        {
            if (fileLength % d == 0)
            {
                return d;
            }
        }

        return fileLength <= 2 * t ? fileLength : t;
    }
}
