using System.Globalization;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>
/// Get-ZarrStore: DescribeStore for a Zarr store (a folder), DescribeSource for a NetCDF/HDF5 file, like
/// 'zarrpartition info'. The file's description (JSON in the engine) becomes <see cref="ZarrSourceInfo"/>.
/// </summary>
public sealed record DescribeInvocation(string Path, bool CountChunks = true) : IInvocation
{
    public ErrorScope Scope => ErrorScope.Store;

    public IReadOnlyList<object> Run(IOperationSink sink)
    {
        if (File.Exists(Path))
        {
            return [Source(DescribeSource.Run(new DescribeSource.Request(Path), sink))];
        }

        if (!Directory.Exists(Path) || !ZarrHierarchy.IsZarr(new FileSystemStore(Path)))
        {
            throw new ZarrPartitionException("StoreNotFound", ErrorKind.ObjectNotFound, Path,
                $"'{Path}' is neither a Zarr store (a folder with zarr.json, .zgroup, .zarray or .zmetadata) nor a NetCDF/HDF5 file.");
        }

        var info = DescribeStore.Run(new DescribeStore.Request(Path, CountChunks), sink);
        return [Store(info)];
    }

    public static ZarrStoreInfo Store(StoreInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new ZarrStoreInfo(info.Location, info.ZarrFormat, info.Consolidated, info.Groups.ToArray(), info.AttributesJson,
            info.Arrays.Select(a => new ZarrArrayInfo(info.Location, a.Path, a.Shape.ToArray(), a.Chunks.ToArray(), a.Shards?.ToArray(), a.DataType, a.Codecs, a.FillValue,
                a.DimensionNames.Select(d => d ?? "").ToArray(), a.AttributesJson, a.ChunkCount, a.ChunksPresent)).ToArray());
    }

    public static ZarrSourceInfo Source(JsonObject description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var location = description["location"]?.GetValue<string>() ?? "";
        var root = description["root"]!.AsObject();
        var groups = new List<string>();
        var variables = new List<ZarrSourceVariable>();
        Walk(root);
        return new ZarrSourceInfo(location, description["format"]?.GetValue<string>() ?? "", Dimensions(root), groups.ToArray(), root["attributes"]?.ToJsonString() ?? "{}", variables.ToArray());

        void Walk(JsonObject group)
        {
            var path = group["path"]?.GetValue<string>() ?? "";
            groups.Add(path.Length == 0 ? "/" : path);
            foreach (var v in group["variables"]?.AsArray() ?? [])
            {
                var chunking = v!["chunking"] is JsonArray chunks ? string.Join(",", chunks.Select(c => c!.ToString())) : v["chunking"]?.ToString() ?? "contiguous";
                variables.Add(new ZarrSourceVariable(
                    location,
                    v["name"]!.GetValue<string>(),
                    path.Length == 0 ? "/" : path,
                    v["type"]?.GetValue<string>() ?? "",
                    v["dimensions"]?.AsArray().Select(d => d!.GetValue<string>()).ToArray() ?? [],
                    v["shape"]?.AsArray().Select(s => s!.GetValue<long>()).ToArray() ?? [],
                    chunking,
                    v["filters"]?.AsArray().Select(f => f!.ToString()).ToArray() ?? [],
                    v["attributes"]?.ToJsonString() ?? "{}"));
            }

            foreach (var sub in group["groups"]?.AsArray() ?? [])
            {
                Walk(sub!.AsObject());
            }
        }
    }

    private static string[] Dimensions(JsonObject group) =>
        group["dimensions"]?.AsArray().Select(d => string.Create(CultureInfo.InvariantCulture,
            $"{d!["name"]}={d["length"]}{(d["unlimited"]?.GetValue<bool>() == true ? " (unlimited)" : "")}")).ToArray() ?? [];
}
