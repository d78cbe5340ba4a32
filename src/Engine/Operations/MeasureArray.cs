using System.Buffers;
using System.Globalization;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Statistics of a store's arrays as xarray shows their values (masked by _FillValue/missing_value,
/// unpacked by scale_factor/add_offset): count, missing, min, max, mean and population standard
/// deviation. Reads chunk by chunk in parallel under a thread and memory budget, only the part of
/// edge chunks inside the array; a chunk absent from the store is all fill value (missing when the
/// fill value is masked, data otherwise). Per-chunk moments are merged in chunk order, so the result
/// does not depend on the number of threads or their timing.
/// </summary>
public static class MeasureArray
{
    /// <summary>Values decoded and measured at once (a small buffer per thread, whatever the chunk size).</summary>
    private const int Block = 4096;

    /// <param name="Store">The store folder.</param>
    /// <param name="Variables">Arrays to measure (paths in the store); null or empty: every numeric data variable.</param>
    /// <param name="Threads">Chunks decoded at once (0: the processor count).</param>
    /// <param name="MaxMemoryBytes">Chunk buffers in flight (0: 1 GiB); limits the threads when chunks are large.</param>
    public sealed record Request(string Store, IReadOnlyList<string>? Variables = null, int Threads = 0, long MaxMemoryBytes = 0);

    public static StoreStatistics Run(Request request, IOperationSink sink)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(sink);
        if (request.Threads < 0 || request.MaxMemoryBytes < 0)
        {
            throw new ZarrPartitionException("InvalidThreads", ErrorKind.InvalidArgument, "--threads",
                "--threads and --max-memory must be positive (or left out for the defaults).");
        }

        var hierarchy = StoreVariable.OpenStore(request.Store);
        var variables = Select(hierarchy, request.Variables, sink);
        foreach (var v in variables)
        {
            _ = v.Decoder; // bad CF attributes fail here, before any chunk is read
        }

        var options = new ExecutionOptions
        {
            MaxThreads = request.Threads > 0 ? request.Threads : Environment.ProcessorCount,
            MaxMemoryBytes = request.MaxMemoryBytes > 0 ? request.MaxMemoryBytes : ExecutionOptions.Default.MaxMemoryBytes,
            Cancellation = sink.Cancellation,
        };
        var tracker = new ProgressTracker(sink, "Measuring", variables.Sum(v => v.Metadata.Grid.ChunkCount));
        var results = new List<ArrayStatistics>();
        foreach (var v in variables)
        {
            var m = Measure(v, options, tracker, sink);
            results.Add(new ArrayStatistics(
                v.Path,
                v.Dimensions,
                v.Metadata.Shape,
                v.Decoder.DecodedType.Name,
                v.Units,
                m.Count,
                m.Missing,
                m.Count == 0 ? double.NaN : m.Min,
                m.Count == 0 ? double.NaN : m.Max,
                m.Count == 0 ? double.NaN : m.Mean,
                Math.Sqrt(m.Variance)));
        }

        tracker.Finish();
        return new StoreStatistics(hierarchy.Store.Location, results.ToArray());
    }

    private static List<StoreVariable> Select(ZarrHierarchy hierarchy, IReadOnlyList<string>? names, IOperationSink sink)
    {
        if (names is { Count: > 0 })
        {
            var chosen = new List<StoreVariable>();
            foreach (var name in names)
            {
                var v = StoreVariable.Find(hierarchy, name);
                v.RequireNumeric();
                if (chosen.All(c => c.Path != v.Path))
                {
                    chosen.Add(v);
                }
            }

            return chosen;
        }

        var coordinates = StoreVariable.CoordinateNames(hierarchy, TemplateRecord.Read(hierarchy.Store));
        var data = new List<StoreVariable>();
        foreach (var path in hierarchy.Arrays.Keys.Where(p => !coordinates.Contains(p)))
        {
            var v = StoreVariable.Of(hierarchy, path);
            if (v.IsNumeric)
            {
                data.Add(v);
            }
            else
            {
                sink.Warning($"'{path}' holds {v.Metadata.DataType.Name}, not numbers; it is not measured.");
            }
        }

        if (data.Count == 0)
        {
            throw new ZarrPartitionException("NoDataVariables", ErrorKind.InvalidArgument, hierarchy.Store.Location,
                $"'{hierarchy.Store.Location}' has no numeric data variables (only coordinates: {string.Join(", ", coordinates.Order(StringComparer.Ordinal))}). Name the arrays to measure with --variables.");
        }

        return data;
    }

    private static RunningMoments Measure(StoreVariable variable, ExecutionOptions options, ProgressTracker tracker, IOperationSink sink)
    {
        var array = variable.Array;
        var meta = variable.Metadata;
        var decoder = variable.Decoder;
        long chunkBytes = meta.ChunkSpec.ByteCount;
        int threads = options.ThreadsFor(chunkBytes);
        var fills = decoder.Mask.FillValues.Count == 0 ? "no fill values" : "fill " + string.Join(", ", decoder.Mask.FillValues.Select(f => f.ToString("R", CultureInfo.InvariantCulture)));
        sink.Verbose(string.Create(CultureInfo.InvariantCulture,
            $"{variable.Path}: {meta.Grid.ChunkCount} chunks of [{string.Join(", ", meta.ChunkShape)}] {meta.DataType.Name}, decoded to {decoder.DecodedType.Name} ({fills}{(decoder.ScaleFactor is { } s ? $", scale_factor {s:R}" : "")}{(decoder.AddOffset is { } o ? $", add_offset {o:R}" : "")}); {threads} thread(s)."));

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = options.Cancellation };
        int batch = Math.Max(256, threads * 16);
        var coords = new long[batch][];
        var moments = new RunningMoments[batch];
        var total = RunningMoments.Empty;
        using var chunks = meta.Grid.AllChunks().GetEnumerator();
        while (true)
        {
            int n = 0;
            while (n < batch && chunks.MoveNext())
            {
                coords[n++] = chunks.Current;
            }

            if (n == 0)
            {
                break;
            }

            ChunkParallel.ForEach(Enumerable.Range(0, n), parallel, i =>
            {
                moments[i] = MeasureChunk(array, decoder, coords[i]);
                tracker.Add(1, chunkBytes);
            });
            options.Cancellation.ThrowIfCancellationRequested();

            // merged in chunk order: the same rounding whatever the threads did
            for (int i = 0; i < n; i++)
            {
                total = total.Combine(moments[i]);
            }
        }

        return total;
    }

    private static RunningMoments MeasureChunk(ZarrArray array, Cf.CfDecoder decoder, long[] coords)
    {
        var meta = array.Metadata;
        var chunk = array.ReadChunk(coords);
        var chunkShape = meta.ChunkShape;
        var valid = array.Grid.ValidShape(coords);
        int elem = meta.DataType.Size;
        long count = 1;
        bool whole = true;
        for (int d = 0; d < valid.Length; d++)
        {
            count *= valid[d];
            whole &= valid[d] == chunkShape[d];
        }

        if (count == 0)
        {
            return RunningMoments.Empty;
        }

        byte[]? rented = null;
        var values = ArrayPool<double>.Shared.Rent(Block);
        try
        {
            ReadOnlySpan<byte> raw = chunk;
            if (!whole)
            {
                // only the part of an edge chunk inside the array
                rented = ArrayPool<byte>.Shared.Rent(checked((int)(count * elem)));
                NdCopy.CopyRegion(chunk, chunkShape, new long[valid.Length], rented, valid, new long[valid.Length], valid, elem);
                raw = rented.AsSpan(0, (int)(count * elem));
            }

            var m = RunningMoments.Empty;
            for (int start = 0; start < count; start += Block)
            {
                int len = (int)Math.Min(Block, count - start);
                var span = values.AsSpan(0, len);
                decoder.Decode(raw.Slice(start * elem, len * elem), span);
                m = m.Combine(RunningMoments.Of(span));
            }

            return m;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(values);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
