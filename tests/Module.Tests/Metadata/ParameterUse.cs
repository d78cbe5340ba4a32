namespace ZarrPartition.Module.Tests.Metadata;

/// <summary>One [Parameter] attribute: the set it applies to and how the parameter is bound there.</summary>
public sealed record ParameterUse(string Set, bool Mandatory, int? Position, bool FromPipeline, bool ByPropertyName);
