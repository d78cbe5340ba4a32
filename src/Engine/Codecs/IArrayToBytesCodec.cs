using System.Text.Json.Nodes;

namespace ZarrPartition.Engine.Codecs;

/// <summary>An array→bytes codec ("bytes" with an endianness, or "sharding_indexed"). Immutable and thread-safe.</summary>
public interface IArrayToBytesCodec
{
    string Name { get; }

    /// <summary>Encodes a chunk given as little-endian elements in C order.</summary>
    byte[] Encode(byte[] data, ChunkSpec spec);

    /// <summary>Decodes into little-endian elements in C order; the result has exactly spec.ByteCount bytes.</summary>
    byte[] Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec);

    JsonObject ToV3Json();
}
