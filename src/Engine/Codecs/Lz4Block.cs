using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The LZ4 block format (a raw block, no frame): a greedy single-pass compressor and a
/// fully bounds-checked decoder that also reads blocks written by LZ4HC or any other conforming
/// encoder. Thread-safe; no state survives a call.
/// </summary>
/// <remarks>
/// A block is a series of sequences. Each sequence is a token byte (high nibble: literal count,
/// low nibble: match length minus 4; 15 means "more length bytes follow, each added, until one is
/// not 255"), the literals, then a 2-byte little-endian back-reference distance (1..65535) and the
/// match. The last sequence stops after its literals. Encoders must leave the last 5 bytes as
/// literals and start no match in the last 12 bytes.
/// </remarks>
public static unsafe partial class Lz4Block
{
    /// <summary>Largest input the format's length arithmetic allows (as in the reference library).</summary>
    public const int MaxInputSize = 0x7E00_0000;

    private const int MinMatch = 4;
    private const int LastLiterals = 5;
    private const int MatchStartMargin = 12;
    private const int MaxDistance = 65535;
    private const int HashBits = 12;
    private const int SkipShift = 6;

    /// <summary>The worst-case compressed size of <paramref name="n"/> input bytes.</summary>
    public static int MaxCompressedLength(int n)
    {
        if (n < 0 || n > MaxInputSize)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"LZ4 blocks hold 0..{MaxInputSize} bytes.");
        }

        return n + (n / 255) + 16;
    }

    /// <summary>
    /// Decompresses one block into <paramref name="dst"/> and returns the number of bytes written.
    /// Throws <see cref="CodecException"/> (codec "lz4") when the block is malformed, truncated or
    /// would not fit; never reads or writes outside the two spans.
    /// </summary>
    public static int Decompress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        fixed (byte* s = src)
        fixed (byte* d = dst)
        {
            return DecompressCore(s, src.Length, d, dst.Length);
        }
    }

    /// <summary>
    /// Hash of the 5 bytes at <paramref name="p"/> (read as one 8-byte word, so p+8 must be inside the
    /// input): fewer collisions than a 4-byte hash where 4-byte prefixes repeat, as in shuffled floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash5(byte* p) => (uint)(((Read64(p) << 24) * 889523592379UL) >> (64 - HashBits));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Read32(byte* p) => Unsafe.ReadUnaligned<uint>(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Read64(byte* p) => Unsafe.ReadUnaligned<ulong>(p);

    /// <summary>Bytes of a length field beyond the token nibble, for a value that did not fit in it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ExtraLengthBytes(int value) => value >= 15 ? ((value - 15) / 255) + 1 : 0;

    /// <summary>Number of equal bytes at <paramref name="p"/> and <paramref name="m"/>, scanning no further than <paramref name="limit"/> on the p side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CommonLength(byte* p, byte* m, byte* limit)
    {
        byte* start = p;
        if (Vector512.IsHardwareAccelerated)
        {
            while (p + 64 <= limit)
            {
                ulong same = Vector512.Equals(Vector512.Load(p), Vector512.Load(m)).ExtractMostSignificantBits();
                if (same != ulong.MaxValue)
                {
                    return (int)(p - start) + BitOperations.TrailingZeroCount(~same);
                }

                p += 64;
                m += 64;
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            // long repeats (runs in the constant planes of shuffled data): 32 bytes per step
            while (p + 32 <= limit)
            {
                uint same = Vector256.Equals(Vector256.Load(p), Vector256.Load(m)).ExtractMostSignificantBits();
                if (same != uint.MaxValue)
                {
                    return (int)(p - start) + BitOperations.TrailingZeroCount(~same);
                }

                p += 32;
                m += 32;
            }
        }

        while (p + 8 <= limit)
        {
            ulong diff = Read64(p) ^ Read64(m);
            if (diff != 0)
            {
                int same = BitConverter.IsLittleEndian
                    ? BitOperations.TrailingZeroCount(diff) >> 3
                    : BitOperations.LeadingZeroCount(diff) >> 3;
                return (int)(p - start) + same;
            }

            p += 8;
            m += 8;
        }

        while (p < limit && *p == *m)
        {
            p++;
            m++;
        }

        return (int)(p - start);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* WriteLengthTail(byte* op, int rest)
    {
        // rest = value - 15; written as 255, 255, ..., remainder.
        while (rest >= 255)
        {
            *op++ = 255;
            rest -= 255;
        }

        *op++ = (byte)rest;
        return op;
    }

    private static CodecException Corrupt(string what) =>
        new("lz4", "CorruptLz4Block", ErrorKind.InvalidData, $"corrupt LZ4 block: {what}.");

    /// <summary>Reads the bytes that extend a length nibble of 15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint ReadLengthTail(ref byte* ip, byte* iend)
    {
        nuint total = 0;
        uint b;
        do
        {
            if (ip >= iend)
            {
                throw Corrupt("input ends inside a length field");
            }

            b = *ip++;
            total += b;
            if (total > int.MaxValue)
            {
                throw Corrupt("a length field exceeds 2 GiB");
            }
        }
        while (b == 255);

        return total;
    }

    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int DecompressCore(byte* src, int srcLength, byte* dst, int dstLength)
    {
        if (srcLength == 0)
        {
            throw Corrupt("the block is empty (even an empty input encodes as one byte)");
        }

        byte* ip = src;
        byte* iend = src + srcLength;
        byte* op = dst;
        byte* oend = dst + dstLength;

        while (true)
        {
            if (ip >= iend)
            {
                throw Corrupt("the block ends after a match instead of after literals");
            }

            uint token = *ip++;
            nuint literals = token >> 4;
            if (literals == 15)
            {
                literals += ReadLengthTail(ref ip, iend);
            }

            if (literals > (nuint)(iend - ip))
            {
                throw Corrupt($"{literals} literals announced but only {iend - ip} input bytes remain");
            }

            if (literals > (nuint)(oend - op))
            {
                throw Corrupt($"the decoded data exceeds the expected {dstLength} bytes");
            }

            if (literals <= 16 && iend - ip >= 16 && oend - op >= 16)
            {
                Unsafe.WriteUnaligned(op, Unsafe.ReadUnaligned<Vector128<byte>>(ip));
            }
            else
            {
                Unsafe.CopyBlockUnaligned(op, ip, (uint)literals);
            }

            ip += literals;
            op += literals;
            if (ip == iend)
            {
                break;
            }

            if (iend - ip < 2)
            {
                throw Corrupt("input ends inside a match distance");
            }

            nuint distance = Unsafe.ReadUnaligned<ushort>(ip);
            if (!BitConverter.IsLittleEndian)
            {
                distance = (nuint)(ip[0] | (ip[1] << 8));
            }

            ip += 2;
            if (distance == 0 || distance > (nuint)(op - dst))
            {
                throw Corrupt($"match distance {distance} points before the start of the output");
            }

            nuint length = token & 15;
            if (length == 15)
            {
                length += ReadLengthTail(ref ip, iend);
            }

            length += MinMatch;
            nuint room = (nuint)(oend - op);
            if (length > room)
            {
                throw Corrupt($"the decoded data exceeds the expected {dstLength} bytes");
            }

            CopyMatch(op, distance, length, room);
            op += length;
        }

        return (int)(op - dst);
    }

    /// <summary>Copies an LZ77 match (source may overlap the destination); writes stay below op + room.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyMatch(byte* op, nuint distance, nuint length, nuint room)
    {
        byte* from = op - distance;
        if (distance >= 16 && room >= length + 16)
        {
            byte* end = op + length;
            do
            {
                Unsafe.WriteUnaligned(op, Unsafe.ReadUnaligned<Vector128<byte>>(from));
                op += 16;
                from += 16;
            }
            while (op < end);
        }
        else if (distance >= 8 && room >= length + 8)
        {
            byte* end = op + length;
            do
            {
                Unsafe.WriteUnaligned(op, Read64(from));
                op += 8;
                from += 8;
            }
            while (op < end);
        }
        else if (distance == 1)
        {
            Unsafe.InitBlockUnaligned(op, *from, (uint)length);
        }
        else if (room >= length + 8 && length >= 8)
        {
            // Short period: lay down the first 8 bytes one at a time, then copy 8 bytes at a time
            // from a whole number of periods back (at least 8 bytes behind, so never overlapping).
            for (int i = 0; i < 8; i++)
            {
                op[i] = from[i];
            }

            nuint period = (8 + distance - 1) / distance * distance;
            byte* end = op + length;
            op += 8;
            from = op - period;
            while (op < end)
            {
                Unsafe.WriteUnaligned(op, Read64(from));
                op += 8;
                from += 8;
            }
        }
        else
        {
            for (nuint i = 0; i < length; i++)
            {
                op[i] = from[i];
            }
        }
    }
}
