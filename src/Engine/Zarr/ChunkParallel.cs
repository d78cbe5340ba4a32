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

    /// <summary>
    /// Runs <paramref name="body"/> over <paramref name="items"/> with up to <paramref name="inFlight"/>
    /// items at once, of which at most <paramref name="threads"/> are in their CPU part: each item takes
    /// an encoding slot on entry and gives it back when it calls the action it is handed (once its
    /// bytes are ready and only storage remains) or when it ends. Items waiting on storage thus never
    /// hold a core (see <see cref="ExecutionOptions.StorageOverlap"/>).
    /// </summary>
    public static void ForEachOverlapped<T>(IEnumerable<T> items, int threads, int inFlight, CancellationToken cancellation, Action<T, Action> body)
    {
        threads = Math.Max(1, threads);
        inFlight = Math.Max(threads, inFlight);
        using var encoding = inFlight > threads ? new SemaphoreSlim(threads) : null;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = inFlight, CancellationToken = cancellation };
        ForEach(items, parallel, item =>
        {
            encoding?.Wait(cancellation);
            int held = encoding is null ? 0 : 1;
            void Release()
            {
                if (Interlocked.Exchange(ref held, 0) == 1)
                {
                    encoding!.Release();
                }
            }

            try
            {
                body(item, Release);
            }
            finally
            {
                Release();
            }
        });
    }
}
