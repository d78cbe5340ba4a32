namespace ZarrPartition.Module.Tests.Metadata;

/// <summary>One parameter of a cmdlet: its type, aliases, uses per parameter set, wildcards, completer and ValidateSet.</summary>
public sealed record ParameterModel(
    string Name,
    Type Type,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<ParameterUse> Uses,
    bool SupportsWildcards,
    Type? Completer,
    IReadOnlyList<string> ValidateSet,
    bool Settable)
{
    public bool ByPropertyName => Uses.Any(u => u.ByPropertyName);

    public bool FromPipeline => Uses.Any(u => u.FromPipeline);

    public bool IsSwitch => Type.FullName == ModuleMetadata.Automation + ".SwitchParameter";
}
