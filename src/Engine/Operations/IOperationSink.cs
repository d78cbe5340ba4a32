namespace ZarrPartition.Engine.Operations;

/// <summary>
/// Everything an operation tells its caller while it runs, and asks of it. The CLI writes these to
/// the console; the PowerShell module to WriteProgress/WriteVerbose/WriteWarning/ShouldProcess.
/// Implementations must accept calls from worker threads.
/// </summary>
public interface IOperationSink
{
    CancellationToken Cancellation { get; }

    void Progress(ProgressInfo progress);

    void Verbose(string message);

    void Warning(string message);

    /// <summary>Asks whether to perform <paramref name="action"/> on <paramref name="target"/> (-WhatIf/-Confirm).</summary>
    bool ShouldProcess(string target, string action);
}
