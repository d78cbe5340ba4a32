using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Engine.Operations;

/// <summary>
/// The one-process conversion, whatever the sources: one Zarr store alone (and no concatenation
/// dimension) is copied as a store by <see cref="ConvertStore"/> — groups, attributes and dimension
/// names kept, rechunked, recompressed, v2↔v3; files (or several stores) go through
/// <see cref="ConvertSources"/> (template, plan, write in this process, finalize).
/// </summary>
public static class ConvertToZarr
{
    /// <summary>The default memory budget for chunk buffers.</summary>
    public const long DefaultMaxMemoryBytes = 1L << 30;

    public sealed record Request(
        IReadOnlyList<string> Sources,
        string Destination,
        int? ZarrFormat = null,
        string? ConcatDimension = null,
        IReadOnlyDictionary<string, int>? Chunks = null,
        IReadOnlyDictionary<string, int>? Shards = null,
        string? Codec = null,
        int Threads = 0,
        long MaxMemoryBytes = DefaultMaxMemoryBytes,
        bool Force = false,
        SourceCache? Cache = null);

    /// <summary>Whether the sources are one Zarr store copied as a store (not joined as files).</summary>
    public static bool CopiesStore(IReadOnlyList<string> sources, string? concatDimension) =>
        sources.Count == 1 && Directory.Exists(sources[0]) && concatDimension is null;

    public static ConvertResult Run(Request request, IOperationSink sink)
    {
        long memory = request.MaxMemoryBytes > 0 ? request.MaxMemoryBytes : DefaultMaxMemoryBytes;
        return CopiesStore(request.Sources, request.ConcatDimension)
            ? ConvertStore.Run(new ConvertStore.Request(request.Sources[0], request.Destination, request.ZarrFormat, request.Chunks, request.Shards, request.Codec, request.Threads, memory, request.Force), sink)
            : ConvertSources.Run(new ConvertSources.Request(request.Sources, request.Destination, request.ConcatDimension, request.ZarrFormat ?? 2, request.Chunks, request.Codec,
                request.Threads, memory, request.Force, request.Cache, request.Shards), sink);
    }
}
