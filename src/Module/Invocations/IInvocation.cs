using ZarrPartition.Engine.Operations;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>
/// One call of an engine operation with everything a cmdlet's parameters said, already resolved to
/// provider paths and plain values. <see cref="Run"/> runs on the operation's worker thread and
/// returns the objects to write to the pipeline; it never touches PowerShell, so tests run it with a
/// recording sink.
/// </summary>
public interface IInvocation
{
    ErrorScope Scope { get; }

    IReadOnlyList<object> Run(IOperationSink sink);
}
