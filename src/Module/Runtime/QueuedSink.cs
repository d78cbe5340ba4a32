using System.Collections.Concurrent;
using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Module.Runtime;

/// <summary>
/// The sink an operation gets from a cmdlet. It never touches PowerShell: every call, from any thread,
/// becomes a <see cref="SinkMessage"/> on a queue that the pipeline thread drains
/// (<see cref="OperationPump"/>). <see cref="ShouldProcess"/> queues the question and blocks its caller
/// until the pipeline thread has asked PowerShell and answered, or until the call is cancelled.
/// </summary>
public sealed class QueuedSink : IOperationSink
{
    private readonly BlockingCollection<SinkMessage> _queue;
    private readonly int _pipelineThread;
    private readonly ConcurrentQueue<string> _asked = new();
    private int _declined;

    internal QueuedSink(BlockingCollection<SinkMessage> queue, CancellationToken cancellation, int pipelineThread)
    {
        _queue = queue;
        Cancellation = cancellation;
        _pipelineThread = pipelineThread;
    }

    public CancellationToken Cancellation { get; }

    /// <summary>Whether any ShouldProcess question was answered no (-WhatIf, or no to -Confirm).</summary>
    public bool Declined => Volatile.Read(ref _declined) != 0;

    /// <summary>The questions asked, as "action | target", in order.</summary>
    public IReadOnlyList<string> Asked => _asked.ToArray();

    public void Progress(ProgressInfo progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Post(SinkMessage.ForProgress(progress));
    }

    public void Verbose(string message) => Post(SinkMessage.Verbose(message ?? ""));

    public void Warning(string message) => Post(SinkMessage.Warning(message ?? ""));

    public bool ShouldProcess(string target, string action)
    {
        if (Environment.CurrentManagedThreadId == _pipelineThread)
        {
            throw new InvalidOperationException("ShouldProcess was called on the pipeline thread while it waits for the operation: run the operation through OperationPump.Run.");
        }

        Cancellation.ThrowIfCancellationRequested(); // stopping: never ask the user
        _asked.Enqueue(action + " | " + target);
        var question = SinkMessage.Question(target ?? "", action ?? "");
        if (!Post(question))
        {
            // the pump has stopped listening: it is failing or stopping, so do nothing
            Interlocked.Exchange(ref _declined, 1);
            return false;
        }

        bool yes = question.Answered.Wait(Timeout.Infinite, Cancellation) && question.Answered.Result;
        if (!yes)
        {
            Interlocked.Exchange(ref _declined, 1);
        }

        return yes;
    }

    private bool Post(SinkMessage message)
    {
        try
        {
            return _queue.TryAdd(message);
        }
        catch (InvalidOperationException)
        {
            return false; // adding completed
        }
    }
}
