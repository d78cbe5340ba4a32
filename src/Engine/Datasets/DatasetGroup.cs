namespace ZarrPartition.Engine.Datasets;

/// <summary>A group: dimensions defined here, variables, attributes and subgroups.</summary>
public sealed record DatasetGroup(
    string Name,
    string Path,
    IReadOnlyList<Dimension> Dimensions,
    IReadOnlyList<Variable> Variables,
    IReadOnlyList<AttributeValue> Attributes,
    IReadOnlyList<DatasetGroup> Groups)
{
    public Variable? Variable(string name) => Variables.FirstOrDefault(v => v.Name == name);

    public Dimension? Dimension(string name) => Dimensions.FirstOrDefault(d => d.Name == name);
}
