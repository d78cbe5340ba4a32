using ZarrPartition.Engine.Operations;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>Measure-ZarrArray: MeasureArray, like 'zarrpartition stats'; one object per array.</summary>
public sealed record MeasureInvocation(string Store, IReadOnlyList<string>? Variable = null, int ThrottleLimit = 0, long MaxMemory = 0) : IInvocation
{
    public ErrorScope Scope => ErrorScope.Store;

    public IReadOnlyList<object> Run(IOperationSink sink)
    {
        var result = MeasureArray.Run(new MeasureArray.Request(Store, Variable is { Count: > 0 } ? Variable : null, ThrottleLimit, MaxMemory), sink);
        return result.Variables.Select(v => (object)new ZarrArrayStatistics(result.Store, v.Name, v.Dimensions.ToArray(), v.Shape.ToArray(), v.DataType, v.Units,
            v.Count, v.Missing, v.Min, v.Max, v.Mean, v.Std)).ToList();
    }
}
