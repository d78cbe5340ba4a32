namespace ZarrPartition.Engine.Errors;

/// <summary>A store operation failed: an invalid key, a missing store, an I/O error.</summary>
public sealed class StoreException : ZarrPartitionException
{
    public StoreException(string errorId, ErrorKind kind, string target, string message, Exception? inner = null)
        : base(errorId, kind, target, message, inner)
    {
    }
}
