namespace ZarrPartition.Module.Tests.Scripts;

/// <summary>What tree-sitter found in one PowerShell file: its syntax errors and its command calls.</summary>
public sealed record ScannedFile(string File, IReadOnlyList<ScannedError> Errors, IReadOnlyList<ScannedCommand> Commands);
