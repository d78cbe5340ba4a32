namespace ZarrPartition.Module.Tests.Scripts;

/// <summary>A command call: its name as written, its line, the parameters it names (with the dash) and whether it splats.</summary>
public sealed record ScannedCommand(string Name, int Line, IReadOnlyList<string> Parameters, bool Splat);
