using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Operations;

/// <summary>Describes a Zarr store: groups, arrays, shapes, chunks, types, codecs, dimension names, attributes, chunks present.</summary>
public static class DescribeStore
{
    public sealed record Request(string Path, bool CountChunks = true);

    public static StoreInfo Run(Request request, IOperationSink sink)
    {
        var store = new FileSystemStore(request.Path);
        return Run(store, request.CountChunks, sink);
    }

    public static StoreInfo Run(IStore store, bool countChunks, IOperationSink sink)
    {
        var h = ZarrHierarchy.Open(store);
        sink.Verbose($"Zarr v{h.ZarrFormat} store at {store.Location}" + (h.Consolidated ? " (consolidated metadata)" : ""));
        var arrays = h.Arrays.Select(kv =>
        {
            var m = kv.Value;
            var arr = new ZarrArray(store, kv.Key, m);
            return new ArrayInfo(
                kv.Key,
                m.Shape,
                m.InnerChunkShape,
                m.Sharding is null ? null : m.ChunkShape,
                m.ZarrFormat == 2 ? m.DataType.V2TypeString : m.DataType.Name,
                m.Codecs.ToString(),
                FillValueJson.ToJson(m.FillValue, m.DataType, m.ZarrFormat)?.ToJsonString() ?? "null",
                m.DimensionNames ?? new string?[m.Rank],
                m.Attributes.ToJsonString(),
                m.Grid.ChunkCount,
                countChunks ? arr.CountChunksPresent() : -1);
        }).ToArray();
        var rootAttrs = h.Groups.TryGetValue("", out var root) ? root.Attributes.ToJsonString() : "{}";
        return new StoreInfo(store.Location, h.ZarrFormat, h.Consolidated, h.Groups.Keys.ToArray(), rootAttrs, arrays);
    }
}
