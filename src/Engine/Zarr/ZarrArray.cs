using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Storage;

namespace ZarrPartition.Engine.Zarr;

/// <summary>
/// A Zarr array in a store: reads and writes regions of little-endian C-order elements, chunk by
/// chunk, in parallel under one thread and memory budget. Whole chunks are written without reading;
/// every chunk write is atomic. Thread-safe: many writers may use one instance for disjoint chunks.
/// </summary>
public sealed class ZarrArray
{
    public ZarrArray(IStore store, string path, ArrayMetadata metadata)
    {
        Store = store;
        Path = path;
        Metadata = metadata;
    }

    public IStore Store { get; }

    /// <summary>The node path inside the store ("" for a root array).</summary>
    public string Path { get; }

    public ArrayMetadata Metadata { get; }

    public string Name => Path.Length == 0 ? "/" : Path;

    public ChunkGrid Grid => Metadata.Grid;

    /// <summary>Opens the array at <paramref name="path"/>: v3 zarr.json first, then v2 .zarray.</summary>
    public static ZarrArray Open(IStore store, string path)
    {
        var v3Key = StoreKey.Join(path, "zarr.json");
        if (store.Get(v3Key) is { } v3)
        {
            var doc = ParseJson(v3, v3Key);
            return new ZarrArray(store, path, ArrayMetadata.ParseV3(doc, v3Key));
        }

        var v2Key = StoreKey.Join(path, ".zarray");
        if (store.Get(v2Key) is { } v2)
        {
            var attrsKey = StoreKey.Join(path, ".zattrs");
            var attrs = store.Get(attrsKey) is { } a ? ParseJson(a, attrsKey) : null;
            return new ZarrArray(store, path, ArrayMetadata.ParseV2(ParseJson(v2, v2Key), attrs, v2Key));
        }

        throw new StoreException("ArrayNotFound", ErrorKind.ObjectNotFound, StoreKey.Join(store.Location, path),
            $"No Zarr array at '{(path.Length == 0 ? "/" : path)}' in '{store.Location}' (neither zarr.json nor .zarray).");
    }

    /// <summary>Writes the array's metadata documents and returns the array.</summary>
    public static ZarrArray Create(IStore store, string path, ArrayMetadata metadata)
    {
        if (path.Length > 0)
        {
            StoreKey.Validate(path);
        }

        WriteMetadata(store, path, metadata);
        return new ZarrArray(store, path, metadata);
    }

    internal static void WriteMetadata(IStore store, string path, ArrayMetadata metadata)
    {
        if (metadata.ZarrFormat == 3)
        {
            store.Set(StoreKey.Join(path, "zarr.json"), JsonText.Serialize(metadata.ToV3Json()));
        }
        else
        {
            store.Set(StoreKey.Join(path, ".zarray"), JsonText.Serialize(metadata.ToV2Json()));
            store.Set(StoreKey.Join(path, ".zattrs"), JsonText.Serialize(metadata.ToV2Attributes()));
        }
    }

    internal static JsonNode ParseJson(byte[] bytes, string key)
    {
        try
        {
            return JsonNode.Parse(bytes) ?? throw new MetadataException(key, "is JSON null, not an object.");
        }
        catch (JsonException e)
        {
            throw new MetadataException(key, $"is not valid JSON ({e.Message}). The store is damaged; restore the document or re-create the store.", "MalformedJson", inner: e);
        }
    }

    public string ChunkKey(long[] coords) => StoreKey.Join(Path, Metadata.KeyEncoding.Key(coords));

    /// <summary>The decoded chunk (full chunk shape, edge overhang included); the fill value when absent.</summary>
    public byte[] ReadChunk(long[] coords)
    {
        if (ReadStoredChunk(coords) is { } chunk)
        {
            return chunk;
        }

        var fill = GC.AllocateUninitializedArray<byte>((int)Metadata.ChunkSpec.ByteCount);
        NdCopy.FillElements(fill, Metadata.FillBytes);
        return fill;
    }

    /// <summary>The decoded chunk (full chunk shape, edge overhang included); null when the store has none.</summary>
    private byte[]? ReadStoredChunk(long[] coords)
    {
        var key = ChunkKey(coords);
        byte[]? raw;
        try
        {
            raw = Store.Get(key);
        }
        catch (StoreException e)
        {
            throw new ChunkException("ChunkReadFailed", e.Kind, Name, key, e.Message, e);
        }

        if (raw is null)
        {
            return null;
        }

        try
        {
            return Metadata.Codecs.Decode(raw, Metadata.ChunkSpec);
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException or ChunkException))
        {
            var detail = e is ZarrPartitionException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            throw new ChunkException("ChunkDecodeFailed", ErrorKind.InvalidData, Name, key,
                $"cannot decode the stored chunk ({raw.Length} bytes): {detail}. The chunk is corrupt or truncated; rewrite it from the sources.", e);
        }
    }

    /// <summary>Encodes and writes one whole chunk (<paramref name="data"/> has the full chunk shape). Returns the encoded size, or 0 when skipped.</summary>
    public long WriteChunk(long[] coords, byte[] data, bool writeEmptyChunks = true) => WriteChunk(coords, data, writeEmptyChunks, null);

    /// <summary>As <see cref="WriteChunk(long[], byte[], bool)"/>; <paramref name="encoded"/> runs once the chunk is encoded, before the store is touched.</summary>
    private long WriteChunk(long[] coords, byte[] data, bool writeEmptyChunks, Action? encoded)
    {
        var key = ChunkKey(coords);
        var spec = Metadata.ChunkSpec;
        if (data.Length != spec.ByteCount)
        {
            throw new ChunkException("WrongChunkSize", ErrorKind.InvalidArgument, Name, key, $"{data.Length} bytes given for a chunk of {spec.ByteCount}.");
        }

        if (!writeEmptyChunks && NdCopy.IsAllFill(data, Metadata.FillBytes))
        {
            encoded?.Invoke();
            Store.Delete(key);
            return 0;
        }

        if (CanWriteFromSlice)
        {
            return WriteChunkFromSlice(key, data, 0, encoded);
        }

        byte[] bytes = Encode(key, () => Metadata.Codecs.Encode(data, spec));
        encoded?.Invoke();
        Put(key, bytes);
        return bytes.Length;
    }

    /// <summary>True when a chunk's bytes can be encoded (or stored) straight from a slice of a caller's buffer.</summary>
    private bool CanWriteFromSlice => Metadata.Codecs.DirectEncoder(Metadata.ChunkSpec) is not null || Metadata.Codecs.IsIdentity(Metadata.ChunkSpec);

    /// <summary>Encodes one whole chunk from source[offset..offset+chunk bytes] into a pooled buffer and stores it.</summary>
    private long WriteChunkFromSlice(string key, byte[] source, int offset, Action? encoded)
    {
        var spec = Metadata.ChunkSpec;
        int length = (int)spec.ByteCount;
        if (Metadata.Codecs.DirectEncoder(spec) is not { } direct)
        {
            encoded?.Invoke();
            Put(key, source.AsSpan(offset, length));
            return length;
        }

        var buffer = Codecs.WriteBuffers.Pool.Rent(direct.MaxEncodedLength(length));
        try
        {
            int n = Encode(key, () => direct.Encode(source.AsSpan(offset, length), buffer));
            encoded?.Invoke();
            Put(key, buffer.AsSpan(0, n));
            return n;
        }
        finally
        {
            Codecs.WriteBuffers.Pool.Return(buffer);
        }
    }

    private T Encode<T>(string key, Func<T> encode)
    {
        try
        {
            return encode();
        }
        catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
        {
            throw new ChunkException("ChunkEncodeFailed", e is ZarrPartitionException z ? z.Kind : ErrorKind.InvalidData, Name, key, $"cannot encode: {e.Message}", e);
        }
    }

    private void Put(string key, ReadOnlySpan<byte> encoded)
    {
        try
        {
            Store.Set(key, encoded);
        }
        catch (StoreException e)
        {
            throw new ChunkException("ChunkWriteFailed", e.Kind, Name, key, e.Message, e);
        }
    }

    /// <summary>Reads a region [start, start+count) as little-endian C-order elements.</summary>
    public byte[] ReadRegion(long[] start, long[] count, ExecutionOptions? options = null)
    {
        CheckRegion(start, count);
        long total = Metadata.DataType.Size;
        foreach (var c in count)
        {
            total *= c;
        }

        if (total > Array.MaxLength)
        {
            throw new ZarrPartitionException("RegionTooLarge", ErrorKind.InvalidArgument, Name, $"A region of {total} bytes of '{Name}' does not fit in one buffer; read it in slabs.");
        }

        var output = GC.AllocateUninitializedArray<byte>((int)total);
        ReadRegion(start, count, output, options);
        return output;
    }

    /// <summary>Reads a region into <paramref name="output"/> (exactly the region's size).</summary>
    public void ReadRegion(long[] start, long[] count, byte[] output, ExecutionOptions? options = null)
    {
        options ??= ExecutionOptions.Default;
        CheckRegion(start, count);
        var outShape = count.Select(c => checked((int)c)).ToArray();
        int elem = Metadata.DataType.Size;
        var (lo, hi) = Grid.ChunkRange(start, count);
        var chunks = ChunkGrid.Enumerate(lo, hi);
        var chunkShape = Metadata.ChunkShape;
        ChunkParallel.ForEach(chunks, ParallelOptionsFor(options), coords =>
        {
            var origin = Grid.ChunkOrigin(coords);
            var (srcStart, dstStart, box) = Intersect(origin, chunkShape, start, count);
            if (ReadStoredChunk(coords) is { } chunk)
            {
                NdCopy.CopyRegion(chunk, chunkShape, srcStart, output, outShape, dstStart, box, elem);
            }
            else
            {
                // a missing chunk: the fill value goes straight into the output, with no chunk-sized buffer in between
                NdCopy.FillRegion(output, outShape, dstStart, box, Metadata.FillBytes);
            }

            options.ChunkDone?.Invoke(0);
        });
    }

    /// <summary>Reads a region as a typed array (T must match the element size).</summary>
    public T[] Read<T>(long[] start, long[] count, ExecutionOptions? options = null)
        where T : unmanaged
    {
        if (Marshal.SizeOf<T>() != Metadata.DataType.Size)
        {
            throw new ZarrPartitionException("TypeMismatch", ErrorKind.InvalidArgument, Name, $"'{Name}' holds {Metadata.DataType.Name}; {typeof(T).Name} has a different size.");
        }

        var bytes = ReadRegion(start, count, options);
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }

    /// <summary>Reads a region of any numeric type as doubles (for coordinates, statistics and display).</summary>
    public double[] ReadAsDoubles(long[] start, long[] count, ExecutionOptions? options = null)
    {
        var bytes = ReadRegion(start, count, options);
        var type = Metadata.DataType.Native;
        var values = new double[bytes.Length / type.Size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = type.ReadAsDouble(bytes, i);
        }

        return values;
    }

    public T[] ReadAll<T>(ExecutionOptions? options = null)
        where T : unmanaged => Read<T>(new long[Metadata.Rank], Metadata.Shape, options);

    /// <summary>
    /// Writes a region from little-endian C-order elements. Chunks the region covers entirely are
    /// written without reading; partly covered chunks need <see cref="ExecutionOptions.AllowPartialChunks"/>
    /// (read-modify-write), otherwise the call fails before writing anything. Returns encoded bytes written.
    /// </summary>
    public long WriteRegion(long[] start, long[] count, ReadOnlySpan<byte> data, ExecutionOptions? options = null)
        => WriteRegion(start, count, data.ToArray(), options);

    public long WriteRegion(long[] start, long[] count, byte[] data, ExecutionOptions? options = null)
    {
        options ??= ExecutionOptions.Default;
        CheckRegion(start, count);
        int elem = Metadata.DataType.Size;
        long expected = elem;
        foreach (var c in count)
        {
            expected *= c;
        }

        if (data.Length != expected)
        {
            throw new ZarrPartitionException("WrongBufferSize", ErrorKind.InvalidArgument, Name, $"{data.Length} bytes given for a region of {expected} bytes of '{Name}'.");
        }

        var chunkShape = Metadata.ChunkShape;
        if (!options.AllowPartialChunks)
        {
            for (int d = 0; d < Metadata.Rank; d++)
            {
                long end = start[d] + count[d];
                if (count[d] > 0 && (start[d] % chunkShape[d] != 0 || (end % chunkShape[d] != 0 && end != Metadata.Shape[d])))
                {
                    throw new ZarrPartitionException("PartialChunkWrite", ErrorKind.InvalidArgument, Name,
                        $"The region [{start[d]}, {end}) of dimension {d} of '{Name}' does not start and end on chunk boundaries (chunk {chunkShape[d]}); writing it would rewrite chunks other writers may own. Align the region to the chunks, or allow partial chunks.");
                }
            }
        }

        var regionShape = count.Select(c => checked((int)c)).ToArray();
        var spec = Metadata.ChunkSpec;
        var pool = new ConcurrentBag<byte[]>();
        bool fromSlice = CanWriteFromSlice;
        long written = 0;
        var (lo, hi) = Grid.ChunkRange(start, count);
        // Encoding runs on at most ThreadsFor threads; up to StorageOverlap more chunks may be waiting
        // on the store meanwhile.
        ChunkParallel.ForEachOverlapped(ChunkGrid.Enumerate(lo, hi), ChunkGrid.Count(lo, hi), options.ThreadsFor(spec.ByteCount), options.InFlightFor(spec.ByteCount), options.Cancellation, (coords, release) =>
            WriteOne(coords, () =>
            {
                release();
                options.ChunkEncoded?.Invoke();
            }));
        return written;

        void WriteOne(long[] coords, Action encoded)
        {
            var origin = Grid.ChunkOrigin(coords);
            var (chunkStart, regionStart, box) = Intersect(origin, chunkShape, start, count);
            var valid = Grid.ValidShape(coords);
            bool whole = true;
            for (int d = 0; d < box.Length; d++)
            {
                whole &= box[d] == valid[d];
            }

            bool edge = false;
            for (int d = 0; d < box.Length; d++)
            {
                edge |= valid[d] < chunkShape[d];
            }

            if (whole && !edge && fromSlice && NdCopy.ContiguousOffset(count, regionStart, Array.ConvertAll(box, b => (long)b), elem) is long offset
                && (options.WriteEmptyChunks || !NdCopy.IsAllFill(data.AsSpan((int)offset, (int)spec.ByteCount), Metadata.FillBytes)))
            {
                // the chunk is one run of the caller's buffer: encode it in place, no copy
                long m = WriteChunkFromSlice(ChunkKey(coords), data, (int)offset, encoded);
                Interlocked.Add(ref written, m);
                options.ChunkDone?.Invoke(m);
                return;
            }

            byte[] buffer;
            if (whole)
            {
                if (!pool.TryTake(out buffer!))
                {
                    buffer = GC.AllocateUninitializedArray<byte>((int)spec.ByteCount);
                }

                if (edge)
                {
                    NdCopy.FillElements(buffer, Metadata.FillBytes);
                }
            }
            else
            {
                buffer = ReadChunk(coords);
            }

            NdCopy.CopyRegion(data, regionShape, regionStart, buffer, chunkShape, chunkStart, box, elem);
            long n = WriteChunk(coords, buffer, options.WriteEmptyChunks, encoded);
            Interlocked.Add(ref written, n);
            if (whole)
            {
                pool.Add(buffer);
            }

            options.ChunkDone?.Invoke(n);
        }
    }

    /// <summary>Number of chunk keys present in the store for this array.</summary>
    public long CountChunksPresent()
    {
        var prefix = Path.Length == 0 ? "" : Path + "/";
        long n = 0;
        foreach (var key in Store.List(prefix))
        {
            var rel = key[prefix.Length..];
            if (rel is ".zarray" or ".zattrs" or "zarr.json" or ".zmetadata" or ".zgroup")
            {
                continue;
            }

            if (IsChunkKey(rel))
            {
                n++;
            }
        }

        return n;
    }

    private bool IsChunkKey(string rel)
    {
        var enc = Metadata.KeyEncoding;
        var body = rel;
        if (!enc.V2Style)
        {
            if (Metadata.Rank == 0)
            {
                return rel == "c";
            }

            if (!rel.StartsWith("c" + enc.Separator, StringComparison.Ordinal))
            {
                return false;
            }

            body = rel[2..];
        }

        var parts = body.Split(enc.Separator);
        return parts.Length == Math.Max(1, Metadata.Rank) && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit));
    }

    private void CheckRegion(long[] start, long[] count)
    {
        if (start.Length != Metadata.Rank || count.Length != Metadata.Rank)
        {
            throw new ZarrPartitionException("WrongRank", ErrorKind.InvalidArgument, Name, $"'{Name}' has {Metadata.Rank} dimensions; the region has {start.Length}.");
        }

        for (int d = 0; d < Metadata.Rank; d++)
        {
            if (start[d] < 0 || count[d] < 0 || start[d] + count[d] > Metadata.Shape[d])
            {
                throw new ZarrPartitionException("RegionOutOfBounds", ErrorKind.InvalidArgument, Name,
                    $"Region [{start[d]}, {start[d] + count[d]}) of dimension {d} lies outside '{Name}' (size {Metadata.Shape[d]}).");
            }
        }
    }

    private static (long[] ChunkStart, long[] RegionStart, int[] Box) Intersect(long[] origin, int[] chunkShape, long[] start, long[] count)
    {
        int rank = origin.Length;
        var cs = new long[rank];
        var rs = new long[rank];
        var box = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            long lo = Math.Max(origin[d], start[d]);
            long hi = Math.Min(origin[d] + chunkShape[d], start[d] + count[d]);
            cs[d] = lo - origin[d];
            rs[d] = lo - start[d];
            box[d] = (int)Math.Max(0, hi - lo);
        }

        return (cs, rs, box);
    }

    private ParallelOptions ParallelOptionsFor(ExecutionOptions options) => new()
    {
        MaxDegreeOfParallelism = options.ThreadsFor(Metadata.ChunkSpec.ByteCount),
        CancellationToken = options.Cancellation,
    };
}
