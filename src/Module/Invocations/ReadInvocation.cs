using ZarrPartition.Engine.Operations;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>Read-ZarrArray: ReadArray, like 'zarrpartition read'; -Region takes the CLI's text ("time=0:24,lat=10:20", as a planned partition's Region).</summary>
public sealed record ReadInvocation(string Store, string Variable, string? Region = null, int ThrottleLimit = 0, long MaxValues = 0) : IInvocation
{
    public ErrorScope Scope => ErrorScope.Store;

    public ReadArray.Request ToRequest() => new(
        Store,
        Variable,
        string.IsNullOrWhiteSpace(Region) ? null : DimensionRange.ParseList(Region),
        ThrottleLimit,
        MaxValues > 0 ? MaxValues : ReadArray.DefaultMaxValues);

    public IReadOnlyList<object> Run(IOperationSink sink)
    {
        var a = ReadArray.Run(ToRequest(), sink);
        return [new ZarrArrayValues(Store, a.Variable, a.DataType, a.Dimensions.ToArray(), a.Start.ToArray(), a.Shape.ToArray(), a.Units, a.Values,
            a.Coordinates.Select(c => new ZarrCoordinateValues(c.Dimension, c.Start, c.Stop, c.Array, c.DataType, c.Values, c.Times, c.Units)).ToArray())];
    }
}
