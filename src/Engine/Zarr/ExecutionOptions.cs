namespace ZarrPartition.Engine.Zarr;

/// <summary>
/// One budget for the threads and memory that chunk encoding and decoding may use, plus cancellation
/// and write policy. Immutable; share it freely.
/// </summary>
public sealed record ExecutionOptions
{
    public static ExecutionOptions Default { get; } = new();

    /// <summary>Chunks encoded or decoded at once (default: the processor count).</summary>
    public int MaxThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Bytes of chunk buffers in flight; limits the threads when chunks are large (default 1 GiB).</summary>
    public long MaxMemoryBytes { get; init; } = 1L << 30;

    public CancellationToken Cancellation { get; init; }

    /// <summary>Allow writes that cover only part of a chunk (read-modify-write). Off by default.</summary>
    public bool AllowPartialChunks { get; init; }

    /// <summary>Write chunks that are entirely the fill value (zarr-python 2 does; off saves space).</summary>
    public bool WriteEmptyChunks { get; init; } = true;

    /// <summary>Called after each chunk with its encoded size; must be thread-safe.</summary>
    public Action<long>? ChunkDone { get; init; }

    /// <summary>
    /// Chunks that may wait on storage beyond the <see cref="MaxThreads"/> that encode (default 2).
    /// A thread whose chunk is being written or read does no encoding, so letting a few more chunks be
    /// in flight keeps every encoding thread busy when storage is slow to respond, while encoding
    /// itself never runs on more than <see cref="MaxThreads"/> threads. 0 turns the overlap off.
    /// </summary>
    public int StorageOverlap { get; init; } = 2;

    /// <summary>Called once per written chunk when it is encoded, before it goes to storage (lets a caller hand its CPU budget on); must be thread-safe.</summary>
    public Action? ChunkEncoded { get; init; }

    /// <summary>The degree of parallelism for chunks of <paramref name="chunkBytes"/> decoded bytes.</summary>
    public int ThreadsFor(long chunkBytes) => (int)Math.Clamp(Math.Min(MaxThreads, ChunksInMemory(chunkBytes)), 1, 1024);

    /// <summary>Chunks of <paramref name="chunkBytes"/> that may be in flight at once: the encoding threads plus the storage overlap, within the memory budget.</summary>
    public int InFlightFor(long chunkBytes)
    {
        int threads = ThreadsFor(chunkBytes);
        return (int)Math.Clamp(Math.Min((long)threads + Math.Max(0, StorageOverlap), ChunksInMemory(chunkBytes)), threads, 1024);
    }

    /// <summary>Chunks the memory budget holds, at three buffers of <paramref name="chunkBytes"/> each (at least one).</summary>
    private long ChunksInMemory(long chunkBytes) => Math.Max(1, MaxMemoryBytes / Math.Max(1, chunkBytes * 3));
}
