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

    /// <summary>One source and the slice of the concatenated axis it covers.</summary>
    private sealed record Part(string Path, long Offset, long Length);

    /// <summary>One output array: the source variable (as in the first file) and its Zarr metadata.</summary>
    private sealed record Plan(Variable Variable, ArrayMetadata Metadata, int ConcatAxis, bool Strings);

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
        var cache = request.Cache ?? SourceCache.Shared;

        // read every source's model (leases are released at once: the cache keeps the files open)
        var models = new List<(string Path, DatasetGroup Root)>();
        foreach (var s in sources)
        {
            using var lease = cache.Acquire(s);
            models.Add((s, lease.Dataset.Root));
        }

        var first = models[0].Root;
        string? concat = request.ConcatDimension ?? ChooseConcatDimension(first, models.Count);
        var parts = Order(models, concat, cache, sink);
        var plans = PlanArrays(first, concat, parts, request, codec, sink);
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
            var options = new ParallelOptions { MaxDegreeOfParallelism = budget.ThreadsFor(largest), CancellationToken = sink.Cancellation };
            var write = new ExecutionOptions { MaxThreads = 1, Cancellation = sink.Cancellation, WriteEmptyChunks = request.ZarrFormat == 2 };
            var work = arrays.SelectMany(a => a.Array.Grid.AllChunks().Select(c => (a.Plan, a.Array, Coords: c)));
            ChunkParallel.ForEach(work, options, item =>
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

    /// <summary>The unlimited dimension, else "time", else none (a single source needs none).</summary>
    private static string? ChooseConcatDimension(DatasetGroup root, int sourceCount)
    {
        var chosen = root.Dimensions.FirstOrDefault(d => d.IsUnlimited)?.Name ?? root.Dimension("time")?.Name;
        if (chosen is null && sourceCount > 1)
        {
            throw new ZarrPartitionException("NoConcatDimension", ErrorKind.InvalidArgument, "--concat-dim",
                $"The sources have no unlimited dimension and no 'time' dimension to concatenate along; name one with --concat-dim. Dimensions: {string.Join(", ", root.Dimensions.Select(d => d.Name))}.");
        }

        return chosen;
    }

    /// <summary>Checks every source against the first and orders them along the concatenation dimension.</summary>
    private static List<Part> Order(List<(string Path, DatasetGroup Root)> models, string? concat, SourceCache cache, IOperationSink sink)
    {
        var first = models[0];
        if (concat is not null && first.Root.Dimension(concat) is null)
        {
            throw new ZarrPartitionException("UnknownDimension", ErrorKind.InvalidArgument, concat,
                $"--concat-dim '{concat}' is not a dimension of {first.Path}. Dimensions: {string.Join(", ", first.Root.Dimensions.Select(d => d.Name))}.");
        }

        foreach (var (path, root) in models.Skip(1))
        {
            foreach (var d in first.Root.Dimensions.Where(d => d.Name != concat))
            {
                var od = root.Dimension(d.Name) ?? throw Disagree(path, $"it has no dimension '{d.Name}'");
                if (od.Length != d.Length)
                {
                    throw Disagree(path, $"dimension '{d.Name}' has length {od.Length} there but {d.Length} in {first.Path}");
                }
            }

            foreach (var v in first.Root.Variables)
            {
                var other = root.Variable(v.Name) ?? throw Disagree(path, $"it has no variable '{v.Name}', which {first.Path} has");
                if (other.DataType.Native != v.DataType.Native || other.Kind != v.Kind)
                {
                    throw Disagree(path, $"variable '{v.Name}' is {other.DataType.Name} there but {v.DataType.Name} in {first.Path}");
                }

                if (!other.Dimensions.SequenceEqual(v.Dimensions))
                {
                    throw Disagree(path, $"variable '{v.Name}' has dimensions ({string.Join(", ", other.Dimensions)}) there but ({string.Join(", ", v.Dimensions)}) in {first.Path}");
                }

                if (v.Dimensions.Contains(concat) && Units(other) != Units(v))
                {
                    throw Disagree(path, $"variable '{v.Name}' has units '{Units(other)}' there but '{Units(v)}' in {first.Path}; values along '{concat}' cannot be joined as they are");
                }
            }

            foreach (var v in root.Variables.Where(v => first.Root.Variable(v.Name) is null))
            {
                throw Disagree(path, $"it has a variable '{v.Name}' that {first.Path} lacks");
            }

        }

        if (concat is null)
        {
            return [new Part(first.Path, 0, 0)];
        }

        // order by the first value of the concatenation coordinate, when there is one
        var ordered = models;
        if (first.Root.Variable(concat) is { Rank: 1 } coord && coord.Kind == VariableKind.Numeric)
        {
            var sorted = models.Select(m => (Model: m, Range: CoordinateRange(cache, m.Path, m.Root, coord))).OrderBy(k => k.Range.First).ToList();
            ordered = sorted.Select(k => k.Model).ToList();
            for (int i = 1; i < sorted.Count; i++)
            {
                if (sorted[i].Range.First <= sorted[i - 1].Range.Last)
                {
                    throw new ZarrPartitionException("OverlappingSources", ErrorKind.InvalidArgument, sorted[i].Model.Path,
                        $"'{sorted[i].Model.Path}' starts at {concat} = {sorted[i].Range.First}, which is not after the end ({sorted[i - 1].Range.Last}) of '{sorted[i - 1].Model.Path}': the files overlap or repeat. Remove the duplicate.");
                }
            }

            if (!ordered.Select(m => m.Path).SequenceEqual(models.Select(m => m.Path)))
            {
                sink.Verbose($"Sources ordered by their first {concat} value.");
            }
        }

        var parts = new List<Part>();
        long offset = 0;
        foreach (var (path, root) in ordered)
        {
            long len = root.Dimension(concat)!.Length;
            parts.Add(new Part(path, offset, len));
            offset += len;
        }

        return parts;

        ZarrPartitionException Disagree(string path, string why) =>
            new("SourcesDisagree", ErrorKind.InvalidData, path, $"'{path}' does not match the other sources: {why}. Nothing was written.");
    }

    private static string? Units(Variable v) => v.Attribute("units")?.Text;

    private static (double First, double Last) CoordinateRange(SourceCache cache, string path, DatasetGroup root, Variable coord)
    {
        var v = root.Variable(coord.Name)!;
        long n = v.Shape[0];
        if (n == 0)
        {
            return (double.NegativeInfinity, double.NegativeInfinity);
        }

        using var lease = cache.Acquire(path);
        var buffer = new byte[v.DataType.Size];
        lease.Dataset.Read("", v, [0], [1], buffer);
        double a = v.DataType.ReadAsDouble(buffer, 0);
        lease.Dataset.Read("", v, [n - 1], [1], buffer);
        return (a, v.DataType.ReadAsDouble(buffer, 0));
    }

    private static List<Plan> PlanArrays(DatasetGroup first, string? concat, List<Part> parts, Request request, CodecSpec codec, IOperationSink sink)
    {
        foreach (var g in first.Groups)
        {
            sink.Warning($"Group '{g.Path}' is not converted: only the root group is (as xarray.open_mfdataset reads it).");
        }

        if (request.Shards is { Count: > 0 } && request.ZarrFormat != 3)
        {
            throw new ZarrPartitionException("ShardingNeedsV3", ErrorKind.InvalidArgument, "--shards", "Shards exist only in Zarr v3; add --zarr-format 3.");
        }

        foreach (var (option, map) in new[] { ("--chunks", request.Chunks), ("--shards", request.Shards) })
        {
            foreach (var key in map?.Keys ?? [])
            {
                if (first.Dimension(key) is null)
                {
                    throw new ZarrPartitionException("UnknownDimension", ErrorKind.InvalidArgument, key,
                        $"{option} names dimension '{key}', which the sources do not have. Dimensions: {string.Join(", ", first.Dimensions.Select(d => d.Name))}.");
                }
            }
        }

        long concatLength = parts.Sum(p => p.Length);
        long firstLength = parts[0].Length;
        var plans = new List<Plan>();
        foreach (var v in first.Variables)
        {
            StoreKey.ValidateName(v.Name);
            if (v.Kind == VariableKind.String)
            {
                sink.Warning($"Variable '{v.Name}' holds variable-length strings, which this engine does not write to Zarr yet; it is left out.");
                continue;
            }

            int concatAxis = concat is null ? -1 : Array.IndexOf(v.Dimensions, concat);
            var shape = (long[])v.Shape.Clone();
            if (concatAxis >= 0)
            {
                shape[concatAxis] = concatLength;
            }

            // NetCDF characters: the last (string length) dimension becomes the width of a |S<n> element, as xarray decodes them
            bool strings = v.Kind == VariableKind.Char && v.Rank >= 1;
            var dims = v.Dimensions;
            var dtype = v.DataType.Native;
            if (strings)
            {
                dtype = new ZarrDataType(DataTypeKind.FixedBytes, (int)Math.Max(1, shape[^1]));
                shape = shape[..^1];
                dims = dims[..^1];
            }

            bool isCoordinate = v.Rank == 1 && v.Dimensions[0] == v.Name;
            var chunks = ChooseChunks(shape, dims, dtype.Size, concat, concatAxis >= 0 ? firstLength : 0, isCoordinate, request.Chunks);
            var attrs = new JsonObject();
            byte[]? fill = null;
            foreach (var a in v.Attributes)
            {
                if (a.Name == "_FillValue" && !strings)
                {
                    fill = v.FillValue;
                    if (request.ZarrFormat == 2)
                    {
                        continue; // v2: the Zarr fill value is the CF _FillValue (xarray moves it there)
                    }

                    if (dtype.Kind == DataTypeKind.Float && a.AsDoubles() is [double f])
                    {
                        // v3: xarray keeps the CF _FillValue as an attribute, a float as base64 of its little-endian float64 bytes
                        attrs[a.Name] = Convert.ToBase64String(BitConverter.GetBytes(f));
                        continue;
                    }
                }

                attrs[a.Name] = a.ToJson();
            }

            if (request.ZarrFormat == 3 && fill is null)
            {
                fill = dtype.Kind == DataTypeKind.Float ? FillValueJson.FromDouble(double.NaN, dtype) : new byte[dtype.Size];
            }

            int[]? shards = null;
            if (request.Shards is { Count: > 0 } && shape.Length > 0)
            {
                shards = new int[shape.Length];
                for (int d = 0; d < shape.Length; d++)
                {
                    // a shard never needs to reach past the array's edge by more than one chunk
                    long edge = (Math.Max(1, shape[d]) + chunks[d] - 1) / chunks[d] * chunks[d];
                    shards[d] = (int)Math.Min(request.Shards.TryGetValue(dims[d], out int sz) ? sz : chunks[d], edge);
                    if (shards[d] % chunks[d] != 0)
                    {
                        throw new ZarrPartitionException("InvalidShardShape", ErrorKind.InvalidArgument, v.Name,
                            $"Variable '{v.Name}': the shard size {shards[d]} of dimension '{dims[d]}' is not a multiple of its chunk size {chunks[d]}.");
                    }
                }
            }

            var meta = ArrayMetadata.Create(request.ZarrFormat, shape, chunks, dtype, fill, codec.Build(dtype), dims, attrs, shards);
            plans.Add(new Plan(v, meta, concatAxis, strings));
        }

        return plans;
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
    private static byte[] ReadRegion(Plan plan, int elem, long[] origin, long[] count, List<Part> parts, SourceCache cache)
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
