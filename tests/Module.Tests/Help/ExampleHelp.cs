namespace ZarrPartition.Module.Tests.Help;

/// <summary>One help example: the code and what it does.</summary>
public sealed record ExampleHelp(string Code, IReadOnlyList<string> Remarks);
