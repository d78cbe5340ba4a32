namespace ZarrPartition.Module.Completion;

/// <summary>Completes dimension names of the store or file given on the command line.</summary>
public sealed class ZarrDimensionCompleter : ZarrNameCompleter
{
    protected override IReadOnlyList<string> Names(string? path) => DatasetNames.Dimensions(path);
}
