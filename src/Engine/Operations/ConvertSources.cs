using System.Diagnostics;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Converts one or many NetCDF/HDF5 files (or Zarr stores), concatenated along one dimension, into a
/// single Zarr store that xarray opens as it opens the sources: dimension names, attributes and CF
/// encodings kept as the sources have them (raw values; units, calendar, scale_factor/add_offset as
/// attributes), _FillValue mapped to the Zarr fill value, consolidated metadata. Every source is checked
/// against the first before anything is written.
/// </summary>
public static class ConvertSources
{
    public sealed record Request(
        IReadOnlyList<string> Sources,
        string Destination,
        string? ConcatDimension = null,
        int ZarrFormat = 2,
        IReadOnlyDictionary<string, int>? Chunks = null,
        string? Codec = null,
        int Threads = 0,
        long MaxMemoryBytes = 1L << 30,
        bool Force = false,
        SourceCache? Cache = null,
        IReadOnlyDictionary<string, int>? Shards = null);

    /// <summary>Default chunks are split until they hold at most this many bytes.</summary>
    public const long DefaultChunkLimit = 64L << 20;

    public static ConvertResult Run(Request request, IOperationSink sink)
    {
        var clock = Stopwatch.StartNew();
        if (request.Sources.Count == 0)
        {
            throw new ZarrPartitionException("NoSources", ErrorKind.InvalidArgument, "SOURCE", "Give at least one NetCDF/HDF5 file or Zarr store to convert.");
        }

        if (request.ZarrFormat is not (2 or 3))
        {
            throw new ZarrPartitionException("InvalidZarrFormat", ErrorKind.InvalidArgument, request.ZarrFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), "--zarr-format must be 2 or 3.");
        }

        var codec = CodecSpec.Parse(request.Codec ?? CodecSpec.DefaultText);
        var destPath = Path.GetFullPath(request.Destination);
        var sources = request.Sources.Select(Path.GetFullPath).ToList();
        var collection = SourceCollection.Open(sources, request.ConcatDimension, request.Cache, sink);
        var cache = collection.Cache;
        var first = collection.First;
        var parts = collection.Parts;
        string? concat = collection.ConcatDimension;
        long fileLength = concat is null ? 0 : parts[0].Length;
        var options = new StoreLayout.Options(
            request.ZarrFormat,
            codec,
            (shape, dims, size, isCoordinate) => ChooseChunks(shape, dims, size, concat, fileLength, isCoordinate && shape.Length == 1, request.Chunks),
            request.Chunks,
            request.Shards);
        var plans = StoreLayout.Build(first, concat, collection.ConcatLength, options, sink);
        StoreDestination.Check(sources, destPath, request.Force);

        long totalChunks = plans.Sum(p => p.Metadata.Grid.ChunkCount);
        if (!sink.ShouldProcess(destPath, $"Create a Zarr v{request.ZarrFormat} store from {sources.Count} source(s)"))
        {
            return new ConvertResult(destPath, request.ZarrFormat, plans.Count, totalChunks, 0, 0, clock.Elapsed.TotalSeconds, Performed: false);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(destPath)!);
        var staging = StoreDestination.StagingPath(destPath);
        long bytesRead = 0, bytesWritten = 0;
        try
        {
            var store = new FileSystemStore(staging, create: true);
            var rootAttrs = new JsonObject();
            foreach (var a in first.Attributes)
            {
                rootAttrs[a.Name] = a.ToJson();
            }

            ZarrHierarchy.CreateGroup(store, "", new GroupMetadata(request.ZarrFormat, rootAttrs));
            var arrays = plans.Select(p => (Plan: p, Array: ZarrArray.Create(store, p.Variable.Name, p.Metadata))).ToList();
            var progress = new ProgressTracker(sink, $"Converting {sources.Count} source(s) to {destPath}", totalChunks);
            var budget = new ExecutionOptions
            {
                MaxThreads = request.Threads > 0 ? request.Threads : Environment.ProcessorCount,
                MaxMemoryBytes = request.MaxMemoryBytes,
                Cancellation = sink.Cancellation,
            };
            long largest = plans.Count == 0 ? 1 : plans.Max(p => p.Metadata.ChunkSpec.ByteCount);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = budget.ThreadsFor(largest), CancellationToken = sink.Cancellation };
            var write = new ExecutionOptions { MaxThreads = 1, Cancellation = sink.Cancellation, WriteEmptyChunks = request.ZarrFormat == 2 };
            var work = arrays.SelectMany(a => a.Array.Grid.AllChunks().Select(c => (a.Plan, a.Array, Coords: c)));
            ChunkParallel.ForEach(work, parallel, item =>
            {
                var grid = item.Array.Grid;
                var origin = grid.ChunkOrigin(item.Coords);
                var count = grid.ValidShape(item.Coords).Select(c => (long)c).ToArray();
                var region = ReadRegion(item.Plan, item.Array.Metadata.DataType.Size, origin, count, parts, cache);
                long n = item.Array.WriteRegion(origin, count, region, write); // one whole chunk, padded past the edge
                long read = region.Length;
                Interlocked.Add(ref bytesRead, read);
                Interlocked.Add(ref bytesWritten, n);
                progress.Add(1, read);
            });
            progress.Finish();
            ZarrHierarchy.Consolidate(store);
            StoreDestination.Publish(staging, destPath);
        }
        catch
        {
            StoreDestination.TryDeleteFolder(staging);
            throw;
        }

        return new ConvertResult(destPath, request.ZarrFormat, plans.Count, totalChunks, bytesRead, bytesWritten, clock.Elapsed.TotalSeconds, Performed: true);
    }

    /// <summary>
    /// Explicit sizes where given; otherwise one source file's length along the concatenation
    /// dimension, whole other dimensions, halving the largest until a chunk holds at most 64 MiB.
    /// Coordinates are one chunk.
    /// </summary>
    internal static int[] ChooseChunks(long[] shape, string[] dims, int elementSize, string? concat, long fileLength, bool isCoordinate, IReadOnlyDictionary<string, int>? explicitChunks)
    {
        int rank = shape.Length;
        var chunks = new long[rank];
        var fixedDims = new bool[rank];
        for (int d = 0; d < rank; d++)
        {
            chunks[d] = Math.Max(1, shape[d]);
            if (explicitChunks is not null && explicitChunks.TryGetValue(dims[d], out int c))
            {
                chunks[d] = c;
                fixedDims[d] = true;
            }
            else if (!isCoordinate && dims[d] == concat && fileLength > 0)
            {
                chunks[d] = fileLength;
                fixedDims[d] = true;
            }

            chunks[d] = Math.Clamp(chunks[d], 1, Math.Max(1, shape[d]));
        }

        while (!isCoordinate && chunks.Aggregate((long)elementSize, (a, b) => a * b) > DefaultChunkLimit)
        {
            int widest = -1;
            for (int d = 0; d < rank; d++)
            {
                if (!fixedDims[d] && chunks[d] > 1 && (widest < 0 || chunks[d] > chunks[widest]))
                {
                    widest = d;
                }
            }

            if (widest < 0)
            {
                break;
            }

            chunks[widest] = (chunks[widest] + 1) / 2;
        }

        return chunks.Select(c => (int)Math.Min(c, int.MaxValue)).ToArray();
    }

    /// <summary>Reads the region [origin, origin+count) of one output array from the sources' slabs.</summary>
    private static byte[] ReadRegion(ArrayPlan plan, int elem, long[] origin, long[] count, IReadOnlyList<SourcePart> parts, SourceCache cache)
    {
        var v = plan.Variable;
        var region = new byte[count.Aggregate((long)elem, (a, b) => a * b)];
        // the source selection: the region's box, plus the whole string-length axis for characters
        long[] SourceVector(long[] box, long last) => plan.Strings ? [.. box, last] : box;
        long strlen = plan.Strings ? v.Shape[^1] : 0;
        if (plan.ConcatAxis < 0)
        {
            using var lease = cache.Acquire(parts[0].Path);
            lease.Dataset.Read("", v, SourceVector(origin, 0), SourceVector(count, strlen), region);
            return region;
        }

        int axis = plan.ConcatAxis;
        long lo = origin[axis], hi = origin[axis] + count[axis];
        var regionShape = count.Select(c => (int)c).ToArray();
        foreach (var part in parts)
        {
            long a = Math.Max(lo, part.Offset), b = Math.Min(hi, part.Offset + part.Length);
            if (a >= b)
            {
                continue;
            }

            var start = (long[])origin.Clone();
            var slabCount = (long[])count.Clone();
            start[axis] = a - part.Offset;
            slabCount[axis] = b - a;
            bool whole = a == lo && b == hi;
            var slab = whole ? region : new byte[slabCount.Aggregate((long)elem, (x, y) => x * y)];
            using (var lease = cache.Acquire(part.Path))
            {
                var sourceVar = lease.Dataset.Root.Variable(v.Name) ?? v;
                lease.Dataset.Read("", sourceVar, SourceVector(start, 0), SourceVector(slabCount, strlen), slab);
            }

            if (!whole)
            {
                var slabShape = slabCount.Select(c => (int)c).ToArray();
                var dst = new long[count.Length];
                dst[axis] = a - lo;
                NdCopy.CopyRegion(slab, slabShape, new long[count.Length], region, regionShape, dst, slabShape, elem);
            }
        }

        return region;
    }
}
