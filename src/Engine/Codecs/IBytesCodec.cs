namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// A bytes→bytes codec (compressor or checksum). Implementations are immutable and thread-safe:
/// one instance serves every chunk of an array on every thread.
/// </summary>
public interface IBytesCodec
{
    /// <summary>The codec's name as it appears in error messages and metadata (v3 name).</summary>
    string Name { get; }

    byte[] Encode(ReadOnlySpan<byte> data);

    /// <summary>Decodes; throws <see cref="Errors.CodecException"/> on corrupt or truncated input.</summary>
    byte[] Decode(ReadOnlySpan<byte> data);
}
