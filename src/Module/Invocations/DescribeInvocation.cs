using System.Globalization;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Engine.Storage;
using ZarrPartition.Engine.Zarr;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>
/// Get-ZarrStore: DescribeStore for a Zarr store (a folder), DescribeSource for a NetCDF/HDF5 file, like
/// 'zarrpartition info'. The file's <see cref="SourceInfo"/> becomes <see cref="ZarrSourceInfo"/>.
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

    public static ZarrSourceInfo Source(SourceInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var groups = info.Groups().ToList();
        return new ZarrSourceInfo(info.Location, info.Format, info.Root.Dimensions.Select(Dimension).ToArray(), groups.Select(GroupPath).ToArray(), info.Root.AttributesJson(),
            groups.SelectMany(g => g.Variables.Select(v => new ZarrSourceVariable(
                info.Location,
                v.Name,
                GroupPath(g),
                v.Type,
                v.Dimensions.ToArray(),
                v.Shape.ToArray(),
                v.ChunkShape is null ? "contiguous" : string.Join(",", v.ChunkShape),
                v.Filters.ToArray(),
                v.AttributesJson()))).ToArray());
    }

    private static string GroupPath(SourceGroupInfo group) => group.Path.Length == 0 ? "/" : group.Path;

    private static string Dimension(Dimension d) =>
        string.Create(CultureInfo.InvariantCulture, $"{d.Name}={d.Length}{(d.IsUnlimited ? " (unlimited)" : "")}");
}
