using System.Text.Json.Nodes;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The codec pipeline of an array: array→array codecs, one array→bytes codec, then bytes→bytes codecs.
/// Immutable and thread-safe.
/// </summary>
public sealed class CodecChain
{
    public CodecChain(IReadOnlyList<IArrayToArrayCodec> arrayCodecs, IArrayToBytesCodec bytesCodec, IReadOnlyList<IBytesCodec> bytesCodecs)
    {
        ArrayCodecs = arrayCodecs;
        BytesCodec = bytesCodec;
        BytesCodecs = bytesCodecs;
    }

    public IReadOnlyList<IArrayToArrayCodec> ArrayCodecs { get; }

    public IArrayToBytesCodec BytesCodec { get; }

    public IReadOnlyList<IBytesCodec> BytesCodecs { get; }

    /// <summary>Encodes a chunk of little-endian C-order elements.</summary>
    public byte[] Encode(byte[] data, ChunkSpec spec)
    {
        foreach (var a in ArrayCodecs)
        {
            data = a.Encode(data, spec);
            spec = a.EncodedSpec(spec);
        }

        var bytes = BytesCodec.Encode(data, spec);
        foreach (var b in BytesCodecs)
        {
            bytes = b.Encode(bytes);
        }

        return bytes;
    }

    /// <summary>Decodes to little-endian C-order elements of exactly spec.ByteCount bytes.</summary>
    public byte[] Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec)
    {
        byte[]? bytes = null;
        for (int i = BytesCodecs.Count - 1; i >= 0; i--)
        {
            bytes = BytesCodecs[i].Decode(bytes is null ? encoded : bytes);
        }

        var specs = new ChunkSpec[ArrayCodecs.Count + 1];
        specs[0] = spec;
        for (int i = 0; i < ArrayCodecs.Count; i++)
        {
            specs[i + 1] = ArrayCodecs[i].EncodedSpec(specs[i]);
        }

        // a compressor's output is ours to keep: the bytes codec works on it in place
        var data = bytes is not null && BytesCodec is BytesCodec plain ? plain.DecodeOwned(bytes, specs[^1]) : BytesCodec.Decode(bytes is null ? encoded : bytes, specs[^1]);
        for (int i = ArrayCodecs.Count - 1; i >= 0; i--)
        {
            data = ArrayCodecs[i].Decode(data, specs[i]);
        }

        return data;
    }

    /// <summary>
    /// The single compressor that encodes this chain's chunks straight from little-endian C-order
    /// elements into a caller's buffer, when the chain is just that (no transpose, no byte swap).
    /// </summary>
    public ISpanEncoder? DirectEncoder(ChunkSpec spec) =>
        ArrayCodecs.Count == 0 && BytesCodec is BytesCodec b && (!b.BigEndian || spec.DataType.Size == 1) && BytesCodecs.Count == 1
            ? BytesCodecs[0] as ISpanEncoder
            : null;

    /// <summary>True when encoding changes nothing: no codecs but little-endian bytes (or single-byte elements).</summary>
    public bool IsIdentity(ChunkSpec spec) =>
        ArrayCodecs.Count == 0 && BytesCodecs.Count == 0 && BytesCodec is BytesCodec b && (!b.BigEndian || spec.DataType.Size == 1);

    /// <summary>The encoded size when it does not depend on the data (no compression), else null.</summary>
    public long? FixedEncodedSize(ChunkSpec spec)
    {
        long size = spec.ByteCount;
        if (BytesCodec is not Codecs.BytesCodec)
        {
            return null;
        }

        foreach (var b in BytesCodecs)
        {
            if (b is Crc32cCodec)
            {
                size += 4;
            }
            else
            {
                return null;
            }
        }

        return size;
    }

    public JsonArray ToV3Json()
    {
        var arr = new JsonArray();
        foreach (var a in ArrayCodecs)
        {
            arr.Add(a.ToV3Json());
        }

        arr.Add(BytesCodec.ToV3Json());
        foreach (var b in BytesCodecs)
        {
            arr.Add(CodecJson.BytesCodecToV3(b));
        }

        return arr;
    }

    public override string ToString() => string.Join(" | ", ArrayCodecs.Select(a => a.Name)
        .Append(BytesCodec is ShardingCodec s ? $"sharding_indexed[{s.InnerCodecs}]" : BytesCodec.Name)
        .Concat(BytesCodecs.Select(CodecJson.Describe)));
}
