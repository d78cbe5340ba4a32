namespace ZarrPartition.Module.Tests.Scripts;

/// <summary>A syntax error (an ERROR node, or a missing token) at a line and column.</summary>
public sealed record ScannedError(int Line, int Column, string Text, bool Missing);
