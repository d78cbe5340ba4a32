using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The byte shuffle for 2-, 4- and 8-byte elements on processors with AVX-512 VBMI: one byte
/// permute sorts a 64-byte load by byte index (plane), then 128-bit lane shuffles (and, for 8 bytes,
/// an 8x8 transpose of 64-bit words) bring each plane's pieces together. The unshuffles run the
/// same exchange backwards. Each kernel returns the leading elements it handled; the 16-byte
/// kernels and the scalar loop finish the rest.
/// </summary>
public static unsafe partial class Shuffle
{
    /// <summary>
    /// How far ahead of the shuffle's reads the source is prefetched. The source of an encode is
    /// usually the caller's array, not in cache; without the hint the transpose reads it at about
    /// a third of the speed the memory delivers to a plain copy. A prefetch past the end of the
    /// source is harmless: the hint never faults.
    /// </summary>
    private const int PrefetchDistance = 8192;

    private static readonly Vector512<byte> Planes2 = Gather(2, toPlanes: true);
    private static readonly Vector512<byte> Planes4 = Gather(4, toPlanes: true);
    private static readonly Vector512<byte> Planes8 = Gather(8, toPlanes: true);
    private static readonly Vector512<byte> Elements2 = Gather(2, toPlanes: false);
    private static readonly Vector512<byte> Elements4 = Gather(4, toPlanes: false);
    private static readonly Vector512<byte> Elements8 = Gather(8, toPlanes: false);

    /// <summary>
    /// The byte permute for one 64-byte vector of <c>64 / typesize</c> elements: to planes, byte
    /// <c>j</c> of element <c>e</c> moves to <c>j * (64 / typesize) + e</c>; back, the reverse.
    /// </summary>
    private static Vector512<byte> Gather(int typesize, bool toPlanes)
    {
        int perVector = 64 / typesize;
        Span<byte> control = stackalloc byte[64];
        for (int e = 0; e < perVector; e++)
        {
            for (int j = 0; j < typesize; j++)
            {
                int interleaved = (e * typesize) + j;
                int planar = (j * perVector) + e;
                if (toPlanes)
                {
                    control[planar] = (byte)interleaved;
                }
                else
                {
                    control[interleaved] = (byte)planar;
                }
            }
        }

        return Vector512.Create((ReadOnlySpan<byte>)control);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchAhead(byte* from, int bytes)
    {
        for (int line = 0; line < bytes; line += 64)
        {
            Sse.Prefetch0(from + PrefetchDistance + line);
        }
    }

    /// <summary>64 two-byte elements: two loads sorted into 32-byte halves, then the halves exchanged.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ShuffleWide2(byte* s, byte* d, int elements)
    {
        Vector512<byte> planes = Planes2;
        byte* p1 = d + elements;
        int i = 0;
        for (; i + 64 <= elements; i += 64)
        {
            byte* from = s + (2 * i);
            PrefetchAhead(from, 128);
            Vector512<ulong> a = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from), planes).AsUInt64();
            Vector512<ulong> b = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 64), planes).AsUInt64();
            Avx512F.Shuffle4x128(a, b, 0x44).AsByte().Store(d + i);
            Avx512F.Shuffle4x128(a, b, 0xEE).AsByte().Store(p1 + i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int UnshuffleWide2(byte* s, byte* d, int elements)
    {
        Vector512<byte> spread = Elements2;
        byte* p1 = s + elements;
        int i = 0;
        for (; i + 64 <= elements; i += 64)
        {
            Vector512<ulong> q0 = Vector512.Load(s + i).AsUInt64();
            Vector512<ulong> q1 = Vector512.Load(p1 + i).AsUInt64();
            byte* to = d + (2 * i);
            Avx512Vbmi.PermuteVar64x8(Avx512F.Shuffle4x128(q0, q1, 0x44).AsByte(), spread).Store(to);
            Avx512Vbmi.PermuteVar64x8(Avx512F.Shuffle4x128(q0, q1, 0xEE).AsByte(), spread).Store(to + 64);
        }

        return i;
    }

    /// <summary>64 four-byte elements: four loads sorted into 16-byte planes, then a 4x4 transpose of 128-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ShuffleWide4(byte* s, byte* d, int elements)
    {
        Vector512<byte> planes = Planes4;
        byte* p1 = d + elements;
        byte* p2 = p1 + elements;
        byte* p3 = p2 + elements;
        int i = 0;
        for (; i + 64 <= elements; i += 64)
        {
            byte* from = s + (4 * i);
            PrefetchAhead(from, 256);
            Vector512<ulong> r0 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from), planes).AsUInt64();
            Vector512<ulong> r1 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 64), planes).AsUInt64();
            Vector512<ulong> r2 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 128), planes).AsUInt64();
            Vector512<ulong> r3 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 192), planes).AsUInt64();
            TransposeLanes(ref r0, ref r1, ref r2, ref r3);
            r0.AsByte().Store(d + i);
            r1.AsByte().Store(p1 + i);
            r2.AsByte().Store(p2 + i);
            r3.AsByte().Store(p3 + i);
        }

        return i;
    }

    /// <summary>Reverses <see cref="ShuffleWide4"/>: the lane transpose (its own inverse), then the inverse permute.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int UnshuffleWide4(byte* s, byte* d, int elements)
    {
        Vector512<byte> spread = Elements4;
        byte* p1 = s + elements;
        byte* p2 = p1 + elements;
        byte* p3 = p2 + elements;
        int i = 0;
        for (; i + 64 <= elements; i += 64)
        {
            Vector512<ulong> r0 = Vector512.Load(s + i).AsUInt64();
            Vector512<ulong> r1 = Vector512.Load(p1 + i).AsUInt64();
            Vector512<ulong> r2 = Vector512.Load(p2 + i).AsUInt64();
            Vector512<ulong> r3 = Vector512.Load(p3 + i).AsUInt64();
            TransposeLanes(ref r0, ref r1, ref r2, ref r3);
            byte* to = d + (4 * i);
            Avx512Vbmi.PermuteVar64x8(r0.AsByte(), spread).Store(to);
            Avx512Vbmi.PermuteVar64x8(r1.AsByte(), spread).Store(to + 64);
            Avx512Vbmi.PermuteVar64x8(r2.AsByte(), spread).Store(to + 128);
            Avx512Vbmi.PermuteVar64x8(r3.AsByte(), spread).Store(to + 192);
        }

        return i;
    }

    /// <summary>64 eight-byte elements: eight loads sorted into 8-byte planes, then an 8x8 transpose of 64-bit words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int ShuffleWide8(byte* s, byte* d, int elements)
    {
        Vector512<byte> planes = Planes8;
        int i = 0;
        for (; i + 64 <= elements; i += 64)
        {
            byte* from = s + (8 * i);
            PrefetchAhead(from, 512);
            Vector512<ulong> r0 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from), planes).AsUInt64();
            Vector512<ulong> r1 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 64), planes).AsUInt64();
            Vector512<ulong> r2 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 128), planes).AsUInt64();
            Vector512<ulong> r3 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 192), planes).AsUInt64();
            Vector512<ulong> r4 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 256), planes).AsUInt64();
            Vector512<ulong> r5 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 320), planes).AsUInt64();
            Vector512<ulong> r6 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 384), planes).AsUInt64();
            Vector512<ulong> r7 = Avx512Vbmi.PermuteVar64x8(Vector512.Load(from + 448), planes).AsUInt64();
            TransposeQwords(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            r0.AsByte().Store(d + i);
            r1.AsByte().Store(d + (long)elements + i);
            r2.AsByte().Store(d + (2L * elements) + i);
            r3.AsByte().Store(d + (3L * elements) + i);
            r4.AsByte().Store(d + (4L * elements) + i);
            r5.AsByte().Store(d + (5L * elements) + i);
            r6.AsByte().Store(d + (6L * elements) + i);
            r7.AsByte().Store(d + (7L * elements) + i);
        }

        return i;
    }

    /// <summary>Reverses <see cref="ShuffleWide8"/>: the transpose (its own inverse), then the inverse permute.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int UnshuffleWide8(byte* s, byte* d, int elements)
    {
        Vector512<byte> spread = Elements8;
        int i = 0;
        for (; i + 64 <= elements; i += 64)
        {
            Vector512<ulong> r0 = Vector512.Load(s + i).AsUInt64();
            Vector512<ulong> r1 = Vector512.Load(s + (long)elements + i).AsUInt64();
            Vector512<ulong> r2 = Vector512.Load(s + (2L * elements) + i).AsUInt64();
            Vector512<ulong> r3 = Vector512.Load(s + (3L * elements) + i).AsUInt64();
            Vector512<ulong> r4 = Vector512.Load(s + (4L * elements) + i).AsUInt64();
            Vector512<ulong> r5 = Vector512.Load(s + (5L * elements) + i).AsUInt64();
            Vector512<ulong> r6 = Vector512.Load(s + (6L * elements) + i).AsUInt64();
            Vector512<ulong> r7 = Vector512.Load(s + (7L * elements) + i).AsUInt64();
            TransposeQwords(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            byte* to = d + (8 * i);
            Avx512Vbmi.PermuteVar64x8(r0.AsByte(), spread).Store(to);
            Avx512Vbmi.PermuteVar64x8(r1.AsByte(), spread).Store(to + 64);
            Avx512Vbmi.PermuteVar64x8(r2.AsByte(), spread).Store(to + 128);
            Avx512Vbmi.PermuteVar64x8(r3.AsByte(), spread).Store(to + 192);
            Avx512Vbmi.PermuteVar64x8(r4.AsByte(), spread).Store(to + 256);
            Avx512Vbmi.PermuteVar64x8(r5.AsByte(), spread).Store(to + 320);
            Avx512Vbmi.PermuteVar64x8(r6.AsByte(), spread).Store(to + 384);
            Avx512Vbmi.PermuteVar64x8(r7.AsByte(), spread).Store(to + 448);
        }

        return i;
    }

    /// <summary>Transposes a 4x4 matrix of 128-bit lanes held as four rows: row k ends up holding column k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeLanes(ref Vector512<ulong> r0, ref Vector512<ulong> r1, ref Vector512<ulong> r2, ref Vector512<ulong> r3)
    {
        // Columns 0-1 of rows (0, 1) and of rows (2, 3), then columns 2-3; each then split by column.
        Vector512<ulong> low01 = Avx512F.Shuffle4x128(r0, r1, 0x44);
        Vector512<ulong> low23 = Avx512F.Shuffle4x128(r2, r3, 0x44);
        Vector512<ulong> high01 = Avx512F.Shuffle4x128(r0, r1, 0xEE);
        Vector512<ulong> high23 = Avx512F.Shuffle4x128(r2, r3, 0xEE);
        r0 = Avx512F.Shuffle4x128(low01, low23, 0x88);
        r1 = Avx512F.Shuffle4x128(low01, low23, 0xDD);
        r2 = Avx512F.Shuffle4x128(high01, high23, 0x88);
        r3 = Avx512F.Shuffle4x128(high01, high23, 0xDD);
    }

    /// <summary>Transposes an 8x8 matrix of 64-bit words held as eight rows: row k ends up holding column k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeQwords(
        ref Vector512<ulong> r0, ref Vector512<ulong> r1, ref Vector512<ulong> r2, ref Vector512<ulong> r3,
        ref Vector512<ulong> r4, ref Vector512<ulong> r5, ref Vector512<ulong> r6, ref Vector512<ulong> r7)
    {
        // Pairs of rows interleaved within 128-bit lanes: lane k of t0 holds (r0, r1) at column 2k, of t1 at column 2k + 1.
        Vector512<ulong> t0 = Avx512F.UnpackLow(r0, r1);
        Vector512<ulong> t1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<ulong> t2 = Avx512F.UnpackLow(r2, r3);
        Vector512<ulong> t3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<ulong> t4 = Avx512F.UnpackLow(r4, r5);
        Vector512<ulong> t5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<ulong> t6 = Avx512F.UnpackLow(r6, r7);
        Vector512<ulong> t7 = Avx512F.UnpackHigh(r6, r7);

        // Rows 0-3 of columns (0, 4), (2, 6), (1, 5), (3, 7); the same for rows 4-7.
        Vector512<ulong> u0 = Avx512F.Shuffle4x128(t0, t2, 0x88);
        Vector512<ulong> u1 = Avx512F.Shuffle4x128(t0, t2, 0xDD);
        Vector512<ulong> u2 = Avx512F.Shuffle4x128(t1, t3, 0x88);
        Vector512<ulong> u3 = Avx512F.Shuffle4x128(t1, t3, 0xDD);
        Vector512<ulong> u4 = Avx512F.Shuffle4x128(t4, t6, 0x88);
        Vector512<ulong> u5 = Avx512F.Shuffle4x128(t4, t6, 0xDD);
        Vector512<ulong> u6 = Avx512F.Shuffle4x128(t5, t7, 0x88);
        Vector512<ulong> u7 = Avx512F.Shuffle4x128(t5, t7, 0xDD);

        r0 = Avx512F.Shuffle4x128(u0, u4, 0x88);
        r4 = Avx512F.Shuffle4x128(u0, u4, 0xDD);
        r2 = Avx512F.Shuffle4x128(u1, u5, 0x88);
        r6 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
        r1 = Avx512F.Shuffle4x128(u2, u6, 0x88);
        r5 = Avx512F.Shuffle4x128(u2, u6, 0xDD);
        r3 = Avx512F.Shuffle4x128(u3, u7, 0x88);
        r7 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
    }
}
