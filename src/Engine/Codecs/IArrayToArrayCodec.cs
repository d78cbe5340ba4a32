using System.Text.Json.Nodes;

namespace ZarrPartition.Engine.Codecs;

/// <summary>An array→array codec (v3 "transpose"; v2 order "F"). Immutable and thread-safe.</summary>
public interface IArrayToArrayCodec
{
    string Name { get; }

    /// <summary>The spec of the array this codec produces from an input of <paramref name="input"/>.</summary>
    ChunkSpec EncodedSpec(ChunkSpec input);

    byte[] Encode(byte[] data, ChunkSpec input);

    byte[] Decode(byte[] data, ChunkSpec input);

    JsonObject ToV3Json();
}
