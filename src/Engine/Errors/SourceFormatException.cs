namespace ZarrPartition.Engine.Errors;

/// <summary>
/// A source file that is not what it claims or is damaged: names the file and what was wrong where.
/// Every read of a malformed NetCDF/HDF5 file ends in this error (or succeeds), never another type.
/// </summary>
public sealed class SourceFormatException : ZarrPartitionException
{
    public SourceFormatException(string path, string message, Exception? inner = null)
        : base("SourceFormatError", ErrorKind.InvalidData, path, $"'{path}': {message}", inner)
    {
        Path = path;
    }

    public string Path { get; }
}
