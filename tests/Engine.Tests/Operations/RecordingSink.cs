using System.Collections.Concurrent;
using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Engine.Tests.Operations;

/// <summary>A sink that records what an operation said; answers ShouldProcess with <see cref="Answer"/>.</summary>
public sealed class RecordingSink : IOperationSink
{
    public ConcurrentQueue<string> Warnings { get; } = new();

    public ConcurrentQueue<string> VerboseMessages { get; } = new();

    public ConcurrentQueue<string> Asked { get; } = new();

    public ConcurrentQueue<ProgressInfo> ProgressReports { get; } = new();

    public bool Answer { get; init; } = true;

    public CancellationToken Cancellation { get; init; }

    public void Progress(ProgressInfo progress) => ProgressReports.Enqueue(progress);

    public void Verbose(string message) => VerboseMessages.Enqueue(message);

    public void Warning(string message) => Warnings.Enqueue(message);

    public bool ShouldProcess(string target, string action)
    {
        Asked.Enqueue(action + " | " + target);
        return Answer;
    }
}
