using System.Globalization;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Splits a store's data variables into partitions that each own whole chunks, so that independent
/// workers write with no locks: disjoint, chunk-aligned, together owning every chunk of every data
/// variable exactly once; coordinates belong to none. Variables are grouped by their chunking along the
/// partition dimensions and each group is planned from its own chunks; a variable with none of the
/// partition dimensions goes whole to one partition. Costs O(ranks × variables), never O(chunks).
/// </summary>
public static class PlanPartitions
{
    public const string Balanced = "balanced";

    public const string XPartition = "xpartition";

    /// <summary>Runtime, caches and source reading beyond the chunk buffers, in a writer's peak estimate.</summary>
    public const long WriterOverheadBytes = 96L << 20;

    public sealed record Request(
        string Store,
        IReadOnlyList<string>? Dims = null,
        int Ranks = 0,
        long MaxMemoryBytes = 0,
        IReadOnlyList<string>? Sources = null,
        string? Strategy = null,
        IReadOnlyList<string>? Variables = null,
        int Threads = 0,
        SourceCache? Cache = null,
        bool Incomplete = false);

    /// <summary>Variables that share a chunking along the partition dimensions, planned together.</summary>
    private sealed record Group(List<ArrayInfo> Arrays, string[] Dims, long[] Lengths, int[] Chunks, long Bytes)
    {
        public long[] ChunkCounts => Lengths.Select((l, i) => (l + Chunks[i] - 1) / Chunks[i]).ToArray();
    }

    private sealed record ArrayInfo(string Name, ArrayMetadata Meta, string[] Dims)
    {
        public long Bytes => Meta.Shape.Aggregate((long)Meta.DataType.Size, (a, b) => a * b);

        public long ChunkBytes => Meta.ChunkShape.Aggregate((long)Meta.DataType.Size, (a, b) => a * b);
    }

    public static PartitionPlan Run(Request request, IOperationSink sink)
    {
        var strategy = (request.Strategy ?? Balanced).Trim().ToLowerInvariant();
        if (strategy is not (Balanced or XPartition))
        {
            throw new ZarrPartitionException("InvalidStrategy", ErrorKind.InvalidArgument, request.Strategy!, $"Strategy '{request.Strategy}' is not one of balanced, xpartition.");
        }

        if (request.Ranks < 0 || request.MaxMemoryBytes < 0 || request.Threads < 0)
        {
            throw new ZarrPartitionException("InvalidRanks", ErrorKind.InvalidArgument, "--ranks", "--ranks, --max-memory and --threads must be positive.");
        }

        if (request.Ranks == 0 && request.MaxMemoryBytes == 0)
        {
            throw new ZarrPartitionException("RanksOrMemory", ErrorKind.InvalidArgument, "--ranks",
                "Give --ranks N (the number of workers) or --max-memory SIZE (partitions sized to fit a worker's memory), or both.");
        }

        var storePath = Path.GetFullPath(request.Store);
        if (!Directory.Exists(storePath) || !ZarrHierarchy.IsZarr(new FileSystemStore(storePath)))
        {
            throw new ZarrPartitionException("StoreNotFound", ErrorKind.ObjectNotFound, storePath, $"'{storePath}' is not a Zarr store. Create it first with 'zarrpartition template'.");
        }

        var store = new FileSystemStore(storePath);
        var hierarchy = ZarrHierarchy.Open(store);
        var record = TemplateRecord.Read(store);
        var coordinates = CoordinateNames(hierarchy, record);
        var arrays = hierarchy.Arrays.Where(kv => !coordinates.Contains(kv.Key))
            .Select(kv => new ArrayInfo(kv.Key, kv.Value, kv.Value.DimensionNames?.Select((d, i) => d ?? $"dim_{i}").ToArray() ?? []))
            .OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
        if (request.Variables is { Count: > 0 })
        {
            foreach (var v in request.Variables.Where(v => arrays.All(a => a.Name != v)))
            {
                throw new ZarrPartitionException("UnknownVariable", ErrorKind.InvalidArgument, v,
                    $"'{v}' is not a data variable of the store{(coordinates.Contains(v) ? " (it is a coordinate, written by the template)" : "")}. Data variables: {string.Join(", ", arrays.Select(a => a.Name))}.");
            }

            arrays = arrays.Where(a => request.Variables.Contains(a.Name)).ToList();
        }

        if (arrays.Count == 0)
        {
            throw new ZarrPartitionException("NoDataVariables", ErrorKind.InvalidArgument, storePath, "The store has no data variables to partition (only coordinates).");
        }

        string? timeDim = record?.TimeDimension ?? (arrays.Any(a => a.Dims.Contains("time")) ? "time" : null);
        var dims = request.Dims is { Count: > 0 } ? request.Dims.ToArray() : timeDim is not null ? [timeDim] : [arrays.OrderByDescending(a => a.Bytes).First().Dims.FirstOrDefault() ?? ""];
        var allDims = arrays.SelectMany(a => a.Dims).ToHashSet(StringComparer.Ordinal);
        foreach (var d in dims)
        {
            if (!allDims.Contains(d))
            {
                throw new ZarrPartitionException("UnknownDimension", ErrorKind.InvalidArgument, d,
                    $"'{d}' is not a dimension of the store's data variables. Dimensions: {string.Join(", ", allDims.Order(StringComparer.Ordinal))}.");
            }
        }

        if (dims.Distinct().Count() != dims.Length)
        {
            throw new ZarrPartitionException("RepeatedDimension", ErrorKind.InvalidArgument, string.Join(",", dims), "--dims names a dimension twice.");
        }

        var warnings = new List<string>();
        var (groups, whole) = GroupArrays(arrays, dims);
        long totalBytes = arrays.Sum(a => a.Bytes);
        int ranks = request.Ranks;
        if (ranks == 0)
        {
            // memory-sized partitions: each holds at most --max-memory of uncompressed data
            ranks = (int)Math.Clamp((totalBytes + request.MaxMemoryBytes - 1) / request.MaxMemoryBytes, 1, 1_000_000);
            sink.Verbose($"{ranks} partition(s) of at most {ByteSize.Format(request.MaxMemoryBytes)} each for {ByteSize.Format(totalBytes)} of data.");
        }

        var boxes = strategy == Balanced ? PlanBalanced(groups, ranks, warnings) : PlanXPartition(groups, dims, ranks, warnings);

        // variables with none of the partition dimensions: whole, to one partition
        var partitions = boxes.Select(b => (Region: b.Region, Variables: b.Variables.ToList(), Chunks: b.Chunks, Bytes: b.Bytes)).ToList();
        foreach (var a in whole)
        {
            int target = strategy == XPartition || partitions.Count == 0 ? 0 : partitions.Select((p, i) => (p.Bytes, i)).Min().i;
            if (partitions.Count == 0)
            {
                partitions.Add((new Dictionary<string, long[]>(StringComparer.Ordinal), [], 0, 0));
            }

            var p = partitions[target];
            for (int d = 0; d < a.Dims.Length; d++)
            {
                p.Region[a.Dims[d]] = [0, a.Meta.Shape[d]];
            }

            p.Variables.Add(a.Name);
            partitions[target] = (p.Region, p.Variables, p.Chunks + a.Meta.Grid.ChunkCount, p.Bytes + a.Bytes);
        }

        // sources: which files, and which slab of each, every partition reads
        IReadOnlyList<MappedSource>? mapped = null;
        SourceCollection? collection = null;
        if (request.Sources is { Count: > 0 })
        {
            (mapped, collection) = MapSources(request, hierarchy, store, timeDim, arrays, warnings);
        }

        // memory: the writer's threads and peak, from the largest chunk it handles
        Advise(arrays, groups, request.MaxMemoryBytes, collection, warnings);
        int count = partitions.Count;
        if (count < ranks)
        {
            warnings.Add($"{ranks} ranks but the data split along {string.Join(",", dims)} into only {count} partition(s) of whole chunks: {ranks - count} rank(s) will have nothing to do. Split along more dimensions (--dims) or use fewer ranks.");
        }

        if (request.Incomplete)
        {
            // only partitions with a chunk no journal (of any plan) records as written
            var done = Writing.JournalEntry.ReadAll(store).SelectMany(j => j.Written.Keys).ToHashSet(StringComparer.Ordinal);
            int before = partitions.Count;
            partitions = partitions.Where(p => p.Variables.Any(v => ChunkKeys(hierarchy.OpenArray(v), p.Region).Any(k => !done.Contains(k)))).ToList();
            sink.Verbose($"--incomplete: {before - partitions.Count} of {before} partition(s) already written are left out; {partitions.Count} remain.");
            if (partitions.Count == 0)
            {
                warnings.Add("Every chunk is already written (the journals say so): nothing left to plan. Run finalize.");
            }

            count = partitions.Count;
        }

        var result = new List<Partition>(count);
        for (int i = 0; i < count; i++)
        {
            var p = partitions[i];
            long perChunk = 3 * p.Variables.Select(v => arrays.First(a => a.Name == v)).Max(a => a.ChunkBytes);
            int threads = request.Threads;
            if (request.MaxMemoryBytes > 0)
            {
                int fit = (int)Math.Clamp((request.MaxMemoryBytes - WriterOverheadBytes) / Math.Max(1, perChunk), 1, 256);
                threads = threads > 0 ? Math.Min(threads, fit) : fit;
            }

            long peak = WriterOverheadBytes + (threads > 0 ? threads : Environment.ProcessorCount) * perChunk;
            var files = mapped is null ? [] : SourcesFor(p.Region, timeDim, mapped, collection!);
            result.Add(new Partition(i, count, p.Region, p.Variables, p.Chunks, p.Bytes, threads, peak, files));
        }

        foreach (var w in warnings)
        {
            sink.Warning(w);
        }

        return new PartitionPlan(storePath, strategy, ranks, dims, timeDim, result, warnings);
    }

    /// <summary>The keys of the chunks of <paramref name="array"/> inside a region (for --incomplete only: O(chunks)).</summary>
    private static IEnumerable<string> ChunkKeys(ZarrArray array, Dictionary<string, long[]> region)
    {
        var meta = array.Metadata;
        var dims = meta.DimensionNames ?? [];
        var lo = new long[meta.Rank];
        var hi = new long[meta.Rank];
        for (int d = 0; d < meta.Rank; d++)
        {
            var r = dims[d] is { } name && region.TryGetValue(name, out var range) ? range : [0, meta.Shape[d]];
            lo[d] = r[0] / meta.ChunkShape[d];
            hi[d] = (r[1] + meta.ChunkShape[d] - 1) / meta.ChunkShape[d];
        }

        return ChunkGrid.Enumerate(lo, hi).Select(array.ChunkKey);
    }

    /// <summary>
    /// The coordinates, which belong to no partition: those the template recorded writing; for a store
    /// made elsewhere, the coordinates as xarray tells them (<see cref="StoreVariable.CoordinateNames"/>).
    /// </summary>
    private static HashSet<string> CoordinateNames(ZarrHierarchy hierarchy, TemplateRecord? record) =>
        record is not null ? record.Coordinates.ToHashSet(StringComparer.Ordinal) : StoreVariable.CoordinateNames(hierarchy, null);

    private static (List<Group> Groups, List<ArrayInfo> Whole) GroupArrays(List<ArrayInfo> arrays, string[] dims)
    {
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        var whole = new List<ArrayInfo>();
        foreach (var a in arrays)
        {
            var present = dims.Where(d => a.Dims.Contains(d)).ToArray();
            if (present.Length == 0)
            {
                whole.Add(a);
                continue;
            }

            var lengths = present.Select(d => a.Meta.Shape[Array.IndexOf(a.Dims, d)]).ToArray();
            var chunks = present.Select(d => a.Meta.ChunkShape[Array.IndexOf(a.Dims, d)]).ToArray();
            var key = string.Join(";", present.Select((d, i) => $"{d}:{lengths[i]}:{chunks[i]}"));
            if (groups.TryGetValue(key, out var g))
            {
                g.Arrays.Add(a);
                groups[key] = g with { Bytes = g.Bytes + a.Bytes };
            }
            else
            {
                groups[key] = new Group([a], present, lengths, chunks, a.Bytes);
            }
        }

        return (groups.Values.ToList(), whole);
    }

    private sealed record Box(Dictionary<string, long[]> Region, IReadOnlyList<string> Variables, long Chunks, long Bytes);

    private static List<Box> PlanBalanced(List<Group> groups, int ranks, List<string> warnings)
    {
        if (groups.Count == 0)
        {
            return [];
        }

        var share = new int[groups.Count];
        if (groups.Count > ranks)
        {
            warnings.Add($"{groups.Count} groups of variables are chunked differently along the partition dimensions, more than the {ranks} rank(s): each group is one partition ({groups.Count} partitions).");
            Array.Fill(share, 1);
        }
        else
        {
            // ranks to groups by their bytes (minimax), never more ranks than a group has chunks
            Array.Fill(share, 1);
            var capacity = groups.Select(g => g.ChunkCounts.Aggregate(1L, (a, b) => a * b)).ToArray();
            var queue = new PriorityQueue<int, double>();
            for (int g = 0; g < groups.Count; g++)
            {
                if (capacity[g] > 1)
                {
                    queue.Enqueue(g, -(double)groups[g].Bytes / share[g]);
                }
            }

            for (int left = ranks - groups.Count; left > 0 && queue.Count > 0; left--)
            {
                int g = queue.Dequeue();
                share[g]++;
                if (share[g] < capacity[g])
                {
                    queue.Enqueue(g, -(double)groups[g].Bytes / share[g]);
                }
            }

            if (groups.Count > 1)
            {
                warnings.Add($"Variables are chunked {groups.Count} different ways along the partition dimensions; each way is planned from its own chunks ({string.Join("; ", groups.Select((g, i) => $"{string.Join(",", g.Arrays.Select(a => a.Name))}: {share[i]} partition(s)"))}).");
            }
        }

        var boxes = new List<Box>();
        for (int g = 0; g < groups.Count; g++)
        {
            var group = groups[g];
            foreach (var box in Partitioner.Balanced(group.ChunkCounts, share[g]))
            {
                boxes.Add(ToBox(group, group.Dims, box.Start, box.Stop));
            }
        }

        return boxes;
    }

    private static List<Box> PlanXPartition(List<Group> groups, string[] dims, int ranks, List<string> warnings)
    {
        var boxes = new List<Box>();
        int idle = int.MaxValue;
        foreach (var group in groups)
        {
            var priority = group.Dims.Select(d => Array.IndexOf(dims, d)).ToArray();
            var perRank = Partitioner.XPartition(group.ChunkCounts, priority, ranks);
            idle = Math.Min(idle, perRank.Count(b => b is null));
            foreach (var box in perRank)
            {
                if (box is not null)
                {
                    boxes.Add(ToBox(group, group.Dims, box.Start, box.Stop));
                }
            }
        }

        if (idle is > 0 and < int.MaxValue)
        {
            warnings.Add($"xpartition's split leaves {idle} of {ranks} rank(s) idle; the balanced strategy would use them.");
        }

        if (groups.Count > 1)
        {
            warnings.Add($"Variables are chunked {groups.Count} different ways along the partition dimensions; as xpartition does, each is planned from its own chunks, which makes {boxes.Count} partitions for {ranks} rank(s).");
        }

        return boxes;
    }

    /// <summary>A chunk box of a group as an element region over every dimension of its variables.</summary>
    private static Box ToBox(Group group, string[] dims, long[] start, long[] stop)
    {
        var region = new Dictionary<string, long[]>(StringComparer.Ordinal);
        for (int i = 0; i < dims.Length; i++)
        {
            region[dims[i]] = [start[i] * group.Chunks[i], Math.Min(stop[i] * group.Chunks[i], group.Lengths[i])];
        }

        long chunks = 0, bytes = 0;
        foreach (var a in group.Arrays)
        {
            long elements = 1, n = 1;
            for (int d = 0; d < a.Dims.Length; d++)
            {
                if (!region.TryGetValue(a.Dims[d], out var r))
                {
                    r = [0, a.Meta.Shape[d]];
                    region[a.Dims[d]] = r;
                }

                elements *= r[1] - r[0];
                n *= (r[1] - r[0] + a.Meta.ChunkShape[d] - 1) / a.Meta.ChunkShape[d];
            }

            chunks += n;
            bytes += elements * a.Meta.DataType.Size;
        }

        return new Box(region, group.Arrays.Select(a => a.Name).ToList(), chunks, bytes);
    }

    private static (IReadOnlyList<MappedSource>, SourceCollection) MapSources(Request request, ZarrHierarchy hierarchy, FileSystemStore store, string? timeDim, List<ArrayInfo> arrays, List<string> warnings)
    {
        if (timeDim is null)
        {
            // no axis to place files on: one source, read whole by every partition
            if (request.Sources!.Count != 1)
            {
                throw new ZarrPartitionException("SourcesNeedTime", ErrorKind.InvalidArgument, "--sources",
                    "--sources places files on the store's time axis, and the store has none. Make the store with 'zarrpartition template' (with --time-dim), or give a single source.");
            }

            var single = SourceCollection.Open(request.Sources!, null, request.Cache, new NullSink());
            return ([new MappedSource(single.Parts[0].Path, 0, 0)], single);
        }

        if (!hierarchy.Arrays.TryGetValue(timeDim, out var timeMeta) || timeMeta.Attributes["units"]?.GetValue<string>() is not { } unitsText || !unitsText.Contains(" since ", StringComparison.OrdinalIgnoreCase))
        {
            // a joining dimension without CF time: files are placed in the order the collection checks and sorts them
            var ordered = SourceCollection.Open(request.Sources!, timeDim, request.Cache, new NullSink());
            long length = arrays.Where(a => a.Dims.Contains(timeDim)).Select(a => a.Meta.Shape[Array.IndexOf(a.Dims, timeDim)]).DefaultIfEmpty(ordered.ConcatLength).First();
            if (ordered.ConcatLength != length)
            {
                throw new ZarrPartitionException("SourcesDoNotFit", ErrorKind.InvalidData, "--sources",
                    $"The sources hold {ordered.ConcatLength} steps along '{timeDim}' and the store {length}; without time values they can only be placed one after another, filling the axis exactly.");
            }

            return (ordered.Parts.Select(p => new MappedSource(p.Path, p.Offset, p.Length)).ToList(), ordered);
        }

        var collection = SourceCollection.Open(request.Sources!, timeDim, request.Cache, new NullSink());
        var storeUnits = CfTimeUnits.Parse(timeMeta.Attributes["units"]?.GetValue<string>() ?? throw new ZarrPartitionException("StoreTimeUnits", ErrorKind.InvalidData, timeDim, $"The store's '{timeDim}' has no units."),
            timeMeta.Attributes["calendar"]?.GetValue<string>());
        var raw = new ZarrArray(store, timeDim, timeMeta).ReadAsDoubles([0], timeMeta.Shape);
        var axis = TimeValues.ToMicroseconds(raw, storeUnits);
        for (int i = 1; i < axis.Length; i++)
        {
            if (axis[i] <= axis[i - 1])
            {
                throw new ZarrPartitionException("StoreTimeNotIncreasing", ErrorKind.InvalidData, timeDim, $"The store's '{timeDim}' does not increase at step {i}; sources cannot be placed on it.");
            }
        }

        var map = SourceMap.Map(collection, timeDim, axis, storeUnits);
        warnings.AddRange(map.Warnings);
        foreach (var a in arrays.Where(a => collection.First.Variable(a.Name) is null))
        {
            warnings.Add($"The sources have no variable '{a.Name}'; it will stay fill.");
        }

        return (map.Files, collection);
    }

    /// <summary>
    /// Files whose steps meet the partition's time range, with the slab of each it needs and where it lands.
    /// A partition of variables without the time dimension reads them from the first file.
    /// </summary>
    private static List<PartitionSource> SourcesFor(Dictionary<string, long[]> region, string? timeDim, IReadOnlyList<MappedSource> files, SourceCollection collection)
    {
        var empty = new Dictionary<string, long[]>(StringComparer.Ordinal);
        if (timeDim is null || !region.TryGetValue(timeDim, out var r))
        {
            return files.Count == 0 ? [] : [new PartitionSource(files[0].Path, empty, empty)];
        }

        (long lo, long hi) = (r[0], r[1]);

        // binary search the first file that ends after lo
        int a = 0, b = files.Count;
        while (a < b)
        {
            int m = (a + b) / 2;
            if (files[m].StoreStop <= lo)
            {
                a = m + 1;
            }
            else
            {
                b = m;
            }
        }

        var list = new List<PartitionSource>();
        for (int i = a; i < files.Count && files[i].StoreStart < hi; i++)
        {
            var f = files[i];
            long s = Math.Max(lo, f.StoreStart), e = Math.Min(hi, f.StoreStop);
            list.Add(new PartitionSource(
                f.Path,
                new Dictionary<string, long[]>(StringComparer.Ordinal) { [timeDim] = [s - f.StoreStart, e - f.StoreStart] },
                new Dictionary<string, long[]>(StringComparer.Ordinal) { [timeDim] = [s, e] }));
        }

        // variables without the time dimension in a partition whose time range no file covers (a gap)
        if (list.Count == 0 && files.Count > 0)
        {
            list.Add(new PartitionSource(files[0].Path, empty, empty));
        }

        return list;
    }

    private static void Advise(List<ArrayInfo> arrays, List<Group> groups, long maxMemory, SourceCollection? sources, List<string> warnings)
    {
        const long OneMB = 1L << 20;
        var small = arrays.Where(a => a.ChunkBytes < OneMB && a.Meta.Grid.ChunkCount > 1).Select(a => $"{a.Name} ({ByteSize.Format(a.ChunkBytes)})").ToList();
        if (small.Count > 0)
        {
            warnings.Add($"Chunks under 1 MB make many small files and slow reads: {string.Join(", ", small)}. Consider larger chunks (template --chunks or --target-chunk-mb).");
        }

        var large = arrays.Where(a => a.ChunkBytes > 100 * OneMB).Select(a => $"{a.Name} ({ByteSize.Format(a.ChunkBytes)})").ToList();
        if (large.Count > 0)
        {
            warnings.Add($"Chunks over 100 MB need much memory to write and read: {string.Join(", ", large)}. Consider smaller chunks.");
        }


        long largest = arrays.Max(a => a.ChunkBytes);
        if (maxMemory > 0 && maxMemory < WriterOverheadBytes + 3 * largest)
        {
            warnings.Add($"--max-memory {ByteSize.Format(maxMemory)} is too small for one chunk: writing a {ByteSize.Format(largest)} chunk needs about {ByteSize.Format(WriterOverheadBytes + 3 * largest)}. Give more memory or use smaller chunks.");
        }

        if (sources is null)
        {
            return;
        }

        foreach (var a in arrays)
        {
            if (sources.First.Variable(a.Name) is not { ChunkShape: { } sourceChunks } v || sourceChunks.Length != v.Rank || v.Kind != VariableKind.Numeric)
            {
                continue;
            }

            for (int d = 0; d < a.Dims.Length && d < sourceChunks.Length; d++)
            {
                int store = a.Meta.ChunkShape[d], src = sourceChunks[d];
                if (a.Dims[d] == sources.ConcatDimension || store % src == 0 || src % store == 0 || a.Meta.Shape[d] <= store)
                {
                    continue;
                }

                var aligned = new[] { src, 2 * src, 4 * src }.Concat(Enumerable.Range(1, src).Where(k => src % k == 0 && k * 4 >= store).Take(2))
                    .Where(k => k <= a.Meta.Shape[d]).Distinct().Order();
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"'{a.Name}': store chunks of {store} along '{a.Dims[d]}' do not align with the sources' chunks of {src}, so source chunks are decoded more than once. Aligned sizes: {string.Join(", ", aligned)}."));
            }
        }

        if (groups.Count > 0 && sources.ConcatDimension is { } t && groups[0].Dims.Contains(t))
        {
            var g = groups[0];
            int chunk = g.Chunks[Array.IndexOf(g.Dims, t)];
            if (sources.CommonPartLength is long len && len % chunk != 0 && chunk % len != 0)
            {
                warnings.Add($"The sources hold {len} time steps each and the store's time chunks {chunk}: files straddle chunk boundaries, so partitions next to each other read the same files (each writes only its own chunks). Chunks of a multiple or divisor of {len} avoid it.");
            }
        }
    }
}
