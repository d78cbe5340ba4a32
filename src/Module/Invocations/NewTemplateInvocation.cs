using System.Collections;
using ZarrPartition.Engine.Operations;
using ZarrPartition.Module.Runtime;

namespace ZarrPartition.Module.Invocations;

/// <summary>New-ZarrTemplate: CreateTemplate over the sources (already provider paths), like 'zarrpartition template'.</summary>
public sealed record NewTemplateInvocation(
    IReadOnlyList<string> Sources,
    string Destination,
    int ZarrFormat = 2,
    IDictionary? Chunks = null,
    IDictionary? Shards = null,
    string? Codec = null,
    string? TimeDimension = null,
    string? Start = null,
    string? End = null,
    string? Frequency = null,
    string? AccessPattern = null,
    double TargetChunkMB = 50,
    IReadOnlyList<string>? Variable = null,
    IReadOnlyList<string>? DropVariable = null,
    IDictionary? Pack = null,
    bool Force = false,
    bool Append = false) : IInvocation
{
    public ErrorScope Scope => ErrorScope.Whole;

    public CreateTemplate.Request ToRequest() => new(
        Sources,
        Destination,
        ZarrFormat,
        DimensionSizes.From(Chunks, "Chunks"),
        DimensionSizes.From(Shards, "Shards"),
        Codec,
        TimeDimension,
        Start,
        End,
        Frequency,
        AccessPattern,
        TargetChunkMB,
        Variable is { Count: > 0 } ? Variable : null,
        DropVariable is { Count: > 0 } ? DropVariable : null,
        Force,
        Append,
        Pack: PackTable.From(Pack));

    public IReadOnlyList<object> Run(IOperationSink sink)
    {
        var result = CreateTemplate.Run(ToRequest(), sink);
        return result.Performed
            ? [new ZarrTemplate(result.Destination, result.ZarrFormat, result.DataVariables, result.Coordinates, result.TimeSteps, RegionText.Format(result.Chunks), result.DataChunks, result.Appended, result.Seconds)]
            : [];
    }
}
