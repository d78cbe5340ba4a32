using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Codecs;

/// <summary>The v3 "bytes" codec: elements laid out in the given byte order.</summary>
public sealed class BytesCodec : IArrayToBytesCodec
{
    public static readonly BytesCodec Little = new(false);
    public static readonly BytesCodec Big = new(true);

    private BytesCodec(bool bigEndian) => BigEndian = bigEndian;

    public bool BigEndian { get; }

    public string Name => "bytes";

    public byte[] Encode(byte[] data, ChunkSpec spec)
    {
        if (!BigEndian || spec.DataType.Size == 1 || spec.DataType.Kind == Zarr.DataTypeKind.FixedBytes)
        {
            return data;
        }

        var copy = (byte[])data.Clone();
        Swap(copy, spec.DataType.Size);
        return copy;
    }

    public byte[] Decode(ReadOnlySpan<byte> encoded, ChunkSpec spec)
    {
        CheckSize(encoded.Length, spec);
        return DecodeOwned(encoded.ToArray(), spec);
    }

    /// <summary>
    /// Decodes an array the caller owns and hands over (a decompressor's output): elements are swapped in
    /// place and the same array is returned, saving a chunk-sized copy on every compressed read.
    /// </summary>
    internal byte[] DecodeOwned(byte[] owned, ChunkSpec spec)
    {
        CheckSize(owned.Length, spec);
        if (BigEndian && spec.DataType.Size > 1 && spec.DataType.Kind != Zarr.DataTypeKind.FixedBytes)
        {
            Swap(owned, spec.DataType.Size);
        }

        return owned;
    }

    private static void CheckSize(int length, ChunkSpec spec)
    {
        if (length != spec.ByteCount)
        {
            throw new CodecException("bytes", "WrongChunkSize", ErrorKind.InvalidData,
                $"decoded chunk has {length} bytes but its shape [{string.Join(",", spec.Shape)}] of {spec.DataType.Name} needs {spec.ByteCount}.");
        }
    }

    /// <summary>Reverses the bytes of each element in place.</summary>
    public static void Swap(Span<byte> data, int size)
    {
        switch (size)
        {
            case 2:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(data), MemoryMarshal.Cast<byte, ushort>(data));
                break;
            case 4:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(data), MemoryMarshal.Cast<byte, uint>(data));
                break;
            case 8:
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(data), MemoryMarshal.Cast<byte, ulong>(data));
                break;
        }
    }

    public JsonObject ToV3Json() => new()
    {
        ["name"] = "bytes",
        ["configuration"] = new JsonObject { ["endian"] = BigEndian ? "big" : "little" },
    };
}
