using System.Collections.Concurrent;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Tests.Runtime;

/// <summary>
/// A pipeline host that records what a cmdlet would have written, and on which thread: PSCmdlet's
/// Write* methods throw off the pipeline thread, so every call must come from <see cref="PipelineThread"/>.
/// </summary>
public sealed class FakeHost : IPipelineHost
{
    public FakeHost(bool answer = true) => Answer = answer;

    public int PipelineThread { get; } = Environment.CurrentManagedThreadId;

    public bool Answer { get; set; }

    public List<string> Events { get; } = [];

    public List<ProgressUpdate> Progress { get; } = [];

    public ConcurrentBag<int> Threads { get; } = [];

    public Action<string>? OnEvent { get; set; }

    public void WriteVerbose(string message) => Record("verbose: " + message);

    public void WriteWarning(string message) => Record("warning: " + message);

    public void WriteProgress(ProgressUpdate progress)
    {
        Progress.Add(progress);
        Record($"progress: {progress.ActivityId} {progress.PercentComplete}{(progress.Completed ? " completed" : "")}");
    }

    public bool ShouldProcess(string target, string action)
    {
        Record($"should: {action} | {target}");
        return Answer;
    }

    private void Record(string e)
    {
        Threads.Add(Environment.CurrentManagedThreadId);
        Events.Add(e);
        OnEvent?.Invoke(e);
    }
}
