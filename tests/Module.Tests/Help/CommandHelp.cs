using ZarrPartition.Module.Tests.Metadata;

namespace ZarrPartition.Module.Tests.Help;

/// <summary>One cmdlet's help text, as its XML documentation gives it.</summary>
public sealed record CommandHelp(CmdletModel Cmdlet, string Synopsis, IReadOnlyList<string> Description, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<ExampleHelp> Examples);
