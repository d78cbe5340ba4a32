namespace ZarrPartition.Module.Tests.Metadata;

/// <summary>One cmdlet class as its attributes describe it.</summary>
public sealed record CmdletModel(
    Type Type,
    bool HasCmdletAttribute,
    string Verb,
    string Noun,
    string? DefaultParameterSetName,
    bool SupportsShouldProcess,
    string? ConfirmImpact,
    IReadOnlyList<Type> OutputTypes,
    IReadOnlyList<ParameterModel> Parameters)
{
    public string Name => Verb + "-" + Noun;

    /// <summary>The named parameter sets (a cmdlet whose parameters name none has only the default set).</summary>
    public IReadOnlyList<string> Sets
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Uses).Select(u => u.Set).Where(s => s != ModuleMetadata.AllSets).Distinct().ToList();
            return named.Count > 0 ? named : [ModuleMetadata.AllSets];
        }
    }

    public ParameterModel? Parameter(string name) => Parameters.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The parameters of one set with how they are used there (parameters of all sets included).</summary>
    public IEnumerable<(ParameterModel Parameter, ParameterUse Use)> InSet(string set) =>
        Parameters.SelectMany(p => p.Uses.Where(u => u.Set == set || u.Set == ModuleMetadata.AllSets).Select(u => (p, u)));

    /// <summary>Every name a parameter can be given by: its name and its aliases.</summary>
    public IReadOnlySet<string> ParameterNames =>
        Parameters.SelectMany(p => p.Aliases.Prepend(p.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
