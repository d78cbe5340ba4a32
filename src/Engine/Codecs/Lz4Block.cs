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
    /// Compresses <paramref name="src"/> into <paramref name="dst"/> and returns the number of bytes
    /// written, or 0 when the block does not fit in <paramref name="dst"/> (which cannot happen when
    /// <c>dst.Length &gt;= MaxCompressedLength(src.Length)</c>; an empty input still writes one byte).
    /// Higher <paramref name="acceleration"/> trades ratio for speed, like LZ4_compress_fast.
    /// </summary>
    [SkipLocalsInit]
    public static int Compress(ReadOnlySpan<byte> src, Span<byte> dst, int acceleration = 1)
    {
        if (src.Length > MaxInputSize)
        {
            throw new ArgumentOutOfRangeException(nameof(src), src.Length, $"LZ4 blocks hold at most {MaxInputSize} bytes.");
        }

        acceleration = Math.Clamp(acceleration, 1, 65537);
        // Every slot must hold a valid position (0) before the first lookup.
        int* table = stackalloc int[1 << HashBits];
        new Span<int>(table, 1 << HashBits).Clear();
        fixed (byte* s = src)
        fixed (byte* d = dst)
        {
            return CompressCore(s, src.Length, d, dst.Length, table, acceleration);
        }
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(uint sequence) => (sequence * 2654435761u) >> (32 - HashBits);

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

    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int CompressCore(byte* src, int n, byte* dst, int capacity, int* table, int acceleration)
    {
        byte* anchor = src;
        byte* op = dst;
        byte* oend = dst + capacity;
        byte* iend = src + n;

        if (n >= MatchStartMargin + 1)
        {
            byte* lastMatchStart = iend - MatchStartMargin;
            byte* matchLimit = iend - LastLiterals;
            table[Hash5(src)] = 0;
            byte* ip = src + 1;

            while (true)
            {
                // Look for a 4-byte match, taking longer strides the longer nothing is found. The next
                // position's hash is computed before the current candidate is compared, so the two
                // memory loads overlap.
                byte* match;
                int attempts = acceleration << SkipShift;
                int step = 1;
                byte* forward = ip;
                if (forward > lastMatchStart)
                {
                    goto LastRun;
                }

                uint forwardHash = Hash5(forward);
                while (true)
                {
                    uint h = forwardHash;
                    ip = forward;
                    forward += step;
                    step = attempts++ >> SkipShift;
                    match = src + table[h];
                    table[h] = (int)(ip - src);
                    if (ip - match <= MaxDistance && Read32(match) == Read32(ip))
                    {
                        break;
                    }

                    if (forward > lastMatchStart)
                    {
                        goto LastRun;
                    }

                    forwardHash = Hash5(forward);
                }

                // Grow the match backwards over literals that also agree.
                while (ip > anchor && match > src && ip[-1] == match[-1])
                {
                    ip--;
                    match--;
                }

                while (true)
                {
                    // Most matches end within their first 8 bytes past the minimum: one compare.
                    int length;
                    ulong diff = Read64(ip + MinMatch) ^ Read64(match + MinMatch);
                    if (diff != 0 && ip + MinMatch + 8 <= matchLimit)
                    {
                        length = MinMatch + (BitOperations.TrailingZeroCount(diff) >> 3);
                    }
                    else
                    {
                        length = MinMatch + CommonLength(ip + MinMatch, match + MinMatch, matchLimit);
                    }

                    int literals = (int)(ip - anchor);
                    int matchCode = length - MinMatch;
                    if (literals < 15 && matchCode < 15 && oend - op >= 1 + 16 + 2 && iend - anchor >= 16)
                    {
                        // The usual sequence: lengths fit the token, the literals move as one 16-byte
                        // block (the excess is overwritten by the offset or the next sequence).
                        *op = (byte)((literals << 4) | matchCode);
                        Unsafe.WriteUnaligned(op + 1, Unsafe.ReadUnaligned<Vector128<byte>>(anchor));
                        op += 1 + literals;
                        Unsafe.WriteUnaligned(op, (ushort)(ip - match));
                        op += 2;
                        ip += length;
                        anchor = ip;
                        goto Next;
                    }

                    long needed = 1L + ExtraLengthBytes(literals) + literals + 2 + ExtraLengthBytes(matchCode);
                    if (needed > oend - op)
                    {
                        return 0;
                    }

                    byte* token = op++;
                    int tokenValue;
                    if (literals >= 15)
                    {
                        tokenValue = 15 << 4;
                        op = WriteLengthTail(op, literals - 15);
                    }
                    else
                    {
                        tokenValue = literals << 4;
                    }

                    if (literals <= 16 && oend - op >= 16 + 2 && iend - anchor >= 16)
                    {
                        // Short run: one 16-byte move, the excess is overwritten below.
                        Unsafe.WriteUnaligned(op, Unsafe.ReadUnaligned<Vector128<byte>>(anchor));
                    }
                    else
                    {
                        Unsafe.CopyBlockUnaligned(op, anchor, (uint)literals);
                    }

                    op += literals;
                    Unsafe.WriteUnaligned(op, (ushort)(ip - match));
                    op += 2;
                    if (matchCode >= 15)
                    {
                        tokenValue |= 15;
                        op = WriteLengthTail(op, matchCode - 15);
                    }
                    else
                    {
                        tokenValue |= matchCode;
                    }

                    *token = (byte)tokenValue;
                    ip += length;
                    anchor = ip;
                Next:
                    if (ip > lastMatchStart)
                    {
                        goto LastRun;
                    }

                    // Remember a position inside the match, then try for a match right here.
                    table[Hash5(ip - 2)] = (int)(ip - 2 - src);
                    uint sequence = Read32(ip);
                    uint h = Hash5(ip);
                    match = src + table[h];
                    table[h] = (int)(ip - src);
                    if (ip - match <= MaxDistance && Read32(match) == sequence)
                    {
                        continue;
                    }

                    ip++;
                    break;
                }
            }
        }

    LastRun:
        {
            int literals = (int)(iend - anchor);
            long needed = 1L + ExtraLengthBytes(literals) + literals;
            if (needed > oend - op)
            {
                return 0;
            }

            if (literals >= 15)
            {
                *op++ = 15 << 4;
                op = WriteLengthTail(op, literals - 15);
            }
            else
            {
                *op++ = (byte)(literals << 4);
            }

            Unsafe.CopyBlockUnaligned(op, anchor, (uint)literals);
            op += literals;
            return (int)(op - dst);
        }
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
