using System.Globalization;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Reads a region of one array as xarray shows it (<c>ds[var].isel(...).values</c>): masked by
/// _FillValue/missing_value (NaN), unpacked by scale_factor/add_offset, with each dimension's coordinate
/// values (CF times as ISO dates). Without a region the whole array is read, up to
/// <see cref="Request.MaxValues"/> values; larger arrays need an explicit region.
/// </summary>
public static class ReadArray
{
    public const long DefaultMaxValues = 10_000_000;

    /// <param name="Store">The store folder.</param>
    /// <param name="Variable">The array's path in the store.</param>
    /// <param name="Region">Index ranges by dimension; dimensions not named are read whole. Null or empty: the whole array.</param>
    /// <param name="Threads">Chunks decoded at once (0: the processor count).</param>
    /// <param name="MaxValues">The most values read without an explicit region.</param>
    public sealed record Request(string Store, string Variable, IReadOnlyList<DimensionRange>? Region = null, int Threads = 0, long MaxValues = DefaultMaxValues);

    public static ArrayValues Run(Request request, IOperationSink sink)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        if (request.Threads < 0)
        {
            throw new ZarrPartitionException("InvalidThreads", ErrorKind.InvalidArgument, "--threads", "--threads must be positive (or left out for the processor count).");
        }

        var hierarchy = StoreVariable.OpenStore(request.Store);
        var variable = StoreVariable.Find(hierarchy, request.Variable);
        variable.RequireNumeric();
        var (start, count) = Resolve(variable, request);
        var decoder = variable.Decoder;
        var options = new ExecutionOptions
        {
            MaxThreads = request.Threads > 0 ? request.Threads : Environment.ProcessorCount,
            Cancellation = sink.Cancellation,
        };
        var tracker = new ProgressTracker(sink, "Reading", TouchedChunks(variable.Metadata.Grid, start, count));
        var raw = variable.Array.ReadRegion(start, count, options with { ChunkDone = _ => tracker.Add(1, 0) });
        var values = new double[raw.Length / variable.Metadata.DataType.Size];
        decoder.Decode(raw, values);
        tracker.Finish();
        sink.Verbose(string.Create(CultureInfo.InvariantCulture,
            $"{variable.Path}: read [{string.Join(", ", start.Select((s, i) => $"{s}:{s + count[i]}"))}] of [{string.Join(", ", variable.Metadata.Shape)}], {variable.Metadata.DataType.Name} decoded to {decoder.DecodedType.Name}."));

        var coordinates = new CoordinateValues[variable.Metadata.Rank];
        for (int d = 0; d < coordinates.Length; d++)
        {
            coordinates[d] = Coordinate(variable, d, start[d], count[d], options, sink);
        }

        return new ArrayValues(variable.Path, decoder.DecodedType.Name, variable.Dimensions, count, start, variable.Units, values, coordinates);
    }

    private static (long[] Start, long[] Count) Resolve(StoreVariable variable, Request request)
    {
        var shape = variable.Metadata.Shape;
        var dims = variable.Dimensions;
        var start = new long[shape.Length];
        var count = (long[])shape.Clone();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var range in request.Region ?? [])
        {
            int d = Array.IndexOf(dims, range.Dimension);
            if (d < 0)
            {
                throw new ZarrPartitionException("UnknownDimension", ErrorKind.InvalidArgument, range.ToString(),
                    $"Region '{range}': '{range.Dimension}' is not a dimension of '{variable.Path}'. Its dimensions: {(dims.Length == 0 ? "none (a scalar)" : string.Join(", ", dims))}.");
            }

            if (!seen.Add(range.Dimension))
            {
                throw new ZarrPartitionException("InvalidRegion", ErrorKind.InvalidArgument, range.ToString(),
                    $"Region '{range}': dimension '{range.Dimension}' is given more than once.");
            }

            var (lo, hi) = range.Resolve(shape[d], variable.Path);
            start[d] = lo;
            count[d] = hi - lo;
        }

        double total = count.Aggregate(1.0, (n, c) => n * c);
        if (request.Region is not { Count: > 0 } && total > request.MaxValues)
        {
            // the first dimension's length that stays under the limit, as an example
            var example = "";
            if (dims.Length > 0)
            {
                double perStep = total / shape[0];
                long steps = (long)Math.Clamp(Math.Floor(request.MaxValues / perStep), 1, shape[0]);
                example = string.Create(CultureInfo.InvariantCulture, $", e.g. --region {dims[0]}=0:{steps}");
            }

            throw new ZarrPartitionException("RegionTooLarge", ErrorKind.InvalidArgument, variable.Path,
                string.Create(CultureInfo.InvariantCulture, $"'{variable.Path}' has {total:0} values ([{string.Join(", ", shape)}]), more than the {request.MaxValues} read without a region. Give a region{example}."));
        }

        long bytes = (long)Math.Min(long.MaxValue, total * Math.Max(variable.Metadata.DataType.Size, sizeof(double)));
        if (bytes > Array.MaxLength)
        {
            throw new ZarrPartitionException("RegionTooLarge", ErrorKind.InvalidArgument, variable.Path,
                string.Create(CultureInfo.InvariantCulture, $"A region of {total:0} values of '{variable.Path}' does not fit in memory at once ({ByteSize.Format(bytes)} as doubles); read it in smaller regions."));
        }

        return (start, count);
    }

    private static long TouchedChunks(ChunkGrid grid, long[] start, long[] count)
    {
        var (lo, hi) = grid.ChunkRange(start, count);
        long n = 1;
        for (int d = 0; d < lo.Length; d++)
        {
            n *= hi[d] - lo[d];
        }

        return n;
    }

    /// <summary>The coordinate of dimension <paramref name="d"/> over [start, start+count): decoded values, CF times as ISO dates.</summary>
    private static CoordinateValues Coordinate(StoreVariable variable, int d, long start, long count, ExecutionOptions options, IOperationSink sink)
    {
        var dim = variable.Dimensions[d];
        if (variable.CoordinateOf(d) is not { } coordinate || !coordinate.IsNumeric)
        {
            return new CoordinateValues(dim, start, start + count, null, null, null, null, null);
        }

        void Warn(string what, Exception e) => sink.Warning($"Coordinate '{coordinate.Path}': {what} ({e.Message}); it is shown as {(what.Contains("times", StringComparison.Ordinal) ? "numbers" : "indices")}.");

        double[] values;
        byte[] raw;
        try
        {
            raw = coordinate.Array.ReadRegion([start], [count], options);
            values = new double[count];
            coordinate.Decoder.Decode(raw, values);
        }
        catch (ZarrPartitionException e) when (e is not ChunkException)
        {
            Warn("cannot be decoded", e);
            return new CoordinateValues(dim, start, start + count, coordinate.Path, null, null, null, coordinate.Units);
        }

        string?[]? times = null;
        try
        {
            if (coordinate.TimeUnits() is { } units)
            {
                var type = coordinate.Metadata.DataType.Native;
                var decoder = coordinate.Decoder;
                bool exactIntegers = type.Kind is DataTypeKind.Int or DataTypeKind.UInt && decoder.DecodedType == type && !(type.Kind == DataTypeKind.UInt && type.Size == 8);
                times = new string?[count];
                for (int i = 0; i < count; i++)
                {
                    if (double.IsNaN(values[i]))
                    {
                        continue; // NaT
                    }

                    var date = exactIntegers ? units.Decode(ReadInt64(raw, i, type)) : units.Decode(values[i]);
                    times[i] = date.ToString().Replace(' ', 'T');
                }
            }
        }
        catch (ZarrPartitionException e)
        {
            times = null;
            Warn("its times cannot be decoded", e);
        }

        return new CoordinateValues(dim, start, start + count, coordinate.Path, coordinate.Decoder.DecodedType.Name, values, times, coordinate.Units);
    }

    private static long ReadInt64(ReadOnlySpan<byte> raw, int index, ZarrDataType type)
    {
        var s = raw.Slice(index * type.Size, type.Size);
        return (type.Kind, type.Size) switch
        {
            (DataTypeKind.Int, 8) => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(s),
            (DataTypeKind.UInt, 4) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(s),
            _ => (long)type.ReadAsDouble(raw, index),
        };
    }
}
