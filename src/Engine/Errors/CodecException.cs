namespace ZarrPartition.Engine.Errors;

/// <summary>
/// A codec could not encode or decode: corrupt or truncated input, an unsupported frame feature,
/// or a missing native library. Array code wraps it in a <see cref="ChunkException"/> that names the
/// array and key.
/// </summary>
public sealed class CodecException : ZarrPartitionException
{
    public CodecException(string codec, string message, Exception? inner = null)
        : base("CodecError", ErrorKind.InvalidData, codec, $"{codec}: {message}", inner)
    {
        Codec = codec;
    }

    public CodecException(string codec, string errorId, ErrorKind kind, string message, Exception? inner = null)
        : base(errorId, kind, codec, $"{codec}: {message}", inner)
    {
        Codec = codec;
    }

    public string Codec { get; }
}
