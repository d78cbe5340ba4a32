namespace ZarrPartition.Engine.Errors;

/// <summary>A chunk could not be read, decoded, encoded or written. Names the array and the key.</summary>
public sealed class ChunkException : ZarrPartitionException
{
    public ChunkException(string errorId, ErrorKind kind, string arrayPath, string key, string message, Exception? inner = null)
        : base(errorId, kind, $"{arrayPath}:{key}", $"Array '{arrayPath}', chunk '{key}': {message}", inner)
    {
        ArrayPath = arrayPath;
        Key = key;
    }

    public string ArrayPath { get; }

    public string Key { get; }
}
