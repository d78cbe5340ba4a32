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
    /// Runs <paramref name="body"/> over <paramref name="items"/> (<paramref name="itemCount"/> of them)
    /// with up to <paramref name="inFlight"/> items at once, of which at most <paramref name="threads"/>
    /// are in their CPU part: each item takes an encoding slot on entry and gives it back when it
    /// calls the action it is handed (once its bytes are ready and only storage remains) or when it
    /// ends. Items waiting on storage thus never hold a core (see <see cref="ExecutionOptions.StorageOverlap"/>).
    /// The workers are threads of their own (the caller is one of them), not thread-pool threads:
    /// the pool starts only about one thread per core at once and adds more slowly, so the items
    /// meant to wait on storage would otherwise not exist for the first half second or so of a
    /// write, nor while the pool is busy with other work (ForEach-Object -Parallel, other writers).
    /// The first failure stops the others taking new items and is rethrown as it is (a failure
    /// other than a cancellation wins).
    /// </summary>
    public static void ForEachOverlapped<T>(IEnumerable<T> items, long itemCount, int threads, int inFlight, CancellationToken cancellation, Action<T, Action> body)
    {
        threads = Math.Max(1, threads);
        inFlight = (int)Math.Min(Math.Max(threads, inFlight), Math.Max(1, itemCount));
        using var encoding = inFlight > threads ? new SemaphoreSlim(threads) : null;
        using var source = items.GetEnumerator();
        var gate = new object();
        ExceptionDispatchInfo? failure = null;
        bool stop = false;

        void Fail(Exception e)
        {
            lock (gate)
            {
                if (failure is null || (failure.SourceException is OperationCanceledException && e is not OperationCanceledException))
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }

                stop = true;
            }
        }

        void Work()
        {
            while (true)
            {
                T item;
                try
                {
                    lock (gate)
                    {
                        if (stop || !source.MoveNext())
                        {
                            return;
                        }

                        item = source.Current;
                    }

                    cancellation.ThrowIfCancellationRequested();
                    encoding?.Wait(cancellation);
                }
                catch (Exception e)
                {
                    Fail(e);
                    return;
                }

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
                catch (Exception e)
                {
                    Fail(e);
                    return;
                }
                finally
                {
                    Release();
                }
            }
        }

        var workers = new Thread[inFlight - 1];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new Thread(Work) { IsBackground = true, Name = "ZarrPartition chunk worker" };
            workers[i].Start();
        }

        Work();
        foreach (var worker in workers)
        {
            worker.Join();
        }

        failure?.Throw();
    }
}
