using System.Globalization;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// A selection along one dimension by index: [<see cref="Start"/>, <see cref="Stop"/>), half-open, as
/// Python slices; an open end is null, a negative index counts from the end. <see cref="IsIndex"/>
/// marks a single index (<c>time=5</c>), which selects [5, 6) and keeps the dimension. The text form
/// is <c>DIM=START:STOP</c>, <c>DIM=START:</c>, <c>DIM=:STOP</c> or <c>DIM=INDEX</c>; a region joins
/// them with commas: <c>time=0:24,lat=10:20</c>.
/// </summary>
public sealed record DimensionRange(string Dimension, long? Start, long? Stop, bool IsIndex = false)
{
    public const string AcceptedForm = "DIM=START:STOP, DIM=START:, DIM=:STOP or DIM=INDEX, comma-separated, with integer indices (negative ones count from the end), e.g. time=0:24,lat=10:20 or time=5";

    /// <summary>Parses a comma-separated region; every entry must be valid and name a different dimension.</summary>
    /// <exception cref="ZarrPartitionException">InvalidRegion: the message names the bad entry and the accepted form.</exception>
    public static IReadOnlyList<DimensionRange> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<DimensionRange>();
        foreach (var entry in text.Split(','))
        {
            var range = Parse(entry);
            if (list.Any(r => r.Dimension == range.Dimension))
            {
                throw Invalid(entry, $"dimension '{range.Dimension}' is given more than once");
            }

            list.Add(range);
        }

        return list;
    }

    /// <summary>Parses one <c>DIM=START:STOP</c> or <c>DIM=INDEX</c> entry.</summary>
    /// <exception cref="ZarrPartitionException">InvalidRegion: the message names the entry and the accepted form.</exception>
    public static DimensionRange Parse(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        int eq = entry.IndexOf('=', StringComparison.Ordinal);
        if (eq < 0)
        {
            throw Invalid(entry, entry.Trim().Length == 0 ? "the entry is empty" : "there is no '='");
        }

        var dim = entry[..eq].Trim();
        if (dim.Length == 0)
        {
            throw Invalid(entry, "the dimension name is empty");
        }

        var spec = entry[(eq + 1)..].Trim();
        var parts = spec.Split(':');
        switch (parts.Length)
        {
            case 1:
                return new DimensionRange(dim, Index(parts[0], "index", required: true), null, IsIndex: true);
            case 2:
                return new DimensionRange(dim, Index(parts[0], "start", required: false), Index(parts[1], "stop", required: false));
            default:
                throw Invalid(entry, $"'{spec}' has {parts.Length - 1} ':'; give START:STOP or a single INDEX (steps are not supported)");
        }

        long? Index(string text, string what, bool required)
        {
            text = text.Trim();
            if (text.Length == 0)
            {
                return required ? throw Invalid(entry, $"the {what} is empty") : null;
            }

            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
                ? v
                : throw Invalid(entry, $"the {what} '{text}' is not an integer index");
        }
    }

    /// <summary>The range within a dimension of <paramref name="length"/>: [start, stop) with 0 ≤ start &lt; stop ≤ length.</summary>
    /// <exception cref="ZarrPartitionException">RegionOutOfBounds, or EmptyRegion when nothing would be selected.</exception>
    public (long Start, long Stop) Resolve(long length, string variable)
    {
        long start = Start is { } s ? (s < 0 ? s + length : s) : 0;
        long stop = IsIndex ? start + 1 : Stop is { } e ? (e < 0 ? e + length : e) : length;
        if (start < 0 || start > length || stop < 0 || stop > length || (IsIndex && start >= length))
        {
            throw new ZarrPartitionException("RegionOutOfBounds", ErrorKind.InvalidArgument, ToString(),
                string.Create(CultureInfo.InvariantCulture, $"Region '{this}' is outside dimension '{Dimension}' of '{variable}', which has {length} elements (indices 0 to {length - 1}, or -{length} to -1 from the end)."));
        }

        if (start >= stop)
        {
            throw new ZarrPartitionException("EmptyRegion", ErrorKind.InvalidArgument, ToString(),
                string.Create(CultureInfo.InvariantCulture, $"Region '{this}' selects nothing of dimension '{Dimension}' of '{variable}' ([{start}, {stop}) of {length}); give START < STOP."));
        }

        return (start, stop);
    }

    public override string ToString() => IsIndex
        ? string.Create(CultureInfo.InvariantCulture, $"{Dimension}={Start}")
        : string.Create(CultureInfo.InvariantCulture, $"{Dimension}={Start}:{Stop}");

    private static ZarrPartitionException Invalid(string entry, string why) =>
        new("InvalidRegion", ErrorKind.InvalidArgument, entry, $"Region entry '{entry.Trim()}': {why}. Accepted: {AcceptedForm}.");
}
