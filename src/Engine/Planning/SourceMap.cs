using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Planning;

/// <summary>
/// Places source files on a store's time axis by their decoded times (each file in its own units and
/// calendar), matched exactly within 1% of the axis' smallest step. A file with a time off the axis,
/// outside it, or skipping steps of it, and two files claiming the same step, are errors naming the
/// files; steps no file covers are reported as gaps naming the dates.
/// </summary>
public static class SourceMap
{
    public sealed record Result(IReadOnlyList<MappedSource> Files, IReadOnlyList<string> Warnings);

    /// <param name="axis">The store's time axis decoded to microseconds, strictly increasing.</param>
    /// <param name="storeUnits">The store's time units (to name dates in messages).</param>
    public static Result Map(SourceCollection sources, string timeDim, long[] axis, CfTimeUnits storeUnits)
    {
        long tolerance = Tolerance(axis);
        var mapped = new List<MappedSource>();
        foreach (var part in sources.Parts)
        {
            var raw = sources.ReadCoordinate(part.Path, timeDim, out var variable);
            var units = TimeValues.UnitsOf(variable)
                ?? throw new ZarrPartitionException("SourceTimeUnits", ErrorKind.InvalidData, part.Path, $"'{part.Path}': '{timeDim}' has no CF time units ('<unit> since <date>'), so its steps cannot be placed on the store's axis.");
            if (units.Calendar != storeUnits.Calendar)
            {
                throw new ZarrPartitionException("CalendarMismatch", ErrorKind.InvalidData, part.Path,
                    $"'{part.Path}' uses the {units.Calendar.ToCfName()} calendar and the store {storeUnits.Calendar.ToCfName()}; its times cannot be placed on the store's axis.");
            }

            if (raw.Length == 0)
            {
                continue;
            }

            var times = TimeValues.ToMicroseconds(raw, units);
            long first = Locate(part.Path, times[0], axis, tolerance, storeUnits);
            for (int i = 1; i < times.Length; i++)
            {
                long idx = Locate(part.Path, times[i], axis, tolerance, storeUnits);
                if (idx != first + i)
                {
                    throw new ZarrPartitionException("SourceNotContiguous", ErrorKind.InvalidData, part.Path,
                        $"'{part.Path}': step {i} ({Name(times[i], storeUnits)}) lands on store step {idx}, not {first + i}: the file's times are not consecutive steps of the store's axis (another frequency, or repeated/unsorted times). Make a store on the file's frequency, or split the file.");
                }
            }

            mapped.Add(new MappedSource(part.Path, first, times.Length));
        }

        mapped.Sort((a, b) => a.StoreStart.CompareTo(b.StoreStart));
        for (int i = 1; i < mapped.Count; i++)
        {
            if (mapped[i].StoreStart < mapped[i - 1].StoreStop)
            {
                throw new ZarrPartitionException("OverlappingSources", ErrorKind.InvalidData, mapped[i].Path,
                    $"'{mapped[i].Path}' and '{mapped[i - 1].Path}' both hold store step {mapped[i].StoreStart} ({Name(axis[mapped[i].StoreStart], storeUnits)}); each step must come from one file. Remove the duplicate.");
            }
        }

        var warnings = new List<string>();
        var gaps = Gaps(mapped, axis.Length);
        if (gaps.Count > 0)
        {
            long missing = gaps.Sum(g => g.Stop - g.Start);
            var named = gaps.Take(5).Select(g => g.Stop - g.Start == 1
                ? Name(axis[g.Start], storeUnits)
                : $"{Name(axis[g.Start], storeUnits)} … {Name(axis[g.Stop - 1], storeUnits)} ({g.Stop - g.Start} steps)");
            warnings.Add($"Gap: {missing} of {axis.Length} time steps have no source file and will stay fill: {string.Join("; ", named)}{(gaps.Count > 5 ? $"; and {gaps.Count - 5} more gaps" : "")}.");
        }

        return new Result(mapped, warnings);
    }

    /// <summary>Ranges [Start, Stop) of store steps no file covers.</summary>
    public static List<(long Start, long Stop)> Gaps(IReadOnlyList<MappedSource> sorted, long length)
    {
        var gaps = new List<(long, long)>();
        long at = 0;
        foreach (var m in sorted)
        {
            if (m.StoreStart > at)
            {
                gaps.Add((at, m.StoreStart));
            }

            at = Math.Max(at, m.StoreStop);
        }

        if (at < length)
        {
            gaps.Add((at, length));
        }

        return gaps;
    }

    private static long Tolerance(long[] axis)
    {
        long step = long.MaxValue;
        for (int i = 1; i < axis.Length; i++)
        {
            step = Math.Min(step, axis[i] - axis[i - 1]);
        }

        return step == long.MaxValue ? 1_000_000 : Math.Max(1, step / 100);
    }

    private static long Locate(string path, long t, long[] axis, long tolerance, CfTimeUnits storeUnits)
    {
        int i = Array.BinarySearch(axis, t);
        if (i >= 0)
        {
            return i;
        }

        i = ~i;
        long best = -1, distance = long.MaxValue;
        foreach (int k in new[] { i - 1, i })
        {
            if (k >= 0 && k < axis.Length && Math.Abs(axis[k] - t) < distance)
            {
                best = k;
                distance = Math.Abs(axis[k] - t);
            }
        }

        if (best >= 0 && distance <= tolerance)
        {
            return best;
        }

        if (axis.Length == 0 || t < axis[0] - tolerance || t > axis[^1] + tolerance)
        {
            throw new ZarrPartitionException("SourceOutsideAxis", ErrorKind.InvalidData, path,
                $"'{path}' has {Name(t, storeUnits)}, outside the store's time axis ({(axis.Length == 0 ? "empty" : $"{Name(axis[0], storeUnits)} … {Name(axis[^1], storeUnits)}")}). Extend the store with 'template --append', or leave the file out.");
        }

        throw new ZarrPartitionException("SourceOffGrid", ErrorKind.InvalidData, path,
            $"'{path}' has {Name(t, storeUnits)}, which is not on the store's time axis (nearest step {Name(axis[best], storeUnits)}). The file is on another grid or offset; fix its times or make a store on its grid.");
    }

    private static string Name(long microseconds, CfTimeUnits units) => CfDateTime.FromMicroseconds(units.Calendar, microseconds).ToString();
}
