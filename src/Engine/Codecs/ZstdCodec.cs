namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The Zstandard codec of numcodecs (<c>"zstd"</c>) and of zarr v3 (zarr-extensions
/// <c>zstd</c>): the chunk is one zstd frame (RFC 8878) as written by libzstd, with the content
/// size recorded and optionally the content checksum. Decoding accepts any sequence of frames.
/// </summary>
public sealed class ZstdCodec : IBytesCodec, ISpanEncoder
{
    /// <summary>The level range zstd defines (negative levels are the "fast" modes; 0 means the default, 3).</summary>
    public const int MinimumLevel = -131072;

    public const int MaximumLevel = 22;

    public ZstdCodec(int level, bool checksum = false)
    {
        if (level < MinimumLevel || level > MaximumLevel)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, $"zstd levels run from {MinimumLevel} to {MaximumLevel}.");
        }

        Level = level;
        Checksum = checksum;
    }

    public string Name => "zstd";

    public int Level { get; }

    /// <summary>Whether encoded frames carry zstd's content checksum (verified on decode by libzstd either way).</summary>
    public bool Checksum { get; }

    public byte[] Encode(ReadOnlySpan<byte> data) => ZstdNative.Compress(data, Level, Checksum);

    public int MaxEncodedLength(int inputLength) => ZstdNative.MaxCompressedLength(inputLength);

    /// <summary>
    /// Encodes straight into <paramref name="destination"/> (at least <see cref="MaxEncodedLength"/>
    /// bytes), so the write path can use a pooled buffer instead of a new array per chunk.
    /// </summary>
    public int Encode(ReadOnlySpan<byte> data, Span<byte> destination) => ZstdNative.Compress(data, destination, Level, Checksum);

    public byte[] Decode(ReadOnlySpan<byte> data) => ZstdNative.Decompress(data);
}
