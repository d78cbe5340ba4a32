using System.Collections.Concurrent;
using ZarrPartition.Engine.Planning;

namespace ZarrPartition.Module.Invocations;

/// <summary>
/// The plans one Write-ZarrPartition call has read, so that a pipeline of a plan's partitions reads its
/// file once. Keyed by path and the file's last write time (a replaced file is read again). One per
/// cmdlet call: never static, so runspaces share nothing.
/// </summary>
public sealed class PlanCache
{
    private readonly ConcurrentDictionary<(string Path, DateTime Written), PartitionPlan> _plans = new();

    public PartitionPlan Load(string path)
    {
        var written = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
        return written == DateTime.MinValue ? PartitionPlan.Load(path) : _plans.GetOrAdd((path, written), k => PartitionPlan.Load(k.Path));
    }
}
