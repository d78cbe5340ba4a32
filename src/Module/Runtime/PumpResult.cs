namespace ZarrPartition.Module.Runtime;

/// <summary>What an operation returned through <see cref="OperationPump"/>, and whether it was told no by ShouldProcess.</summary>
public sealed record PumpResult<T>(T Value, bool Declined, IReadOnlyList<string> Asked);
