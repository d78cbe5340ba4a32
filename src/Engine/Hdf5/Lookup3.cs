using System.Buffers.Binary;
using System.Numerics;

namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// Bob Jenkins' lookup3 "hashlittle" (public domain algorithm), which HDF5 uses as the checksum of
/// every version-2 metadata structure (object header chunks, B-tree v2 nodes, heap blocks, array
/// index blocks). The checksum is the hash of all bytes before the 4-byte checksum field, with an
/// initial value of zero, stored little-endian.
/// </summary>
internal static class Lookup3
{
    public static uint Hash(ReadOnlySpan<byte> data, uint initial = 0)
    {
        uint a, b, c;
        a = b = c = 0xDEADBEEF + (uint)data.Length + initial;
        int length = data.Length;
        int p = 0;
        while (length > 12)
        {
            a += BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(p, 4));
            b += BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(p + 4, 4));
            c += BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(p + 8, 4));
            Mix(ref a, ref b, ref c);
            length -= 12;
            p += 12;
        }

        if (length == 0)
        {
            return c;
        }

        // The last 1..12 bytes are added byte by byte, each at its little-endian position.
        var tail = data.Slice(p, length);
        for (int i = 0; i < length; i++)
        {
            uint v = (uint)tail[i] << (8 * (i & 3));
            switch (i >> 2)
            {
                case 0: a += v; break;
                case 1: b += v; break;
                default: c += v; break;
            }
        }

        Final(ref a, ref b, ref c);
        return c;
    }

    /// <summary>True when the last four bytes of <paramref name="block"/> are the checksum of the rest.</summary>
    public static bool Verify(ReadOnlySpan<byte> block)
    {
        if (block.Length < 4)
        {
            return false;
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(block[^4..]);
        return stored == Hash(block[..^4]);
    }

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
    }
}
