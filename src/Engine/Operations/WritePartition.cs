using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Planning;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Writing;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Writes one partition of a plan: for every chunk it owns, the data are assembled from the source
/// slabs, encoded, and written atomically (never a torn chunk). Progress and completeness go to the
/// partition's journal inside the store; a complete partition is not written again unless asked, an
/// incomplete one resumes where it stopped and ends with the same bytes as an uninterrupted run. I/O
/// errors are retried with exponential backoff and jitter; cancellation stops between chunks.
/// </summary>
public static class WritePartition
{
    public sealed record Request(
        PartitionPlan Plan,
        int Index,
        int Threads = 0,
        long MaxMemoryBytes = 0,
        int Retries = 3,
        bool Verify = false,
        bool Overwrite = false,
        bool WriteEmptyChunks = false,
        OutOfRangeAction OutOfRange = OutOfRangeAction.Error,
        SourceCache? Cache = null,
        IStore? Store = null,
        string? ExpectedPartitionId = null);

    /// <summary>The environment variables that give a rank, first set wins: SLURM arrays, Kubernetes indexed jobs, AWS Batch arrays.</summary>
    public static readonly string[] RankVariables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"];

    /// <summary>The rank from --rank, else from the first of <see cref="RankVariables"/> that is set.</summary>
    public static int ResolveRank(int? rank, Func<string, string?> environment)
    {
        if (rank is int r)
        {
            return r;
        }

        foreach (var name in RankVariables)
        {
            if (environment(name) is { Length: > 0 } text)
            {
                if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
                {
                    throw new ZarrPartitionException("InvalidRank", ErrorKind.InvalidArgument, name, $"{name}='{text}' is not a partition index.");
                }

                return value;
            }
        }

        throw new ZarrPartitionException("NoRank", ErrorKind.InvalidArgument, "--rank",
            $"Which partition? Give --rank K, or run as an array task ({string.Join(", ", RankVariables)} set).");
    }

    /// <summary>
    /// The writer's threads: those asked for; else the plan's (sized by its memory limit), else every
    /// core — and in a SLURM task at most the CPUs it was given (SLURM_CPUS_PER_TASK).
    /// </summary>
    public static int ResolveThreads(int requested, int planned, int cores, Func<string, string?> environment)
    {
        if (requested > 0)
        {
            return requested;
        }

        if (int.TryParse(environment("SLURM_CPUS_PER_TASK"), NumberStyles.None, CultureInfo.InvariantCulture, out int cpus) && cpus > 0)
        {
            return planned > 0 ? Math.Min(planned, cpus) : cpus;
        }

        return planned > 0 ? planned : cores;
    }

    public static WriteResult Run(Request request, IOperationSink sink)
    {
        var clock = Stopwatch.StartNew();
        var plan = request.Plan;
        if (request.Index < 0 || request.Index >= plan.Partitions.Count)
        {
            throw new ZarrPartitionException("RankOutOfRange", ErrorKind.InvalidArgument, request.Index.ToString(CultureInfo.InvariantCulture),
                $"Partition {request.Index} does not exist: the plan has {plan.Partitions.Count} (0 to {plan.Partitions.Count - 1}). Launch the array as 0-{plan.Partitions.Count - 1}.");
        }

        var part = plan.Partitions[request.Index];
        if (request.ExpectedPartitionId is { Length: > 0 } expected && !string.Equals(PartitionId(plan, part), expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new ZarrPartitionException("PlanChanged", ErrorKind.InvalidData, plan.Store,
                $"Partition {part.Index} of the plan is not the partition this request was planned as (id {expected}, the plan now says {PartitionId(plan, part)}): the plan file was replaced. Get the partitions again from the new plan.");
        }

        var store = request.Store ?? OpenStore(plan.Store);
        var hierarchy = ZarrHierarchy.Open(store);
        var cache = request.Cache ?? SourceCache.Shared;

        string planId = PartitionId(plan, part);
        var previous = JournalEntry.Read(store, part.Index, planId);
        var done = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        if (previous is not null && !request.Overwrite)
        {
            if (previous.State == PartitionState.Complete)
            {
                sink.Verbose($"Partition {part.Index} is already complete ({previous.ChunksWritten} chunks, finished {previous.Finished}); nothing to do. Add --overwrite to write it again.");
                return new WriteResult(plan.Store, part.Index, part.Count, previous.Chunks, 0, previous.ChunksWritten, previous.SkippedEmpty, 0, 0, 0, true, clock.Elapsed.TotalSeconds);
            }

            if (previous.State == PartitionState.Running && previous.ProcessAlive() == true)
            {
                throw new ZarrPartitionException("PartitionBusy", ErrorKind.ResourceExists, part.Index.ToString(CultureInfo.InvariantCulture),
                    $"Partition {part.Index} is being written by process {previous.ProcessId} on {previous.Host}. Wait for it, or stop it first.");
            }

            foreach (var (k, v) in previous.Written)
            {
                done[k] = v;
            }

            if (done.Count > 0)
            {
                sink.Verbose($"Resuming partition {part.Index}: {done.Count} chunks were written by an earlier run ({previous.State.ToString().ToLowerInvariant()}).");
            }
        }

        var work = new List<(ZarrArray Array, ChunkAssembler Assembler, long[] Coords)>();
        try
        {
            Collect();
        }
        catch (ZarrPartitionException e)
        {
            // a source missing or damaged, a store that changed: the partition fails before writing anything
            new JournalEntry(part.Index, part.Count, planId, PartitionState.Failed, previous?.Chunks ?? 0, new Dictionary<string, string>(done), previous?.Bytes ?? 0, previous?.SkippedEmpty ?? 0,
                Environment.MachineName, Environment.ProcessId, previous?.Started ?? Now(), Now(), null, e.ErrorId, e.Message).Write(store);
            throw;
        }

        void Collect()
        {
            foreach (var name in part.Variables)
            {
                if (!hierarchy.Arrays.TryGetValue(name, out var meta))
                {
                    throw new ZarrPartitionException("ArrayNotInStore", ErrorKind.InvalidData, name, $"The plan writes '{name}', which the store '{plan.Store}' does not have. Plan again against this store.");
                }

                var array = new ZarrArray(store, name, meta);
                var assembler = new ChunkAssembler(name, meta, plan.TimeDimension, part.Sources, cache, request.OutOfRange);
                var dims = meta.DimensionNames ?? [];
                var lo = new long[meta.Rank];
                var hi = new long[meta.Rank];
                for (int d = 0; d < meta.Rank; d++)
                {
                    var r = dims[d] is { } dn && part.Region.TryGetValue(dn, out var range) ? range : [0, meta.Shape[d]];
                    int chunk = meta.ChunkShape[d];
                    if (r[0] % chunk != 0 || (r[1] % chunk != 0 && r[1] != meta.Shape[d]))
                    {
                        throw new ZarrPartitionException("RegionNotAligned", ErrorKind.InvalidData, name,
                            $"Partition {part.Index}: '{name}' along '{dims[d]}' covers [{r[0]}, {r[1]}), which is not on its chunk boundaries ({chunk}). The store was changed after planning; plan again.");
                    }

                    lo[d] = r[0] / chunk;
                    hi[d] = (r[1] + chunk - 1) / chunk;
                }

                foreach (var c in ChunkGrid.Enumerate(lo, hi))
                {
                    work.Add((array, assembler, c));
                }
            }
        }

        if (!sink.ShouldProcess(plan.Store, $"Write partition {part.Index} of {part.Count} ({work.Count} chunks of {string.Join(", ", part.Variables)})"))
        {
            return new WriteResult(plan.Store, part.Index, part.Count, work.Count, 0, 0, 0, 0, 0, 0, false, clock.Elapsed.TotalSeconds);
        }

        var started = Now();
        long skippedEmpty = request.Overwrite ? 0 : previous?.SkippedEmpty ?? 0;
        long bytes = request.Overwrite ? 0 : previous?.Bytes ?? 0;
        long resumed = done.Count;
        var journalGate = new object();
        var lastFlush = Stopwatch.StartNew();
        void Journal(PartitionState state, string? finished = null, ZarrPartitionException? error = null)
        {
            lock (journalGate)
            {
                new JournalEntry(part.Index, part.Count, planId, state, work.Count, new Dictionary<string, string>(done), Interlocked.Read(ref bytes), Interlocked.Read(ref skippedEmpty),
                    Environment.MachineName, Environment.ProcessId, previous?.Started is { Length: > 0 } s && !request.Overwrite ? s : started, Now(), finished, error?.ErrorId, error?.Message).Write(store);
                lastFlush.Restart();
            }
        }

        Journal(PartitionState.Running);
        var todo = work.Where(w => !done.ContainsKey(w.Array.ChunkKey(w.Coords))).ToList();
        long largest = work.Count == 0 ? 1 : work.Max(w => w.Array.Metadata.ChunkSpec.ByteCount);
        // Assembling and encoding run on the resolved threads (fewer when the memory budget says so); a few
        // more chunks may be in flight while their bytes go to the store (ExecutionOptions.StorageOverlap).
        var budget = new ExecutionOptions
        {
            MaxThreads = Math.Max(1, ResolveThreads(request.Threads, part.Threads, Environment.ProcessorCount, Environment.GetEnvironmentVariable)),
            MaxMemoryBytes = request.MaxMemoryBytes > 0 ? Math.Max(1, request.MaxMemoryBytes - PlanPartitions.WriterOverheadBytes) : long.MaxValue,
        };

        var progress = new ProgressTracker(sink, $"Writing partition {part.Index} of {part.Count} into {plan.Store}", todo.Count);
        long written = 0;
        long bytesIn = 0;
        try
        {
            ChunkParallel.ForEachOverlapped(todo, todo.Count, budget.ThreadsFor(largest), budget.InFlightFor(largest), sink.Cancellation, WriteOne);
            progress.Finish();
        }
        catch (OperationCanceledException)
        {
            Journal(PartitionState.Interrupted);
            throw;
        }
        catch (ZarrPartitionException e)
        {
            Journal(PartitionState.Failed, error: e);
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var typed = new StoreException("WriteFailed", ErrorKind.WriteError, plan.Store, $"Writing partition {part.Index} failed: {e.Message}", e);
            Journal(PartitionState.Failed, error: typed);
            throw typed;
        }

        void WriteOne((ZarrArray Array, ChunkAssembler Assembler, long[] Coords) item, Action encoded)
        {
            var grid = item.Array.Grid;
            var origin = grid.ChunkOrigin(item.Coords);
            var count = grid.ValidShape(item.Coords).Select(c => (long)c).ToArray();
            var data = item.Assembler.Assemble(origin, count);
            var key = item.Array.ChunkKey(item.Coords);
            var chunkOptions = new ExecutionOptions { MaxThreads = 1, StorageOverlap = 0, WriteEmptyChunks = request.WriteEmptyChunks, Cancellation = sink.Cancellation, ChunkEncoded = encoded };
            long stored = WithRetries(() => item.Array.WriteRegion(origin, count, data, chunkOptions), request.Retries, key, sink);
            if (stored == 0)
            {
                Interlocked.Increment(ref skippedEmpty);
            }

            if (request.Verify)
            {
                Verify(item.Array, origin, count, data, key);
            }

            Interlocked.Add(ref bytes, stored);
            Interlocked.Increment(ref written);
            done[key] = Crc32cCodec.Compute(data).ToString("x8", CultureInfo.InvariantCulture);
            Interlocked.Add(ref bytesIn, data.Length);
            progress.Add(1, data.Length);
            if (lastFlush.Elapsed.TotalSeconds >= 2)
            {
                Journal(PartitionState.Running);
            }
        }

        long clipped = work.Select(w => w.Assembler).Distinct().Sum(a => a.Clipped);
        if (clipped > 0)
        {
            sink.Warning($"Partition {part.Index}: {clipped} value(s) outside the packing range were clipped to its ends.");
        }

        Journal(PartitionState.Complete, finished: Now());
        return new WriteResult(plan.Store, part.Index, part.Count, work.Count, written, resumed, Interlocked.Read(ref skippedEmpty), Interlocked.Read(ref bytes), Interlocked.Read(ref bytesIn), clipped, false, clock.Elapsed.TotalSeconds);
    }

    private static FileSystemStore OpenStore(string path)
    {
        if (!Directory.Exists(path) || !ZarrHierarchy.IsZarr(new FileSystemStore(path)))
        {
            throw new ZarrPartitionException("StoreNotFound", ErrorKind.ObjectNotFound, path, $"The plan's store '{path}' is not a Zarr store (or not reachable from here). Create it with 'zarrpartition template'.");
        }

        return new FileSystemStore(path);
    }

    /// <summary>Identifies a partition of a plan (store, index, region, variables, sources): its journal's name, so a journal is never resumed under another plan.</summary>
    public static string PartitionId(PartitionPlan plan, Partition part)
    {
        var text = new StringBuilder();
        text.Append(plan.Store).Append('|').Append(part.Index).Append('/').Append(part.Count).Append('|');
        foreach (var (k, v) in part.Region.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            text.Append(k).Append('=').Append(v[0]).Append(':').Append(v[1]).Append(';');
        }

        text.Append('|').AppendJoin(',', part.Variables).Append('|');
        foreach (var s in part.Sources)
        {
            text.Append(s.Path).Append(';');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }

    /// <summary>Runs an I/O action, retrying I/O errors with exponential backoff (100 ms × 2^k) and jitter (×0.5–1.5).</summary>
    internal static T WithRetries<T>(Func<T> action, int retries, string key, IOperationSink sink)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return action();
            }
            catch (Exception e) when (attempt < retries && IsTransient(e))
            {
                double delay = 100 * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble());
                sink.Warning($"Writing {key} failed ({Inner(e).Message}); retry {attempt + 1} of {retries} in {delay:0} ms.");
                if (sink.Cancellation.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(delay)))
                {
                    sink.Cancellation.ThrowIfCancellationRequested();
                }
            }
        }
    }

    private static bool IsTransient(Exception e) => Inner(e) is IOException and not FileNotFoundException and not DirectoryNotFoundException;

    private static Exception Inner(Exception e) => e is StoreException { InnerException: { } inner } ? inner : e;

    /// <summary>Reads the chunk back and compares its decoded values (and so its missing-value mask) with what was written.</summary>
    private static void Verify(ZarrArray array, long[] origin, long[] count, byte[] expected, string key)
    {
        var actual = array.ReadRegion(origin, count, new ExecutionOptions { MaxThreads = 1 });
        if (!actual.AsSpan().SequenceEqual(expected))
        {
            int size = array.Metadata.DataType.Size, first = 0;
            while (first < expected.Length && actual[first] == expected[first])
            {
                first++;
            }

            throw new ChunkException("VerifyFailed", ErrorKind.InvalidData, array.Name, key,
                $"reading the chunk back gives other values than were written (first difference at element {first / size}). The storage lost or changed data; rerun the partition with --overwrite and check the file system.");
        }
    }

    private static string Now() => DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
}
