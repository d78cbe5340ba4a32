using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Codecs;

/// <summary>The v3 "crc32c" codec: appends the CRC32C (Castagnoli) of the data as a little-endian u32.</summary>
public sealed class Crc32cCodec : IBytesCodec
{
    public static readonly Crc32cCodec Instance = new();

    public string Name => "crc32c";

    public byte[] Encode(ReadOnlySpan<byte> data)
    {
        var result = new byte[data.Length + 4];
        data.CopyTo(result);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(data.Length), Compute(data));
        return result;
    }

    public byte[] Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4)
        {
            throw new CodecException("crc32c", $"input of {data.Length} bytes is shorter than the 4-byte checksum.");
        }

        var body = data[..^4];
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data[^4..]);
        uint actual = Compute(body);
        if (stored != actual)
        {
            throw new CodecException("crc32c", "ChecksumMismatch", ErrorKind.InvalidData, $"checksum mismatch (stored 0x{stored:x8}, computed 0x{actual:x8}): the chunk is corrupt.");
        }

        return body.ToArray();
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        var longs = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (var v in longs)
        {
            crc = BitOperations.Crc32C(crc, v);
        }

        foreach (var b in data[(longs.Length * 8)..])
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
