using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The byte and bit transposes Blosc1 applies to one block before compressing it, with the same
/// treatment of partial data that c-blosc 1.x uses, so that a block shuffled here unshuffles
/// correctly in c-blosc and vice versa:
/// <list type="bullet">
/// <item>Byte shuffle of an <c>n</c>-byte block with element size <c>t</c>: the <c>n / t</c> whole
/// elements are transposed (byte <c>j</c> of element <c>i</c> goes to <c>j * (n / t) + i</c>) and the
/// trailing <c>n % t</c> bytes are copied unchanged.</item>
/// <item>Bit shuffle: when the number of whole elements is a multiple of 8, the elements are
/// transposed bit-wise (row <c>8 * j + k</c> holds bit <c>k</c> of byte <c>j</c> of every element,
/// one bit per element, least significant bit first) and the trailing <c>n % t</c> bytes are
/// copied; otherwise the whole block is copied unchanged.</item>
/// </list>
/// Source and destination must not overlap. All methods are thread-safe.
/// </summary>
public static unsafe partial class Shuffle
{
    // Byte positions that gather the bytes of the elements in one 16-byte vector by byte index.
    private static ReadOnlySpan<byte> GroupBytesOf2 => [0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15];

    private static ReadOnlySpan<byte> GroupBytesOf4 => [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15];

    private static ReadOnlySpan<byte> GroupBytesOf8 => [0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15];

    // Inverse of GroupBytesOf8 (for 4 bytes, the 4x4 transpose is its own inverse).
    private static ReadOnlySpan<byte> SpreadBytesOf8 => [0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15];

    private enum Transform
    {
        ByteShuffle,
        ByteUnshuffle,
        BitShuffle,
        BitUnshuffle,
    }

    /// <summary>Byte-shuffles <paramref name="src"/> into the first <c>src.Length</c> bytes of <paramref name="dst"/>.</summary>
    public static void ByteShuffle(int typesize, ReadOnlySpan<byte> src, Span<byte> dst) => Apply(Transform.ByteShuffle, typesize, src, dst);

    /// <summary>Reverses <see cref="ByteShuffle"/>.</summary>
    public static void ByteUnshuffle(int typesize, ReadOnlySpan<byte> src, Span<byte> dst) => Apply(Transform.ByteUnshuffle, typesize, src, dst);

    /// <summary>Bit-shuffles <paramref name="src"/> into the first <c>src.Length</c> bytes of <paramref name="dst"/>.</summary>
    public static void BitShuffle(int typesize, ReadOnlySpan<byte> src, Span<byte> dst) => Apply(Transform.BitShuffle, typesize, src, dst);

    /// <summary>Reverses <see cref="BitShuffle"/>.</summary>
    public static void BitUnshuffle(int typesize, ReadOnlySpan<byte> src, Span<byte> dst) => Apply(Transform.BitUnshuffle, typesize, src, dst);

    /// <summary>
    /// The one dispatch behind the four transforms: transposes the leading whole elements the
    /// transform covers (see the class summary) and copies the remaining bytes unchanged.
    /// </summary>
    private static void Apply(Transform transform, int typesize, ReadOnlySpan<byte> src, Span<byte> dst)
    {
        Check(typesize, src, dst);
        int n = src.Length;
        int elements = n / typesize;

        // A byte transpose of 1-byte elements is a copy; a bit transpose needs whole groups of 8 elements.
        int transposed = transform is Transform.ByteShuffle or Transform.ByteUnshuffle
            ? (typesize == 1 ? 0 : elements)
            : (elements % 8 == 0 ? elements : 0);
        fixed (byte* s = src)
        fixed (byte* d = dst)
        {
            if (transposed > 0)
            {
                switch (transform)
                {
                    case Transform.ByteShuffle or Transform.ByteUnshuffle:
                        TransposeBytes(s, d, typesize, transposed, transform == Transform.ByteUnshuffle);
                        break;
                    case Transform.BitShuffle:
                        ShuffleBits(s, d, typesize, transposed / 8);
                        break;
                    default:
                        UnshuffleBits(s, d, typesize, transposed / 8);
                        break;
                }
            }

            int copied = transposed * typesize;
            if (n > copied)
            {
                Buffer.MemoryCopy(s + copied, d + copied, n - copied, n - copied);
            }
        }
    }

    /// <summary>Byte-transposes whole elements: the vector kernels where they exist, then byte by byte.</summary>
    private static void TransposeBytes(byte* s, byte* d, int typesize, int elements, bool unshuffle)
    {
        int done = (typesize, unshuffle) switch
        {
            (2, false) => ShuffleVector2(s, d, elements),
            (4, false) => ShuffleVector4(s, d, elements),
            (8, false) => ShuffleVector8(s, d, elements),
            (2, true) => UnshuffleVector2(s, d, elements),
            (4, true) => UnshuffleVector4(s, d, elements),
            (8, true) => UnshuffleVector8(s, d, elements),
            _ => 0,
        };
        if (done == elements)
        {
            return;
        }

        // Byte j of element i: offset i * typesize + j interleaved, j * elements + i in the planes.
        long skipped = (long)done * typesize;
        if (unshuffle)
        {
            StridedCopy(s + done, elements, 1, d + skipped, 1, typesize, typesize, elements - done);
        }
        else
        {
            StridedCopy(s + skipped, 1, typesize, d + done, elements, 1, typesize, elements - done);
        }
    }

    /// <summary>Bit-transposes <c>8 * rowBytes</c> whole elements.</summary>
    private static void ShuffleBits(byte* s, byte* d, int typesize, int rowBytes)
    {
        for (int j = 0; j < typesize; j++)
        {
            byte* rows = d + (long)j * 8 * rowBytes;
            byte* column = s + j;
            int g = 0;

            // Eight groups at a time: one 64-bit store per bit row.
            for (; g + 8 <= rowBytes; g += 8)
            {
                ulong r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0, r6 = 0, r7 = 0;
                for (int q = 0; q < 8; q++)
                {
                    ulong x = TransposeBits(GatherGroup(column + (long)(g + q) * 8 * typesize, typesize));
                    int shift = 8 * q;
                    r0 |= (x & 0xFF) << shift;
                    r1 |= ((x >> 8) & 0xFF) << shift;
                    r2 |= ((x >> 16) & 0xFF) << shift;
                    r3 |= ((x >> 24) & 0xFF) << shift;
                    r4 |= ((x >> 32) & 0xFF) << shift;
                    r5 |= ((x >> 40) & 0xFF) << shift;
                    r6 |= ((x >> 48) & 0xFF) << shift;
                    r7 |= (x >> 56) << shift;
                }

                StoreLittleEndian(rows + g, r0);
                StoreLittleEndian(rows + rowBytes + g, r1);
                StoreLittleEndian(rows + 2L * rowBytes + g, r2);
                StoreLittleEndian(rows + 3L * rowBytes + g, r3);
                StoreLittleEndian(rows + 4L * rowBytes + g, r4);
                StoreLittleEndian(rows + 5L * rowBytes + g, r5);
                StoreLittleEndian(rows + 6L * rowBytes + g, r6);
                StoreLittleEndian(rows + 7L * rowBytes + g, r7);
            }

            for (; g < rowBytes; g++)
            {
                ulong x = TransposeBits(GatherGroup(column + (long)g * 8 * typesize, typesize));
                for (int k = 0; k < 8; k++)
                {
                    rows[(long)k * rowBytes + g] = (byte)(x >> (8 * k));
                }
            }
        }
    }

    /// <summary>Reverses <see cref="ShuffleBits"/>.</summary>
    private static void UnshuffleBits(byte* s, byte* d, int typesize, int rowBytes)
    {
        for (int j = 0; j < typesize; j++)
        {
            byte* rows = s + (long)j * 8 * rowBytes;
            byte* column = d + j;
            int g = 0;

            // Eight groups at a time: one 64-bit load per bit row.
            for (; g + 8 <= rowBytes; g += 8)
            {
                ulong r0 = LoadLittleEndian(rows + g);
                ulong r1 = LoadLittleEndian(rows + rowBytes + g);
                ulong r2 = LoadLittleEndian(rows + 2L * rowBytes + g);
                ulong r3 = LoadLittleEndian(rows + 3L * rowBytes + g);
                ulong r4 = LoadLittleEndian(rows + 4L * rowBytes + g);
                ulong r5 = LoadLittleEndian(rows + 5L * rowBytes + g);
                ulong r6 = LoadLittleEndian(rows + 6L * rowBytes + g);
                ulong r7 = LoadLittleEndian(rows + 7L * rowBytes + g);
                for (int q = 0; q < 8; q++)
                {
                    int shift = 8 * q;
                    ulong x = ((r0 >> shift) & 0xFF)
                        | (((r1 >> shift) & 0xFF) << 8)
                        | (((r2 >> shift) & 0xFF) << 16)
                        | (((r3 >> shift) & 0xFF) << 24)
                        | (((r4 >> shift) & 0xFF) << 32)
                        | (((r5 >> shift) & 0xFF) << 40)
                        | (((r6 >> shift) & 0xFF) << 48)
                        | (((r7 >> shift) & 0xFF) << 56);
                    ScatterGroup(TransposeBits(x), column + (long)(g + q) * 8 * typesize, typesize);
                }
            }

            for (; g < rowBytes; g++)
            {
                ulong x = 0;
                for (int k = 0; k < 8; k++)
                {
                    x |= (ulong)rows[(long)k * rowBytes + g] << (8 * k);
                }

                ScatterGroup(TransposeBits(x), column + (long)g * 8 * typesize, typesize);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong LoadLittleEndian(byte* p)
    {
        ulong v = Unsafe.ReadUnaligned<ulong>(p);
        return BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreLittleEndian(byte* p, ulong v) =>
        Unsafe.WriteUnaligned(p, BitConverter.IsLittleEndian ? v : BinaryPrimitives.ReverseEndianness(v));

    /// <summary>The bytes at <paramref name="e"/> + <c>k * typesize</c> for k = 0..7 (the same byte of eight consecutive elements), byte k of the result.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong GatherGroup(byte* e, int typesize) =>
        e[0]
        | ((ulong)e[typesize] << 8)
        | ((ulong)e[2 * typesize] << 16)
        | ((ulong)e[3 * typesize] << 24)
        | ((ulong)e[4 * typesize] << 32)
        | ((ulong)e[5 * typesize] << 40)
        | ((ulong)e[6 * typesize] << 48)
        | ((ulong)e[7 * typesize] << 56);

    /// <summary>Reverses <see cref="GatherGroup"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScatterGroup(ulong x, byte* e, int typesize)
    {
        e[0] = (byte)x;
        e[typesize] = (byte)(x >> 8);
        e[2 * typesize] = (byte)(x >> 16);
        e[3 * typesize] = (byte)(x >> 24);
        e[4 * typesize] = (byte)(x >> 32);
        e[5 * typesize] = (byte)(x >> 40);
        e[6 * typesize] = (byte)(x >> 48);
        e[7 * typesize] = (byte)(x >> 56);
    }

    /// <summary>
    /// Transposes the 8x8 bit matrix held in <paramref name="x"/>, where bit <c>c</c> of byte <c>r</c>
    /// (bit index <c>8r + c</c>) is entry (r, c). Three delta swaps: 1x1, 2x2 then 4x4 sub-blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong TransposeBits(ulong x)
    {
        // Entries (r even, c odd) trade places with (r + 1, c - 1): index distance 7.
        ulong t = (x ^ (x >> 7)) & 0x00AA_00AA_00AA_00AAUL;
        x ^= t ^ (t << 7);

        // Entries (r mod 4 < 2, c mod 4 >= 2) trade places with (r + 2, c - 2): distance 14.
        t = (x ^ (x >> 14)) & 0x0000_CCCC_0000_CCCCUL;
        x ^= t ^ (t << 14);

        // Entries (r < 4, c >= 4) trade places with (r + 4, c - 4): distance 28.
        t = (x ^ (x >> 28)) & 0x0000_0000_F0F0_F0F0UL;
        x ^= t ^ (t << 28);
        return x;
    }

    private static void Check(int typesize, ReadOnlySpan<byte> src, Span<byte> dst)
    {
        if (typesize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(typesize), typesize, "typesize must be at least 1.");
        }

        if (dst.Length < src.Length)
        {
            throw new ArgumentException($"Destination holds {dst.Length} bytes; {src.Length} are needed.", nameof(dst));
        }
    }

    /// <summary>
    /// Copies <paramref name="rows"/> rows of <paramref name="count"/> bytes: byte i of row j goes from
    /// <c>from[j * fromRow + i * fromStep]</c> to <c>to[j * toRow + i * toStep]</c>.
    /// </summary>
    private static void StridedCopy(byte* from, long fromRow, int fromStep, byte* to, long toRow, int toStep, int rows, int count)
    {
        for (int j = 0; j < rows; j++)
        {
            byte* f = from + j * fromRow;
            byte* t = to + j * toRow;
            for (int i = 0; i < count; i++, f += fromStep, t += toStep)
            {
                *t = *f;
            }
        }
    }

    // The vector kernels return how many leading elements they handled; StridedCopy does the rest.
    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int ShuffleVector2(byte* s, byte* d, int elements)
    {
        if (!Ssse3.IsSupported)
        {
            return 0;
        }

        Vector128<byte> mask = Vector128.Create(GroupBytesOf2);
        byte* p1 = d + elements;
        int i = Avx512Vbmi.IsSupported ? ShuffleWide2(s, d, elements) : 0;
        for (; i + 16 <= elements; i += 16)
        {
            Vector128<ulong> a = Ssse3.Shuffle(Sse2.LoadVector128(s + 2 * i), mask).AsUInt64();
            Vector128<ulong> b = Ssse3.Shuffle(Sse2.LoadVector128(s + 2 * i + 16), mask).AsUInt64();
            Sse2.Store(d + i, Sse2.UnpackLow(a, b).AsByte());
            Sse2.Store(p1 + i, Sse2.UnpackHigh(a, b).AsByte());
        }

        return i;
    }

    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int UnshuffleVector2(byte* s, byte* d, int elements)
    {
        if (!Sse2.IsSupported)
        {
            return 0;
        }

        byte* p1 = s + elements;
        int i = Avx512Vbmi.IsSupported ? UnshuffleWide2(s, d, elements) : 0;
        for (; i + 16 <= elements; i += 16)
        {
            Vector128<byte> a = Sse2.LoadVector128(s + i);
            Vector128<byte> b = Sse2.LoadVector128(p1 + i);
            Sse2.Store(d + 2 * i, Sse2.UnpackLow(a, b));
            Sse2.Store(d + 2 * i + 16, Sse2.UnpackHigh(a, b));
        }

        return i;
    }

    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int ShuffleVector4(byte* s, byte* d, int elements)
    {
        if (!Ssse3.IsSupported)
        {
            return 0;
        }

        Vector128<byte> mask = Vector128.Create(GroupBytesOf4);
        byte* p1 = d + elements;
        byte* p2 = p1 + elements;
        byte* p3 = p2 + elements;
        int i = Avx512Vbmi.IsSupported ? ShuffleWide4(s, d, elements) : 0;
        for (; i + 16 <= elements; i += 16)
        {
            byte* from = s + 4 * i;
            Vector128<uint> a = Ssse3.Shuffle(Sse2.LoadVector128(from), mask).AsUInt32();
            Vector128<uint> b = Ssse3.Shuffle(Sse2.LoadVector128(from + 16), mask).AsUInt32();
            Vector128<uint> c = Ssse3.Shuffle(Sse2.LoadVector128(from + 32), mask).AsUInt32();
            Vector128<uint> e = Ssse3.Shuffle(Sse2.LoadVector128(from + 48), mask).AsUInt32();
            Vector128<ulong> ab01 = Sse2.UnpackLow(a, b).AsUInt64();
            Vector128<ulong> ce01 = Sse2.UnpackLow(c, e).AsUInt64();
            Vector128<ulong> ab23 = Sse2.UnpackHigh(a, b).AsUInt64();
            Vector128<ulong> ce23 = Sse2.UnpackHigh(c, e).AsUInt64();
            Sse2.Store(d + i, Sse2.UnpackLow(ab01, ce01).AsByte());
            Sse2.Store(p1 + i, Sse2.UnpackHigh(ab01, ce01).AsByte());
            Sse2.Store(p2 + i, Sse2.UnpackLow(ab23, ce23).AsByte());
            Sse2.Store(p3 + i, Sse2.UnpackHigh(ab23, ce23).AsByte());
        }

        return i;
    }

    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int UnshuffleVector4(byte* s, byte* d, int elements)
    {
        if (!Ssse3.IsSupported)
        {
            return 0;
        }

        Vector128<byte> mask = Vector128.Create(GroupBytesOf4);
        byte* p1 = s + elements;
        byte* p2 = p1 + elements;
        byte* p3 = p2 + elements;
        int i = Avx512Vbmi.IsSupported ? UnshuffleWide4(s, d, elements) : 0;
        for (; i + 16 <= elements; i += 16)
        {
            Vector128<uint> q0 = Sse2.LoadVector128(s + i).AsUInt32();
            Vector128<uint> q1 = Sse2.LoadVector128(p1 + i).AsUInt32();
            Vector128<uint> q2 = Sse2.LoadVector128(p2 + i).AsUInt32();
            Vector128<uint> q3 = Sse2.LoadVector128(p3 + i).AsUInt32();
            Vector128<ulong> lo01 = Sse2.UnpackLow(q0, q1).AsUInt64();
            Vector128<ulong> lo23 = Sse2.UnpackLow(q2, q3).AsUInt64();
            Vector128<ulong> hi01 = Sse2.UnpackHigh(q0, q1).AsUInt64();
            Vector128<ulong> hi23 = Sse2.UnpackHigh(q2, q3).AsUInt64();
            byte* to = d + 4 * i;
            Sse2.Store(to, Ssse3.Shuffle(Sse2.UnpackLow(lo01, lo23).AsByte(), mask));
            Sse2.Store(to + 16, Ssse3.Shuffle(Sse2.UnpackHigh(lo01, lo23).AsByte(), mask));
            Sse2.Store(to + 32, Ssse3.Shuffle(Sse2.UnpackLow(hi01, hi23).AsByte(), mask));
            Sse2.Store(to + 48, Ssse3.Shuffle(Sse2.UnpackHigh(hi01, hi23).AsByte(), mask));
        }

        return i;
    }

    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int ShuffleVector8(byte* s, byte* d, int elements)
    {
        if (!Ssse3.IsSupported)
        {
            return 0;
        }

        Vector128<byte> mask = Vector128.Create(GroupBytesOf8);
        int i = Avx512Vbmi.IsSupported ? ShuffleWide8(s, d, elements) : 0;
        for (; i + 16 <= elements; i += 16)
        {
            byte* from = s + 8 * i;
            Vector128<ushort> r0 = Ssse3.Shuffle(Sse2.LoadVector128(from), mask).AsUInt16();
            Vector128<ushort> r1 = Ssse3.Shuffle(Sse2.LoadVector128(from + 16), mask).AsUInt16();
            Vector128<ushort> r2 = Ssse3.Shuffle(Sse2.LoadVector128(from + 32), mask).AsUInt16();
            Vector128<ushort> r3 = Ssse3.Shuffle(Sse2.LoadVector128(from + 48), mask).AsUInt16();
            Vector128<ushort> r4 = Ssse3.Shuffle(Sse2.LoadVector128(from + 64), mask).AsUInt16();
            Vector128<ushort> r5 = Ssse3.Shuffle(Sse2.LoadVector128(from + 80), mask).AsUInt16();
            Vector128<ushort> r6 = Ssse3.Shuffle(Sse2.LoadVector128(from + 96), mask).AsUInt16();
            Vector128<ushort> r7 = Ssse3.Shuffle(Sse2.LoadVector128(from + 112), mask).AsUInt16();
            TransposeWords(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            Sse2.Store(d + i, r0.AsByte());
            Sse2.Store(d + (long)elements + i, r1.AsByte());
            Sse2.Store(d + 2L * elements + i, r2.AsByte());
            Sse2.Store(d + 3L * elements + i, r3.AsByte());
            Sse2.Store(d + 4L * elements + i, r4.AsByte());
            Sse2.Store(d + 5L * elements + i, r5.AsByte());
            Sse2.Store(d + 6L * elements + i, r6.AsByte());
            Sse2.Store(d + 7L * elements + i, r7.AsByte());
        }

        return i;
    }

    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int UnshuffleVector8(byte* s, byte* d, int elements)
    {
        if (!Ssse3.IsSupported)
        {
            return 0;
        }

        Vector128<byte> mask = Vector128.Create(SpreadBytesOf8);
        int i = Avx512Vbmi.IsSupported ? UnshuffleWide8(s, d, elements) : 0;
        for (; i + 16 <= elements; i += 16)
        {
            Vector128<ushort> r0 = Sse2.LoadVector128(s + i).AsUInt16();
            Vector128<ushort> r1 = Sse2.LoadVector128(s + (long)elements + i).AsUInt16();
            Vector128<ushort> r2 = Sse2.LoadVector128(s + 2L * elements + i).AsUInt16();
            Vector128<ushort> r3 = Sse2.LoadVector128(s + 3L * elements + i).AsUInt16();
            Vector128<ushort> r4 = Sse2.LoadVector128(s + 4L * elements + i).AsUInt16();
            Vector128<ushort> r5 = Sse2.LoadVector128(s + 5L * elements + i).AsUInt16();
            Vector128<ushort> r6 = Sse2.LoadVector128(s + 6L * elements + i).AsUInt16();
            Vector128<ushort> r7 = Sse2.LoadVector128(s + 7L * elements + i).AsUInt16();
            TransposeWords(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            byte* to = d + 8 * i;
            Sse2.Store(to, Ssse3.Shuffle(r0.AsByte(), mask));
            Sse2.Store(to + 16, Ssse3.Shuffle(r1.AsByte(), mask));
            Sse2.Store(to + 32, Ssse3.Shuffle(r2.AsByte(), mask));
            Sse2.Store(to + 48, Ssse3.Shuffle(r3.AsByte(), mask));
            Sse2.Store(to + 64, Ssse3.Shuffle(r4.AsByte(), mask));
            Sse2.Store(to + 80, Ssse3.Shuffle(r5.AsByte(), mask));
            Sse2.Store(to + 96, Ssse3.Shuffle(r6.AsByte(), mask));
            Sse2.Store(to + 112, Ssse3.Shuffle(r7.AsByte(), mask));
        }

        return i;
    }

    /// <summary>Transposes an 8x8 matrix of 16-bit words held as eight rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeWords(
        ref Vector128<ushort> r0, ref Vector128<ushort> r1, ref Vector128<ushort> r2, ref Vector128<ushort> r3,
        ref Vector128<ushort> r4, ref Vector128<ushort> r5, ref Vector128<ushort> r6, ref Vector128<ushort> r7)
    {
        // Pairs of rows interleaved word by word: columns 0-3 and 4-7.
        Vector128<uint> a0 = Sse2.UnpackLow(r0, r1).AsUInt32();
        Vector128<uint> a1 = Sse2.UnpackHigh(r0, r1).AsUInt32();
        Vector128<uint> a2 = Sse2.UnpackLow(r2, r3).AsUInt32();
        Vector128<uint> a3 = Sse2.UnpackHigh(r2, r3).AsUInt32();
        Vector128<uint> a4 = Sse2.UnpackLow(r4, r5).AsUInt32();
        Vector128<uint> a5 = Sse2.UnpackHigh(r4, r5).AsUInt32();
        Vector128<uint> a6 = Sse2.UnpackLow(r6, r7).AsUInt32();
        Vector128<uint> a7 = Sse2.UnpackHigh(r6, r7).AsUInt32();

        // Quads of rows: two columns each.
        Vector128<ulong> b0 = Sse2.UnpackLow(a0, a2).AsUInt64();
        Vector128<ulong> b1 = Sse2.UnpackHigh(a0, a2).AsUInt64();
        Vector128<ulong> b2 = Sse2.UnpackLow(a1, a3).AsUInt64();
        Vector128<ulong> b3 = Sse2.UnpackHigh(a1, a3).AsUInt64();
        Vector128<ulong> b4 = Sse2.UnpackLow(a4, a6).AsUInt64();
        Vector128<ulong> b5 = Sse2.UnpackHigh(a4, a6).AsUInt64();
        Vector128<ulong> b6 = Sse2.UnpackLow(a5, a7).AsUInt64();
        Vector128<ulong> b7 = Sse2.UnpackHigh(a5, a7).AsUInt64();

        r0 = Sse2.UnpackLow(b0, b4).AsUInt16();
        r1 = Sse2.UnpackHigh(b0, b4).AsUInt16();
        r2 = Sse2.UnpackLow(b1, b5).AsUInt16();
        r3 = Sse2.UnpackHigh(b1, b5).AsUInt16();
        r4 = Sse2.UnpackLow(b2, b6).AsUInt16();
        r5 = Sse2.UnpackHigh(b2, b6).AsUInt16();
        r6 = Sse2.UnpackLow(b3, b7).AsUInt16();
        r7 = Sse2.UnpackHigh(b3, b7).AsUInt16();
    }
}
