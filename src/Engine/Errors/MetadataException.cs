namespace ZarrPartition.Engine.Errors;

/// <summary>Zarr metadata that is malformed, incomplete, or uses something we do not understand.</summary>
public sealed class MetadataException : ZarrPartitionException
{
    public MetadataException(string key, string message, string errorId = "InvalidMetadata", ErrorKind kind = ErrorKind.InvalidData, Exception? inner = null)
        : base(errorId, kind, key, $"Metadata '{key}': {message}", inner)
    {
    }
}
