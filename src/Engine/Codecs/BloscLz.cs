using System.Runtime.CompilerServices;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// Decoder for BloscLZ, the FastLZ-derived codec c-blosc 1.x uses by default (compressor code 0
/// in a Blosc1 frame). Decoding only; the engine writes Blosc frames with other inner codecs.
/// </summary>
/// <remarks>
/// Stream layout, as c-blosc 1.x reads it:
/// <list type="bullet">
/// <item>The first byte is always a literal run; its top three bits are ignored.</item>
/// <item>A control byte below 32 is a literal run of <c>ctrl + 1</c> bytes that follow it.</item>
/// <item>Otherwise it starts a match. <c>ctrl &gt;&gt; 5</c> is the length code: 1..6 mean lengths
/// 3..8; 7 means 9 plus the following bytes, added up until one is not 255. The low five bits are
/// the high part of the distance, the next byte its low part; the copy starts that many bytes plus
/// one behind the output position. A high part of 31 with a low byte of 255 introduces a far
/// match: two more bytes (big-endian) give a distance of that value plus 8192.</item>
/// <item>A match must be followed by at least one more byte (c-blosc's decoder stops, without
/// copying, when a match is the last token); the stream may end after a literal run.</item>
/// </list>
/// </remarks>
public static unsafe class BloscLz
{
    private const int NearLimit = 8191;

    /// <summary>
    /// Decompresses one BloscLZ stream into <paramref name="dst"/>; returns the number of bytes
    /// written. Throws <see cref="CodecException"/> (codec "blosclz") on malformed input; never reads
    /// or writes outside the spans.
    /// </summary>
    public static int Decompress(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        if (src.IsEmpty)
        {
            return 0;
        }

        fixed (byte* s = src)
        fixed (byte* d = dst)
        {
            return DecompressCore(s, src.Length, d, dst.Length);
        }
    }

    private static CodecException Corrupt(string what) =>
        new("blosclz", "CorruptBloscLzStream", ErrorKind.InvalidData, $"corrupt BloscLZ stream: {what}.");

    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int DecompressCore(byte* src, int srcLength, byte* dst, int dstLength)
    {
        byte* ip = src;
        byte* iend = src + srcLength;
        byte* op = dst;
        byte* oend = dst + dstLength;
        uint ctrl = *ip++ & 31u;

        while (true)
        {
            if (ctrl < 32)
            {
                int run = (int)ctrl + 1;
                if (run > oend - op)
                {
                    throw Corrupt($"the decoded data exceeds the expected {dstLength} bytes");
                }

                if (run > iend - ip)
                {
                    throw Corrupt($"a literal run of {run} bytes is cut short by the end of the input");
                }

                Unsafe.CopyBlockUnaligned(op, ip, (uint)run);
                op += run;
                ip += run;
                if (ip >= iend)
                {
                    break;
                }

                ctrl = *ip++;
                continue;
            }

            long length = (ctrl >> 5) - 1;
            long distance = (ctrl & 31) << 8;
            if (length == 6)
            {
                uint extra;
                do
                {
                    if (iend - ip < 2)
                    {
                        throw Corrupt("input ends inside a match length");
                    }

                    extra = *ip++;
                    length += extra;
                }
                while (extra == 255);
            }
            else if (iend - ip < 2)
            {
                throw Corrupt("input ends inside a match");
            }

            uint low = *ip++;
            length += 3;
            if (low == 255 && distance == (31 << 8))
            {
                if (iend - ip < 2)
                {
                    throw Corrupt("input ends inside a far match distance");
                }

                distance = ((long)ip[0] << 8) + ip[1] + NearLimit;
                ip += 2;
            }
            else
            {
                distance += low;
            }

            // The copy starts distance + 1 bytes back.
            distance += 1;
            if (length > oend - op)
            {
                throw Corrupt($"the decoded data exceeds the expected {dstLength} bytes");
            }

            if (distance > op - dst)
            {
                throw Corrupt($"match distance {distance} points before the start of the output");
            }

            if (ip >= iend)
            {
                throw Corrupt("the stream ends with a match");
            }

            ctrl = *ip++;
            CopyMatch(op, (nuint)distance, (nuint)length);
            op += length;
        }

        return (int)(op - dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyMatch(byte* op, nuint distance, nuint length)
    {
        byte* from = op - distance;
        if (distance == 1)
        {
            Unsafe.InitBlockUnaligned(op, *from, (uint)length);
        }
        else if (distance >= length)
        {
            Unsafe.CopyBlockUnaligned(op, from, (uint)length);
        }
        else if (distance >= 8)
        {
            nuint i = 0;
            for (; i + 8 <= length; i += 8)
            {
                Unsafe.WriteUnaligned(op + i, Unsafe.ReadUnaligned<ulong>(from + i));
            }

            for (; i < length; i++)
            {
                op[i] = from[i];
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
