namespace ZarrPartition.Engine.Errors;

/// <summary>
/// Base of every error the engine raises on purpose. It carries a stable error id, a category,
/// the target it concerns (a store, an array, a key, a file) and a message that says what to do.
/// </summary>
public class ZarrPartitionException : Exception
{
    public ZarrPartitionException(string errorId, ErrorKind kind, string? target, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    /// <summary>Stable identifier, e.g. "ChunkDecodeFailed"; never localised, safe to match on.</summary>
    public string ErrorId { get; }

    public ErrorKind Kind { get; }

    /// <summary>What the error is about: a store path, "array/key", a codec name.</summary>
    public string? Target { get; }
}
