using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// A fast deflate (RFC 1951) encoder for data that LZ matching cannot shrink, such as the raw bytes of
/// noisy floating-point fields: every byte is a literal, coded with a Huffman code built for its block
/// (about 128 KiB). A block that would not shrink is stored instead, so the output never exceeds
/// <see cref="MaxCompressedLength"/>. The result is an ordinary zlib (RFC 1950) stream that any
/// inflater reads. Thread-safe; no state survives a call.
/// </summary>
/// <remarks>
/// On such data zlib's level-1 matching finds almost nothing, so coding literals alone gives nearly
/// the same ratio at several times the speed. Callers decide from a sample whether the data has
/// repeats worth matching (see <see cref="ZlibCodec"/>).
/// </remarks>
internal static unsafe class HuffmanDeflate
{
    internal const int BlockLength = 128 * 1024;
    private const int MaxStoredLength = 65535;
    private const int LiteralSymbols = 257; // 0..255 and end-of-block
    private const int EndOfBlock = 256;
    private const int MaxCodeLength = 15;
    private const int MaxCodeLengthCodeLength = 7;

    /// <summary>The order in which code-length code lengths are sent (RFC 1951, 3.2.7).</summary>
    private static ReadOnlySpan<byte> CodeLengthOrder => [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    /// <summary>The largest zlib stream <see cref="CompressZlib"/> writes for <paramref name="n"/> bytes (including slack for its 8-byte writes).</summary>
    public static int MaxCompressedLength(int n) => checked(n + (5 * ((n / MaxStoredLength) + 1)) + (6 * ((n / BlockLength) + 1)) + 2 + 4 + 16);

    /// <summary>
    /// Writes <paramref name="src"/> as a zlib stream (header for level 1, literal-only deflate
    /// blocks, Adler-32) into <paramref name="dst"/>, which must hold
    /// <see cref="MaxCompressedLength"/> bytes; returns the length written.
    /// </summary>
    [SkipLocalsInit]
    public static int CompressZlib(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        if (dst.Length < MaxCompressedLength(src.Length))
        {
            throw new ArgumentException($"the destination holds {dst.Length} bytes; {MaxCompressedLength(src.Length)} are needed.", nameof(dst));
        }

        fixed (byte* s = src)
        fixed (byte* d = dst)
        {
            d[0] = 0x78; // deflate, 32 KiB window
            d[1] = 0x01; // fastest level; (0x78 << 8 | 0x01) is a multiple of 31
            var w = new BitWriter(d + 2);
            int offset = 0;
            do
            {
                int length = Math.Min(BlockLength, src.Length - offset);
                bool last = offset + length == src.Length;
                WriteBlock(ref w, s + offset, length, last);
                offset += length;
            }
            while (offset < src.Length);

            byte* end = w.AlignToByte();
            BinaryPrimitives.WriteUInt32BigEndian(new Span<byte>(end, 4), Adler32(src));
            return (int)(end + 4 - d);
        }
    }

    /// <summary>The size in bytes that the literal-only coding of <paramref name="sample"/> takes (block headers included); for comparing against other coders.</summary>
    [SkipLocalsInit]
    public static long EstimateSize(ReadOnlySpan<byte> sample)
    {
        long bits = 0;
        uint* freq = stackalloc uint[LiteralSymbols];
        byte* lengths = stackalloc byte[LiteralSymbols];
        fixed (byte* s = sample)
        {
            for (int offset = 0; offset < sample.Length; offset += BlockLength)
            {
                int length = Math.Min(BlockLength, sample.Length - offset);
                Histogram(s + offset, length, freq);
                HuffmanLengths.Build(new ReadOnlySpan<uint>(freq, LiteralSymbols), new Span<byte>(lengths, LiteralSymbols), MaxCodeLength);
                bits += Math.Min(HuffmanBits(freq, lengths) + 800, StoredBits(length));
            }
        }

        return (bits + 7) / 8;
    }

    /// <summary>Adler-32 (RFC 1950) of <paramref name="data"/>.</summary>
    public static uint Adler32(ReadOnlySpan<byte> data)
    {
        const uint Mod = 65521;
        const int Nmax = 5552; // the most bytes before the sums can overflow 32 bits
        uint a = 1, b = 0;
        fixed (byte* p0 = data)
        {
            byte* p = p0;
            int left = data.Length;
            while (left > 0)
            {
                int n = Math.Min(left, Nmax);
                left -= n;
                while (n >= 8)
                {
                    a += p[0]; b += a;
                    a += p[1]; b += a;
                    a += p[2]; b += a;
                    a += p[3]; b += a;
                    a += p[4]; b += a;
                    a += p[5]; b += a;
                    a += p[6]; b += a;
                    a += p[7]; b += a;
                    p += 8;
                    n -= 8;
                }

                while (n-- > 0)
                {
                    a += *p++;
                    b += a;
                }

                a %= Mod;
                b %= Mod;
            }
        }

        return (b << 16) | a;
    }

    private static long StoredBits(int length) => 8L * (length + (5L * Math.Max(1, (length + MaxStoredLength - 1) / MaxStoredLength)) + 1);

    private static long HuffmanBits(uint* freq, byte* lengths)
    {
        long bits = 0;
        for (int i = 0; i < LiteralSymbols; i++)
        {
            bits += (long)freq[i] * lengths[i];
        }

        return bits;
    }

    private static void Histogram(byte* s, int length, uint* freq)
    {
        // Four tables break the store-to-load dependency when neighbouring bytes are equal.
        uint* t = stackalloc uint[4 * 256];
        new Span<uint>(t, 4 * 256).Clear();
        int i = 0;
        for (; i + 4 <= length; i += 4)
        {
            uint v = Unsafe.ReadUnaligned<uint>(s + i);
            t[v & 0xFF]++;
            t[256 + ((v >> 8) & 0xFF)]++;
            t[512 + ((v >> 16) & 0xFF)]++;
            t[768 + (v >> 24)]++;
        }

        for (; i < length; i++)
        {
            t[s[i]]++;
        }

        for (int k = 0; k < 256; k++)
        {
            freq[k] = t[k] + t[256 + k] + t[512 + k] + t[768 + k];
        }

        freq[EndOfBlock] = 1;
    }

    [SkipLocalsInit]
    private static void WriteBlock(ref BitWriter w, byte* s, int length, bool last)
    {
        uint* freq = stackalloc uint[LiteralSymbols];
        byte* lengths = stackalloc byte[LiteralSymbols];
        Histogram(s, length, freq);
        HuffmanLengths.Build(new ReadOnlySpan<uint>(freq, LiteralSymbols), new Span<byte>(lengths, LiteralSymbols), MaxCodeLength);

        // The code lengths of the 257 literal codes and of two distance codes (1 bit each; never used,
        // but the format wants a distance code and a complete one suits every inflater), run-length coded.
        byte* all = stackalloc byte[LiteralSymbols + 2];
        new Span<byte>(lengths, LiteralSymbols).CopyTo(new Span<byte>(all, LiteralSymbols));
        all[LiteralSymbols] = 1;
        all[LiteralSymbols + 1] = 1;
        ushort* runs = stackalloc ushort[LiteralSymbols + 2]; // symbol | extra value << 8
        int runCount = RunLengths(all, LiteralSymbols + 2, runs);
        uint* clFreq = stackalloc uint[19];
        new Span<uint>(clFreq, 19).Clear();
        for (int i = 0; i < runCount; i++)
        {
            clFreq[runs[i] & 0xFF]++;
        }

        byte* clLengths = stackalloc byte[19];
        HuffmanLengths.Build(new ReadOnlySpan<uint>(clFreq, 19), new Span<byte>(clLengths, 19), MaxCodeLengthCodeLength);
        int hclen = 19;
        while (hclen > 4 && clLengths[CodeLengthOrder[hclen - 1]] == 0)
        {
            hclen--;
        }

        long headerBits = 3 + 5 + 5 + 4 + (3L * hclen);
        for (int i = 0; i < runCount; i++)
        {
            int sym = runs[i] & 0xFF;
            headerBits += clLengths[sym] + ExtraBits(sym);
        }

        long huffmanBits = headerBits + HuffmanBits(freq, lengths);
        if (huffmanBits >= StoredBits(length))
        {
            WriteStored(ref w, s, length, last);
            return;
        }

        ushort* clCodes = stackalloc ushort[19];
        HuffmanLengths.Codes(new ReadOnlySpan<byte>(clLengths, 19), new Span<ushort>(clCodes, 19));
        w.Write(last ? 5u : 4u, 3); // BFINAL, BTYPE = 10 (dynamic codes)
        w.Write(LiteralSymbols - 257, 5);
        w.Write(2 - 1, 5);
        w.Write((uint)(hclen - 4), 4);
        for (int i = 0; i < hclen; i++)
        {
            w.Write(clLengths[CodeLengthOrder[i]], 3);
        }

        for (int i = 0; i < runCount; i++)
        {
            int sym = runs[i] & 0xFF;
            w.Write(clCodes[sym], clLengths[sym]);
            int extra = ExtraBits(sym);
            if (extra > 0)
            {
                w.Write((uint)(runs[i] >> 8), extra);
            }
        }

        ushort* codes = stackalloc ushort[LiteralSymbols];
        HuffmanLengths.Codes(new ReadOnlySpan<byte>(lengths, LiteralSymbols), new Span<ushort>(codes, LiteralSymbols));
        uint* table = stackalloc uint[256];
        for (int i = 0; i < 256; i++)
        {
            table[i] = codes[i] | ((uint)lengths[i] << 16);
        }

        w.WriteLiterals(s, length, table);
        w.Write(codes[EndOfBlock], lengths[EndOfBlock]);
    }

    private static int ExtraBits(int codeLengthSymbol) => codeLengthSymbol switch { 16 => 2, 17 => 3, 18 => 7, _ => 0 };

    /// <summary>Run-length codes a sequence of code lengths with symbols 0-15, 16 (repeat previous 3-6), 17 (3-10 zeros) and 18 (11-138 zeros).</summary>
    private static int RunLengths(byte* lengths, int count, ushort* runs)
    {
        int n = 0;
        int i = 0;
        while (i < count)
        {
            byte v = lengths[i];
            int run = 1;
            while (i + run < count && lengths[i + run] == v)
            {
                run++;
            }

            i += run;
            if (v == 0)
            {
                while (run >= 11)
                {
                    int r = Math.Min(run, 138);
                    runs[n++] = (ushort)(18 | ((r - 11) << 8));
                    run -= r;
                }

                if (run >= 3)
                {
                    runs[n++] = (ushort)(17 | ((run - 3) << 8));
                    run = 0;
                }
            }
            else
            {
                runs[n++] = v;
                run--;
                while (run >= 3)
                {
                    int r = Math.Min(run, 6);
                    runs[n++] = (ushort)(16 | ((r - 3) << 8));
                    run -= r;
                }
            }

            while (run-- > 0)
            {
                runs[n++] = v;
            }
        }

        return n;
    }

    private static void WriteStored(ref BitWriter w, byte* s, int length, bool last)
    {
        int offset = 0;
        do
        {
            int n = Math.Min(MaxStoredLength, length - offset);
            bool final = last && offset + n == length;
            w.Write(final ? 1u : 0u, 3); // BFINAL, BTYPE = 00
            byte* o = w.AlignToByte();
            BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(o, 2), (ushort)n);
            BinaryPrimitives.WriteUInt16LittleEndian(new Span<byte>(o + 2, 2), (ushort)~n);
            Buffer.MemoryCopy(s + offset, o + 4, n, n);
            w.Resume(o + 4 + n);
            offset += n;
        }
        while (offset < length);
    }

    /// <summary>Least-significant-bit-first bit output with 8-byte stores (the destination keeps 8 bytes of slack).</summary>
    private struct BitWriter(byte* start)
    {
        private byte* _out = start;
        private ulong _bits;
        private int _count;

        public void Write(uint value, int n)
        {
            _bits |= (ulong)value << _count;
            _count += n;
            if (_count >= 32)
            {
                Unsafe.WriteUnaligned(_out, (uint)_bits);
                _out += 4;
                _bits >>= 32;
                _count -= 32;
            }
        }

        /// <summary>Codes <paramref name="length"/> literals; each table entry is the bit-reversed code | length &lt;&lt; 16.</summary>
        public void WriteLiterals(byte* s, int length, uint* table)
        {
            byte* o = _out;
            ulong bits = _bits;
            int count = _count;
            // Drain to fewer than 8 pending bits, so three 15-bit codes always fit in 64.
            while (count >= 8)
            {
                *o++ = (byte)bits;
                bits >>= 8;
                count -= 8;
            }

            int i = 0;
            for (; i + 3 <= length; i += 3)
            {
                uint e0 = table[s[i]];
                uint e1 = table[s[i + 1]];
                uint e2 = table[s[i + 2]];
                bits |= (ulong)(e0 & 0xFFFF) << count;
                count += (int)(e0 >> 16);
                bits |= (ulong)(e1 & 0xFFFF) << count;
                count += (int)(e1 >> 16);
                bits |= (ulong)(e2 & 0xFFFF) << count;
                count += (int)(e2 >> 16);
                Unsafe.WriteUnaligned(o, bits);
                int bytes = count >> 3;
                o += bytes;
                bits >>= bytes << 3;
                count &= 7;
            }

            for (; i < length; i++)
            {
                uint e = table[s[i]];
                bits |= (ulong)(e & 0xFFFF) << count;
                count += (int)(e >> 16);
                Unsafe.WriteUnaligned(o, bits);
                int bytes = count >> 3;
                o += bytes;
                bits >>= bytes << 3;
                count &= 7;
            }

            _out = o;
            _bits = bits;
            _count = count;
        }

        /// <summary>Flushes pending bits, padding to a byte boundary; returns where the next byte goes.</summary>
        public byte* AlignToByte()
        {
            while (_count > 0)
            {
                *_out++ = (byte)_bits;
                _bits >>= 8;
                _count = Math.Max(0, _count - 8);
            }

            _bits = 0;
            return _out;
        }

        public void Resume(byte* at)
        {
            _out = at;
            _bits = 0;
            _count = 0;
        }
    }
}

/// <summary>Length-limited canonical Huffman codes for deflate.</summary>
internal static class HuffmanLengths
{
    /// <summary>
    /// Sets <paramref name="lengths"/> to code lengths of at most <paramref name="limit"/> bits for the
    /// symbols with nonzero <paramref name="freq"/> (0 for the others), forming a complete code. A single
    /// used symbol gets a 1-bit code and a second 1-bit code is given to an unused symbol, because
    /// inflaters refuse incomplete code-length codes.
    /// </summary>
    public static void Build(ReadOnlySpan<uint> freq, Span<byte> lengths, int limit)
    {
        int n = freq.Length;
        lengths.Clear();
        Span<ulong> sorted = stackalloc ulong[n];
        int used = 0;
        for (int i = 0; i < n; i++)
        {
            if (freq[i] != 0)
            {
                sorted[used++] = ((ulong)freq[i] << 16) | (uint)i;
            }
        }

        if (used <= 1)
        {
            int only = used == 1 ? (int)(sorted[0] & 0xFFFF) : 0;
            lengths[only] = 1;
            lengths[only == 0 ? 1 : 0] = 1;
            return;
        }

        sorted = sorted[..used];
        sorted.Sort();

        // Two-queue Huffman construction: leaves in ascending weight, internal nodes created in
        // ascending weight too; parent links give each leaf's depth.
        Span<ulong> nodeWeight = stackalloc ulong[used];
        Span<int> nodeParent = stackalloc int[used];
        Span<int> leafParent = stackalloc int[used];
        int leaf = 0, next = 0, created = 0;
        for (int k = 0; k < used - 1; k++)
        {
            ulong sum = 0;
            for (int pick = 0; pick < 2; pick++)
            {
                bool takeLeaf = leaf < used && (next >= created || (sorted[leaf] >> 16) <= nodeWeight[next]);
                if (takeLeaf)
                {
                    sum += sorted[leaf] >> 16;
                    leafParent[leaf++] = created;
                }
                else
                {
                    sum += nodeWeight[next];
                    nodeParent[next++] = created;
                }
            }

            nodeWeight[created++] = sum;
        }

        Span<int> depth = stackalloc int[used];
        depth[created - 1] = 0;
        for (int k = created - 2; k >= 0; k--)
        {
            depth[k] = depth[nodeParent[k]] + 1;
        }

        Span<int> count = stackalloc int[Math.Max(limit, used) + 2];
        for (int i = 0; i < used; i++)
        {
            count[Math.Min(depth[leafParent[i]] + 1, limit)]++;
        }

        // Lengths beyond the limit were capped, which over-fills the code; lengthen the deepest codes
        // that are still short of the limit until the Kraft sum is exactly one again.
        long kraft = 0;
        for (int len = 1; len <= limit; len++)
        {
            kraft += (long)count[len] << (limit - len);
        }

        while (kraft > 1L << limit)
        {
            int len = limit - 1;
            while (count[len] == 0)
            {
                len--;
            }

            count[len]--;
            count[len + 1] += 2;
            count[limit]--;
            kraft--;
        }

        // The rarest symbols get the longest codes.
        int s = 0;
        for (int len = limit; len >= 1; len--)
        {
            for (int c = 0; c < count[len]; c++)
            {
                lengths[(int)(sorted[s++] & 0xFFFF)] = (byte)len;
            }
        }
    }

    /// <summary>Canonical codes for <paramref name="lengths"/>, bit-reversed for least-significant-bit-first output.</summary>
    public static void Codes(ReadOnlySpan<byte> lengths, Span<ushort> codes)
    {
        Span<int> count = stackalloc int[16];
        foreach (byte l in lengths)
        {
            count[l]++;
        }

        count[0] = 0;
        Span<int> nextCode = stackalloc int[16];
        int code = 0;
        for (int len = 1; len < 16; len++)
        {
            code = (code + count[len - 1]) << 1;
            nextCode[len] = code;
        }

        for (int i = 0; i < lengths.Length; i++)
        {
            int len = lengths[i];
            if (len == 0)
            {
                codes[i] = 0;
                continue;
            }

            int c = nextCode[len]++;
            int reversed = 0;
            for (int b = 0; b < len; b++)
            {
                reversed = (reversed << 1) | ((c >> b) & 1);
            }

            codes[i] = (ushort)reversed;
        }
    }
}
