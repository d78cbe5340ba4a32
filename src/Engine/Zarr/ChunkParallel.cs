using System.Runtime.ExceptionServices;

namespace ZarrPartition.Engine.Zarr;

/// <summary>
/// Parallel.ForEach that rethrows the first failure itself (a ChunkException, a cancellation)
/// instead of an AggregateException, so callers see the typed error.
/// </summary>
public static class ChunkParallel
{
    public static void ForEach<T>(IEnumerable<T> items, ParallelOptions options, Action<T> body)
    {
        try
        {
            Parallel.ForEach(items, options, body);
        }
        catch (AggregateException e)
        {
            var inner = e.Flatten().InnerExceptions;
            var first = inner.FirstOrDefault(x => x is not OperationCanceledException) ?? inner[0];
            ExceptionDispatchInfo.Capture(first).Throw();
        }
    }
}
