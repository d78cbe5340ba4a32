namespace ZarrPartition.Module.Completion;

/// <summary>Completes variable (array) names of the store or file given on the command line.</summary>
public sealed class ZarrVariableCompleter : ZarrNameCompleter
{
    protected override IReadOnlyList<string> Names(string? path) => DatasetNames.Variables(path);
}
