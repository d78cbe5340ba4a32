namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// A bytes→bytes codec that can encode into a caller's buffer, so the chunk writer can reuse
/// pooled buffers instead of allocating a large array per chunk.
/// </summary>
public interface ISpanEncoder
{
    /// <summary>The largest output <see cref="Encode(ReadOnlySpan{byte}, Span{byte})"/> can produce for an input of this length.</summary>
    int MaxEncodedLength(int inputLength);

    /// <summary>Encodes into <paramref name="destination"/> (at least MaxEncodedLength bytes); returns the bytes written.</summary>
    int Encode(ReadOnlySpan<byte> data, Span<byte> destination);
}
