using ZarrPartition.Engine.Operations;

namespace ZarrPartition.Module.Runtime;

/// <summary>
/// One thing an operation said or asked, queued by <see cref="QueuedSink"/> on whatever thread the
/// engine was on, handled by <see cref="OperationPump"/> on the pipeline thread. A question
/// (<see cref="SinkMessageKind.ShouldProcess"/>) carries the handshake its asker waits on.
/// </summary>
internal sealed class SinkMessage
{
    private readonly TaskCompletionSource<bool>? _answer;

    private SinkMessage(SinkMessageKind kind, string text, string target, ProgressInfo? progress, TaskCompletionSource<bool>? answer)
    {
        Kind = kind;
        Text = text;
        Target = target;
        Progress = progress;
        _answer = answer;
    }

    public SinkMessageKind Kind { get; }

    /// <summary>The message, or for a question the action.</summary>
    public string Text { get; }

    public string Target { get; }

    public ProgressInfo? Progress { get; }

    public Task<bool> Answered => _answer?.Task ?? Task.FromResult(true);

    public static SinkMessage Verbose(string text) => new(SinkMessageKind.Verbose, text, "", null, null);

    public static SinkMessage Warning(string text) => new(SinkMessageKind.Warning, text, "", null, null);

    public static SinkMessage ForProgress(ProgressInfo progress) => new(SinkMessageKind.Progress, progress.Activity, "", progress, null);

    public static SinkMessage Question(string target, string action) =>
        new(SinkMessageKind.ShouldProcess, action, target, null, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Answers a question (once; later answers are ignored).</summary>
    public void Answer(bool yes) => _answer?.TrySetResult(yes);
}
