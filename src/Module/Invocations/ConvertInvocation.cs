using System.Collections;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>
/// ConvertTo-Zarr: like 'zarrpartition convert', one Zarr store alone (and no -ConcatDimension) is copied
/// by ConvertStore (rechunked, recompressed, v2↔v3); files, or several sources, go through ConvertSources
/// (template, plan, write in this process, finalize).
/// </summary>
public sealed record ConvertInvocation(
    IReadOnlyList<string> Sources,
    string Destination,
    int? ZarrFormat = null,
    string? ConcatDimension = null,
    IDictionary? Chunks = null,
    IDictionary? Shards = null,
    string? Codec = null,
    int ThrottleLimit = 0,
    long MaxMemory = 0,
    bool Force = false) : IInvocation
{
    /// <summary>The default memory budget for chunk buffers, as the CLI's.</summary>
    public const long DefaultMaxMemory = ConvertToZarr.DefaultMaxMemoryBytes;

    public ErrorScope Scope => ErrorScope.Whole;

    /// <summary>Whether the one source is a Zarr store copied as a store.</summary>
    public bool CopiesStore => ConvertToZarr.CopiesStore(Sources, ConcatDimension);

    public IReadOnlyList<object> Run(IOperationSink sink)
    {
        var chunks = DimensionSizes.From(Chunks, "Chunks");
        var shards = DimensionSizes.From(Shards, "Shards");
        var result = ConvertToZarr.Run(new ConvertToZarr.Request(Sources, Destination, ZarrFormat, ConcatDimension, chunks, shards, Codec, ThrottleLimit, MaxMemory, Force), sink);
        return result.Performed
            ? [new ZarrConversion(result.Destination, result.ZarrFormat, result.Arrays, result.Chunks, result.BytesRead, result.BytesWritten, result.Seconds)]
            : [];
    }
}
