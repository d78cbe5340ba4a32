using System.Diagnostics;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Copies a Zarr store into a new one — rechunked, recompressed, v2↔v3, sharded — keeping groups,
/// attributes and dimension names. The new store is built in a hidden staging folder beside the
/// destination and moved into place only when complete, so a failure or a kill never leaves a
/// half-written destination and never loses the store it replaces.
/// </summary>
public static class ConvertStore
{
    public sealed record Request(
        string Source,
        string Destination,
        int? ZarrFormat = null,
        IReadOnlyDictionary<string, int>? Chunks = null,
        IReadOnlyDictionary<string, int>? Shards = null,
        string? Codec = null,
        int Threads = 0,
        long MaxMemoryBytes = 1L << 30,
        bool Force = false);

    public static ConvertResult Run(Request request, IOperationSink sink)
    {
        var clock = Stopwatch.StartNew();
        var sourcePath = Path.GetFullPath(request.Source);
        var destPath = Path.GetFullPath(request.Destination);
        if (request.ZarrFormat is not (null or 2 or 3))
        {
            throw new ZarrPartitionException("InvalidZarrFormat", ErrorKind.InvalidArgument, request.ZarrFormat.ToString(), "--zarr-format must be 2 or 3.");
        }

        var codec = request.Codec is null ? null : CodecSpec.Parse(request.Codec);
        var source = new FileSystemStore(sourcePath);
        var hierarchy = ZarrHierarchy.Open(source);
        int format = request.ZarrFormat ?? hierarchy.ZarrFormat;
        if (request.Shards is { Count: > 0 } && format != 3)
        {
            throw new ZarrPartitionException("ShardingNeedsV3", ErrorKind.InvalidArgument, "--shards", "Shards exist only in Zarr v3; add --zarr-format 3.");
        }

        CheckDimensions(hierarchy, request.Chunks, "--chunks");
        CheckDimensions(hierarchy, request.Shards, "--shards");
        StoreDestination.Check([sourcePath], destPath, request.Force);

        // plan every array before touching the destination: bad input fails here
        var plans = hierarchy.Arrays.Select(kv => (Path: kv.Key, Source: kv.Value, Target: PlanArray(kv.Key, kv.Value, format, request, codec))).ToList();
        long totalChunks = plans.Sum(p => p.Target.Grid.ChunkCount);
        bool exists = Directory.Exists(destPath);
        if (!sink.ShouldProcess(destPath, exists ? $"Replace the Zarr store with a v{format} copy of {sourcePath}" : $"Create a Zarr v{format} store from {sourcePath}"))
        {
            return new ConvertResult(destPath, format, plans.Count, totalChunks, 0, 0, clock.Elapsed.TotalSeconds, Performed: false);
        }

        var parent = Path.GetDirectoryName(destPath)!;
        Directory.CreateDirectory(parent);
        var staging = StoreDestination.StagingPath(destPath);
        var dest = new FileSystemStore(staging, create: true);
        long bytesRead = 0, bytesWritten = 0;
        try
        {
            foreach (var (path, group) in hierarchy.Groups)
            {
                ZarrHierarchy.CreateGroup(dest, path, group with { ZarrFormat = format });
            }

            if (!hierarchy.Groups.ContainsKey("") && !hierarchy.Arrays.ContainsKey(""))
            {
                ZarrHierarchy.CreateGroup(dest, "", new GroupMetadata(format, new()));
            }

            var work = new List<(ZarrArray Src, ZarrArray Dst)>();
            foreach (var p in plans)
            {
                work.Add((new ZarrArray(source, p.Path, p.Source), ZarrArray.Create(dest, p.Path, p.Target)));
                sink.Verbose($"{(p.Path.Length == 0 ? "/" : p.Path)}: [{string.Join(",", p.Source.Shape)}] chunks [{string.Join(",", p.Source.ChunkShape)}] {p.Source.Codecs} -> chunks [{string.Join(",", p.Target.InnerChunkShape)}]{(p.Target.Sharding is null ? "" : $" shards [{string.Join(",", p.Target.ChunkShape)}]")} {p.Target.Codecs}");
            }

            var progress = new ProgressTracker(sink, $"Converting {sourcePath} to {destPath}", totalChunks);
            var items = work.SelectMany(w => w.Dst.Grid.AllChunks().Select(c => (w.Src, w.Dst, Coords: c)));
            long largestChunk = plans.Count == 0 ? 1 : plans.Max(p => p.Target.ChunkSpec.ByteCount);
            var budget = new ExecutionOptions
            {
                MaxThreads = request.Threads > 0 ? request.Threads : Environment.ProcessorCount,
                MaxMemoryBytes = request.MaxMemoryBytes,
                Cancellation = sink.Cancellation,
            };
            var single = new ExecutionOptions { MaxThreads = 1, Cancellation = sink.Cancellation };
            var write = single with { WriteEmptyChunks = format == 2 };
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = budget.ThreadsFor(largestChunk), CancellationToken = sink.Cancellation };
            ChunkParallel.ForEach(items, parallel, item =>
            {
                var m = item.Dst.Metadata;
                var origin = m.Grid.ChunkOrigin(item.Coords);
                var count = m.Grid.ValidShape(item.Coords).Select(v => (long)v).ToArray();
                var region = item.Src.ReadRegion(origin, count, single);
                long n = item.Dst.WriteRegion(origin, count, region, write); // one whole chunk, padded past the edge
                Interlocked.Add(ref bytesRead, region.Length);
                Interlocked.Add(ref bytesWritten, n);
                progress.Add(1, region.Length);
            });
            progress.Finish();
            if (!hierarchy.Arrays.ContainsKey(""))
            {
                ZarrHierarchy.Consolidate(dest);
            }

            StoreDestination.Publish(staging, destPath);
        }
        catch
        {
            StoreDestination.TryDeleteFolder(staging);
            throw;
        }

        return new ConvertResult(destPath, format, plans.Count, totalChunks, bytesRead, bytesWritten, clock.Elapsed.TotalSeconds, Performed: true);
    }

    /// <summary>The target metadata for one array.</summary>
    internal static ArrayMetadata PlanArray(string path, ArrayMetadata src, int format, Request request, CodecSpec? codec)
    {
        var dims = src.DimensionNames;
        int rank = src.Rank;
        var inner = src.InnerChunkShape;
        var chunks = new int[rank];
        int[]? shards = request.Shards is { Count: > 0 } ? new int[rank] : null;
        for (int d = 0; d < rank; d++)
        {
            int c = DimensionMap.Lookup(request.Chunks, dims?[d], d) ?? inner[d];
            chunks[d] = (int)Math.Max(1, Math.Min(c, Math.Max(1, src.Shape[d])));
            if (shards is not null)
            {
                // a shard never needs to reach past the array's edge by more than one chunk
                long edge = (Math.Max(1, src.Shape[d]) + chunks[d] - 1) / chunks[d] * chunks[d];
                int s = (int)Math.Min(DimensionMap.Lookup(request.Shards, dims?[d], d) ?? chunks[d], edge);
                if (s % chunks[d] != 0)
                {
                    throw new ZarrPartitionException("InvalidShardShape", ErrorKind.InvalidArgument, path,
                        $"Array '{path}': the shard size {s} of dimension {dims?[d] ?? d.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a multiple of its chunk size {chunks[d]}.");
                }

                shards[d] = s;
            }
        }

        var dtype = src.DataType.Native;
        var compressor = codec is not null ? codec.Build(dtype) : RebuildCompressor(src.Compressor, dtype);
        var fill = src.FillValue ?? (format == 3 ? new byte[dtype.Size] : null);
        return ArrayMetadata.Create(format, src.Shape, chunks, dtype, fill, compressor, dims, (System.Text.Json.Nodes.JsonObject)src.Attributes.DeepClone(), rank == 0 ? null : shards);
    }

    private static void CheckDimensions(ZarrHierarchy hierarchy, IReadOnlyDictionary<string, int>? map, string option)
    {
        if (map is null)
        {
            return;
        }

        var names = hierarchy.Arrays.Values.SelectMany(a => (a.DimensionNames ?? []).Where(n => n is not null)).ToHashSet(StringComparer.Ordinal);
        int maxRank = hierarchy.Arrays.Values.Select(a => a.Rank).DefaultIfEmpty(0).Max();
        foreach (var key in map.Keys)
        {
            bool isIndex = int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int i) && i < maxRank;
            if (!names.Contains(key!) && !isIndex)
            {
                throw new ZarrPartitionException("UnknownDimension", ErrorKind.InvalidArgument, key,
                    $"{option} names dimension '{key}', which no array in the store has. Dimensions: {(names.Count == 0 ? "(unnamed; use indices 0, 1, ...)" : string.Join(", ", names.Order(StringComparer.Ordinal)))}.");
            }
        }
    }

    private static IBytesCodec? RebuildCompressor(IBytesCodec? codec, ZarrDataType dtype) => codec switch
    {
        BloscCodec b => new BloscCodec(b.Cname is "lz4" or "zlib" or "zstd" ? b.Cname : "lz4", b.CLevel, b.Shuffle == BloscShuffle.BitShuffle ? BloscShuffle.Shuffle : b.Shuffle, dtype.Size),
        _ => codec,
    };
}
