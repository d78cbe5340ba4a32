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

        CodecSpec.Parse(request.Codec ?? CodecSpec.DefaultText);
        var destPath = Path.GetFullPath(request.Destination);
        var sources = request.Sources.Select(Path.GetFullPath).ToList();
        var collection = SourceCollection.Open(sources, request.ConcatDimension, request.Cache, sink);
        string? concat = collection.ConcatDimension;
        long fileLength = concat is null ? 0 : collection.Parts[0].Length;
        var template = new CreateTemplate.Request(sources, destPath, request.ZarrFormat, request.Chunks, request.Shards, request.Codec, TimeDimension: concat, Cache: collection.Cache)
        {
            DataChunks = (shape, dims, size, _) => ChooseChunks(shape, dims, size, concat, fileLength, false, request.Chunks),
        };
        StoreDestination.Check(sources, destPath, request.Force);
        if (!sink.ShouldProcess(destPath, $"Create a Zarr v{request.ZarrFormat} store from {sources.Count} source(s)"))
        {
            // the template's answer to a declining sink: its counts, nothing written
            var dry = CreateTemplate.Run(template with { Destination = StoreDestination.StagingPath(destPath) }, new InnerSink(sink, answer: false));
            return new ConvertResult(destPath, request.ZarrFormat, dry.DataVariables + dry.Coordinates, dry.DataChunks, 0, 0, clock.Elapsed.TotalSeconds, Performed: false);
        }

        // template → plan → write (in-process, chunks in parallel) → finalize, in a staging folder moved into place at the end
        Directory.CreateDirectory(Path.GetDirectoryName(destPath)!);
        var staging = StoreDestination.StagingPath(destPath);
        var inner = new InnerSink(sink, answer: true);
        try
        {
            var made = CreateTemplate.Run(template with { Destination = staging }, inner);
            var plan = PlanPartitions.Run(new PlanPartitions.Request(staging, Ranks: 1, Sources: sources, Threads: request.Threads, Cache: collection.Cache), inner);
            var written = new List<WriteResult>();
            foreach (var part in plan.Partitions)
            {
                written.Add(WritePartition.Run(
                    new WritePartition.Request(plan, part.Index, request.Threads > 0 ? request.Threads : Environment.ProcessorCount, request.MaxMemoryBytes, Retries: 3,
                        WriteEmptyChunks: request.ZarrFormat == 2, Cache: collection.Cache), inner));
            }

            CompleteStore.Run(new CompleteStore.Request(staging, plan), inner);
            StoreDestination.Publish(staging, destPath);
            return new ConvertResult(destPath, request.ZarrFormat, made.DataVariables + made.Coordinates, written.Sum(w => w.Chunks), written.Sum(w => w.BytesIn), written.Sum(w => w.BytesStored),
                clock.Elapsed.TotalSeconds, Performed: true);
        }
        catch
        {
            StoreDestination.TryDeleteFolder(staging);
            throw;
        }
    }

    /// <summary>
    /// The conversion's own steps report through this: progress and verbose messages pass on, the planner's
    /// advice for partitioned work becomes verbose (one process writes everything here), and the steps do
    /// not ask again what the conversion already asked.
    /// </summary>
    private sealed class InnerSink(IOperationSink outer, bool answer) : IOperationSink
    {
        public CancellationToken Cancellation => outer.Cancellation;

        public void Progress(ProgressInfo progress) => outer.Progress(progress);

        public void Verbose(string message) => outer.Verbose(message);

        public void Warning(string message)
        {
            if (message.StartsWith("Gap:", StringComparison.Ordinal) || message.Contains("clipped", StringComparison.Ordinal) || message.StartsWith("Group ", StringComparison.Ordinal) || message.StartsWith("Variable ", StringComparison.Ordinal))
            {
                outer.Warning(message);
            }
            else
            {
                outer.Verbose(message);
            }
        }

        public bool ShouldProcess(string target, string action) => answer;
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
}
