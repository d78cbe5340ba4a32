namespace ZarrPartition.Engine.Operations;

/// <summary>A sink that says yes to everything and discards messages.</summary>
public sealed class NullSink : IOperationSink
{
    public NullSink(CancellationToken cancellation = default) => Cancellation = cancellation;

    public CancellationToken Cancellation { get; }

    public void Progress(ProgressInfo progress)
    {
    }

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }

    public bool ShouldProcess(string target, string action) => true;
}
