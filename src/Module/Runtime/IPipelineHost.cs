namespace ZarrPartition.Module.Runtime;

/// <summary>
/// What a cmdlet offers an operation, on the pipeline thread only: the cmdlet's WriteVerbose,
/// WriteWarning, WriteProgress and ShouldProcess. <see cref="OperationPump"/> calls these and nothing
/// else, always from the thread that called <see cref="OperationPump.Run{T}"/>; the cmdlet base class
/// implements it over PSCmdlet, tests over a recording fake.
/// </summary>
public interface IPipelineHost
{
    void WriteVerbose(string message);

    void WriteWarning(string message);

    void WriteProgress(ProgressUpdate progress);

    /// <summary>The cmdlet's ShouldProcess(target, action): false under -WhatIf or when the user says no to -Confirm.</summary>
    bool ShouldProcess(string target, string action);
}
