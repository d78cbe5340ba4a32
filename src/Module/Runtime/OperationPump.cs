using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Module.Runtime;

/// <summary>
/// Runs one engine operation for a cmdlet. The operation runs on a worker thread with a
/// <see cref="QueuedSink"/>; the calling (pipeline) thread pumps the sink's queue and is the only thread
/// that touches the host: verbose and warning messages in order, progress throttled, and ShouldProcess
/// questions answered through a blocking handshake (the engine asks once, just before it writes, with
/// a target and an action only it knows). When the operation ends the queue is drained, open progress
/// activities are completed, and its result or exception is handed back on the pipeline thread.
/// Cancellation (StopProcessing) reaches the engine through the token; an exception from the host
/// (the pipeline stopping) cancels the operation, which is waited for before the exception is rethrown.
/// </summary>
public static class OperationPump
{
    /// <summary>The shortest time between two progress records of one activity.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    public static PumpResult<T> Run<T>(Func<IOperationSink, T> operation, IPipelineHost host, CancellationToken cancellation, ProgressThrottle? throttle = null)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(host);
        var clock = Stopwatch.StartNew();
        throttle ??= new ProgressThrottle(ProgressInterval, () => clock.Elapsed);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var queue = new BlockingCollection<SinkMessage>();
        var sink = new QueuedSink(queue, stop.Token, Environment.CurrentManagedThreadId);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var culture = Thread.CurrentThread.CurrentCulture;
        var uiCulture = Thread.CurrentThread.CurrentUICulture;
        var worker = new Thread(() =>
        {
            try
            {
                result = operation(sink);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(Unwrap(e));
            }
            finally
            {
                queue.CompleteAdding();
            }
        })
        {
            IsBackground = true,
            Name = "ZarrPartition operation",
            CurrentCulture = culture,
            CurrentUICulture = uiCulture,
        };
        worker.Start();

        ExceptionDispatchInfo? hostFailure = null;
        foreach (var message in queue.GetConsumingEnumerable())
        {
            if (hostFailure is not null)
            {
                message.Answer(false); // the host has failed: say no, and let the operation end
                continue;
            }

            if (message.Kind == SinkMessageKind.ShouldProcess && stop.IsCancellationRequested)
            {
                message.Answer(false); // stopping: the question is moot
                continue;
            }

            try
            {
                Dispatch(message, host, throttle);
            }
            catch (Exception e)
            {
                hostFailure = ExceptionDispatchInfo.Capture(e);
                message.Answer(false);
                stop.Cancel();
            }
        }

        worker.Join();
        if (hostFailure is not null)
        {
            hostFailure.Throw();
        }

        foreach (var done in throttle.CompleteAll())
        {
            host.WriteProgress(done);
        }

        failure?.Throw();
        return new PumpResult<T>(result, sink.Declined, sink.Asked);
    }

    /// <summary>The exception worth reporting: the typed engine error (or the cancellation) inside an AggregateException.</summary>
    public static Exception Unwrap(Exception e)
    {
        while (true)
        {
            switch (e)
            {
                case AggregateException ae when ae.Flatten().InnerExceptions is { Count: > 0 } inner:
                    e = inner.FirstOrDefault(x => x is Engine.Errors.ZarrPartitionException)
                        ?? inner.FirstOrDefault(x => x is OperationCanceledException)
                        ?? inner[0];
                    continue;
                case System.Reflection.TargetInvocationException { InnerException: { } ti }:
                    e = ti;
                    continue;
                default:
                    return e;
            }
        }
    }

    private static void Dispatch(SinkMessage message, IPipelineHost host, ProgressThrottle throttle)
    {
        switch (message.Kind)
        {
            case SinkMessageKind.Verbose:
                host.WriteVerbose(message.Text);
                break;
            case SinkMessageKind.Warning:
                host.WriteWarning(message.Text);
                break;
            case SinkMessageKind.Progress:
                if (throttle.Next(message.Progress!) is { } update)
                {
                    host.WriteProgress(update);
                }

                break;
            case SinkMessageKind.ShouldProcess:
                message.Answer(host.ShouldProcess(message.Target, message.Text));
                break;
        }
    }
}
