using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// The LZ4 encoder: greedy, single pass, in the manner of LZ4_compress_fast (a 4 KiB-entry table
/// of 5-byte hashes, a stride that grows while nothing matches). Where the parse finds a short
/// match at nearly every position (the shuffled middle bytes of floating-point fields) each
/// sequence waits on the one before it (load the next bytes, hash, look up, compare, count); a
/// branch-free fast path handles those sequences, and <see cref="CompressPair"/> runs two blocks in
/// lock step so that the processor has two such chains to overlap. Everything else goes through
/// <see cref="Encoder.Continue"/>, the general algorithm. Both entry points write the same bytes
/// for a block.
/// </summary>
public static unsafe partial class Lz4Block
{
    /// <summary>Bytes a fast-path sequence may read past its start: three 8-byte compares.</summary>
    private const int FastReach = 24;

    /// <summary>Worst-case bytes a fast-path sequence writes: token, offset, one length byte.</summary>
    private const int FastWrite = 4;

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
            var block = new Encoder(s, src.Length, d, dst.Length, table);
            if (block.Start(acceleration))
            {
                RunAlone(ref block, acceleration);
            }

            return block.Finish(d);
        }
    }

    /// <summary>
    /// Compresses <paramref name="srcA"/> into <paramref name="dstA"/> and <paramref name="srcB"/> into
    /// <paramref name="dstB"/>, as two calls of <see cref="Compress"/> would (same bytes, same 0 when
    /// a block does not fit), and returns the two lengths.
    /// </summary>
    [SkipLocalsInit]
    public static (int A, int B) CompressPair(ReadOnlySpan<byte> srcA, Span<byte> dstA, ReadOnlySpan<byte> srcB, Span<byte> dstB, int acceleration = 1)
    {
        if (srcA.Length > MaxInputSize || srcB.Length > MaxInputSize)
        {
            throw new ArgumentOutOfRangeException(srcA.Length > MaxInputSize ? nameof(srcA) : nameof(srcB), $"LZ4 blocks hold at most {MaxInputSize} bytes.");
        }

        acceleration = Math.Clamp(acceleration, 1, 65537);
        int* tables = stackalloc int[2 << HashBits];
        new Span<int>(tables, 2 << HashBits).Clear();
        fixed (byte* a = srcA)
        fixed (byte* b = srcB)
        fixed (byte* da = dstA)
        fixed (byte* db = dstB)
        {
            var sa = new Encoder(a, srcA.Length, da, dstA.Length, tables);
            var sb = new Encoder(b, srcB.Length, db, dstB.Length, tables + (1 << HashBits));
            bool liveA = sa.Start(acceleration);
            bool liveB = sb.Start(acceleration);
            if (liveA && liveB)
            {
                LockStep(ref sa, ref sb, ref liveA, ref liveB, acceleration);
            }

            if (liveA)
            {
                RunAlone(ref sa, acceleration);
            }

            if (liveB)
            {
                RunAlone(ref sb, acceleration);
            }

            return (sa.Finish(da), sb.Finish(db));
        }
    }

    /// <summary>Runs one block from a just-matched state to the end of its match phase.</summary>
    // hot loop: compiled fully optimised at once, not after tiering (short runs would otherwise spend their first chunks in tier-0 code)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunAlone(ref Encoder block, int acceleration)
    {
        byte* src = block.Src;
        int* table = block.Table;
        byte* ip = block.Ip, op = block.Op;
        byte* fastEnd = block.LastMatchStart - FastReach;
        byte* room = block.OEnd - FastWrite;
        while (ip <= fastEnd)
        {
            if (!TryFastSequence(ref ip, ref op, src, table, room, out byte* hit))
            {
                block.Park(ip, op);
                if (!block.Continue(hit, acceleration))
                {
                    return;
                }

                ip = block.Ip;
                op = block.Op;
            }
        }

        block.Park(ip, op);
        while (block.ProbeAndContinue(acceleration))
        {
        }
    }

    /// <summary>
    /// Runs both blocks while each is short of its end: one fast sequence of A, then one of B, in
    /// rounds; a sequence the fast path cannot write takes a general step of its block between
    /// rounds (the blocks are independent, so the order of their steps does not change the bytes).
    /// When a block's match phase ends, or either nears its end, the live blocks are parked for
    /// <see cref="RunAlone"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LockStep(ref Encoder a, ref Encoder b, ref bool liveA, ref bool liveB, int acceleration)
    {
        byte* srcA = a.Src, srcB = b.Src;
        int* tableA = a.Table, tableB = b.Table;
        byte* ipA = a.Ip, ipB = b.Ip, opA = a.Op, opB = b.Op;
        while (true)
        {
            // How many rounds may run with no bounds test: a fast sequence moves the input by at
            // most FastReach - 1 (< 32) bytes and the output by at most FastWrite (4). The rounds
            // hold no call, so the JIT keeps both blocks' positions in registers; a general step
            // (Continue) leaves the inner loop and the count is worked out again after it. Near
            // either block's end the loop stops and RunAlone finishes each block with its own tests.
            long n = Math.Min(
                Math.Min((a.LastMatchStart - FastReach - ipA) >> 5, (b.LastMatchStart - FastReach - ipB) >> 5),
                Math.Min((a.OEnd - FastWrite - opA) >> 2, (b.OEnd - FastWrite - opB) >> 2));
            if (n <= 0)
            {
                break;
            }

            byte* hit;
            do
            {
                // The fast step of TryFastSequence, written out for each block: as a shared inlined
                // method the two copies' temporaries spill to the stack (about 8% slower).
                {
                    uint h = Hash5(ipA);
                    byte* match = srcA + tableA[h];
                    tableA[h] = (int)(ipA - srcA);
                    ulong d1 = Read64(ipA) ^ Read64(match);
                    ulong d2 = Read64(ipA + 8) ^ Read64(match + 8);
                    ulong d3 = Read64(ipA + 16) ^ Read64(match + 16);
                    ulong dist = (ulong)(ipA - match);
                    if (dist > MaxDistance || (uint)d1 != 0)
                    {
                        hit = dist <= MaxDistance && (uint)d1 == 0 ? match : null;
                        goto SlowA;
                    }

                    int length = FastLength(d1, d2, d3);
                    if (length == FastReach)
                    {
                        // 24 bytes or more: the general step counts the rest
                        hit = match;
                        goto SlowA;
                    }

                    ipA += length;
                    opA = WriteFastSequence(opA, length - MinMatch, (ushort)dist);
                    tableA[Hash5(ipA - 2)] = (int)(ipA - 2 - srcA);
                }

                {
                    uint h = Hash5(ipB);
                    byte* match = srcB + tableB[h];
                    tableB[h] = (int)(ipB - srcB);
                    ulong d1 = Read64(ipB) ^ Read64(match);
                    ulong d2 = Read64(ipB + 8) ^ Read64(match + 8);
                    ulong d3 = Read64(ipB + 16) ^ Read64(match + 16);
                    ulong dist = (ulong)(ipB - match);
                    if (dist > MaxDistance || (uint)d1 != 0)
                    {
                        hit = dist <= MaxDistance && (uint)d1 == 0 ? match : null;
                        goto SlowB;
                    }

                    int length = FastLength(d1, d2, d3);
                    if (length == FastReach)
                    {
                        hit = match;
                        goto SlowB;
                    }

                    ipB += length;
                    opB = WriteFastSequence(opB, length - MinMatch, (ushort)dist);
                    tableB[Hash5(ipB - 2)] = (int)(ipB - 2 - srcB);
                }
            }
            while (--n > 0);
            continue;

        SlowA:
            a.Park(ipA, opA);
            if (!a.Continue(hit, acceleration))
            {
                liveA = false;
                b.Park(ipB, opB);
                return;
            }

            ipA = a.Ip;
            opA = a.Op;
            continue;

        SlowB:
            b.Park(ipB, opB);
            if (!b.Continue(hit, acceleration))
            {
                liveB = false;
                a.Park(ipA, opA);
                return;
            }

            ipB = b.Ip;
            opB = b.Op;
        }

        a.Park(ipA, opA);
        b.Park(ipB, opB);
    }

    /// <summary>
    /// Probes <paramref name="ip"/> (just after a match, so no literals are pending) and, when the
    /// hit is 4..23 bytes long and the output has room, writes its sequence without a branch on the
    /// length and moves on. Otherwise returns false with the probe recorded and
    /// <paramref name="hit"/> set to the match (null for a miss) for <see cref="Encoder.Continue"/>.
    /// The caller keeps <paramref name="ip"/> at least <see cref="FastReach"/> bytes before the last
    /// match start and <paramref name="op"/> at or before <paramref name="room"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryFastSequence(ref byte* ip, ref byte* op, byte* src, int* table, byte* room, out byte* hit)
    {
        uint h = Hash5(ip);
        byte* match = src + table[h];
        table[h] = (int)(ip - src);
        ulong d1 = Read64(ip) ^ Read64(match);
        ulong d2 = Read64(ip + 8) ^ Read64(match + 8);
        ulong d3 = Read64(ip + 16) ^ Read64(match + 16);
        bool near = ip - match <= MaxDistance;
        if (near && (uint)d1 == 0 && (d1 | d2 | d3) != 0 && op <= room)
        {
            int length = FastLength(d1, d2, d3);
            op = WriteFastSequence(op, length - MinMatch, (ushort)(ip - match));
            ip += length;
            table[Hash5(ip - 2)] = (int)(ip - 2 - src);
            hit = null;
            return true;
        }

        hit = near && (uint)d1 == 0 ? match : null;
        return false;
    }

    /// <summary>
    /// Match length from the XOR of three 8-byte words (the first word's low 4 bytes are zero and
    /// not every word is zero): the first differing byte, counted without a branch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FastCode(ulong d1, ulong d2, ulong d3)
    {
        int bits = 128 + BitOperations.TrailingZeroCount(d3);
        if (d2 != 0)
        {
            bits = 64 + BitOperations.TrailingZeroCount(d2);
        }

        if (d1 != 0)
        {
            bits = BitOperations.TrailingZeroCount(d1);
        }

        return (bits >> 3) - MinMatch;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FastLength(ulong d1, ulong d2, ulong d3)
    {
        // TrailingZeroCount of 0 is 64: ">> 6" turns it into 1, and "-" into an all-ones mask.
        int t1 = BitOperations.TrailingZeroCount(d1);
        int t2 = BitOperations.TrailingZeroCount(d2);
        int t3 = BitOperations.TrailingZeroCount(d3);
        return (t1 + ((t2 + (t3 & -(t2 >> 6))) & -(t1 >> 6))) >> 3;
    }

    /// <summary>A sequence with no literals and a match code of 0..19; returns the new output position.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* WriteFastSequence(byte* op, int matchCode, ushort distance)
    {
        int extra = (matchCode + 1) >> 4; // 1 when the code (at most 19) does not fit the token nibble
        *op = (byte)(matchCode - ((matchCode - 15) & -extra));
        Unsafe.WriteUnaligned(op + 1, distance);
        op[3] = (byte)(matchCode - 15); // the length byte; overwritten by the next sequence when not needed
        return op + 3 + extra;
    }

    /// <summary>One block's encoding state between steps.</summary>
    private struct Encoder
    {
        public readonly byte* Src;
        public readonly byte* IEnd;
        public readonly byte* LastMatchStart;
        public readonly byte* MatchLimit;
        public readonly byte* OEnd;
        public readonly int* Table;
        public byte* Ip;
        public byte* Anchor;
        public byte* Op;
        private bool _overflow;

        public Encoder(byte* src, int n, byte* dst, int capacity, int* table)
        {
            Src = src;
            IEnd = src + n;
            LastMatchStart = IEnd - MatchStartMargin;
            MatchLimit = IEnd - LastLiterals;
            OEnd = dst + capacity;
            Table = table;
            Ip = src;
            Anchor = src;
            Op = dst;
            _overflow = false;
        }

        /// <summary>Stores a fast loop's registers back (the anchor is the position: no literals are pending).</summary>
        public void Park(byte* ip, byte* op)
        {
            Ip = ip;
            Anchor = ip;
            Op = op;
        }

        /// <summary>Begins: the first position goes in the table and the search starts at the second. False when the block is too short for any match.</summary>
        public bool Start(int acceleration)
        {
            if (IEnd - Src < MatchStartMargin + 1)
            {
                return false;
            }

            Table[Hash5(Src)] = 0;
            return Continue(null, acceleration);
        }

        /// <summary>Probes the current position (just after a match) and continues from there.</summary>
        public bool ProbeAndContinue(int acceleration)
        {
            byte* ip = Ip;
            uint h = Hash5(ip);
            byte* match = Src + Table[h];
            Table[h] = (int)(ip - Src);
            bool hit = ip - match <= MaxDistance && Read32(match) == Read32(ip);
            return Continue(hit ? match : null, acceleration);
        }

        /// <summary>
        /// The probe at <see cref="Ip"/> has been made and recorded; <paramref name="match"/> is its hit,
        /// or null when it missed (then the search goes on from the next position, one byte and then
        /// a stride that grows every 64 misses). Writes the next sequence and returns true, or
        /// returns false when no further match may start (or the output is full: then
        /// <see cref="Finish"/> reports 0).
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public bool Continue(byte* match, int acceleration)
        {
            byte* ip = Ip;
            byte* src = Src;
            int* table = Table;
            byte* anchor = Anchor;
            if (match == null)
            {
                ip++;
                int attempts = acceleration << SkipShift;
                int step = 1;
                byte* forward = ip;
                if (forward > LastMatchStart)
                {
                    return false;
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

                    if (forward > LastMatchStart)
                    {
                        return false;
                    }

                    forwardHash = Hash5(forward);
                }

                while (ip > anchor && match > src && ip[-1] == match[-1])
                {
                    ip--;
                    match--;
                }
            }

            int length;
            ulong diff = Read64(ip + MinMatch) ^ Read64(match + MinMatch);
            if (diff != 0 && ip + MinMatch + 8 <= MatchLimit)
            {
                length = MinMatch + (BitOperations.TrailingZeroCount(diff) >> 3);
            }
            else
            {
                length = MinMatch + CommonLength(ip + MinMatch, match + MinMatch, MatchLimit);
            }

            int literals = (int)(ip - anchor);
            int matchCode = length - MinMatch;
            byte* op = Op;
            long needed = 1L + ExtraLengthBytes(literals) + literals + 2 + ExtraLengthBytes(matchCode);
            if (needed > OEnd - op)
            {
                _overflow = true;
                return false;
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

            if (literals <= 8 && OEnd - op >= 8)
            {
                // the usual one or two literals between dense matches: one 8-byte move, not a call
                // to the block copy (it reads at most up to 8 bytes past this match's start, well
                // inside the input, and writes into room the output has)
                Unsafe.WriteUnaligned(op, Read64(anchor));
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
            Op = op;
            ip += length;
            Anchor = ip;
            Ip = ip;
            if (ip > LastMatchStart)
            {
                return false;
            }

            table[Hash5(ip - 2)] = (int)(ip - 2 - src);
            return true;
        }

        /// <summary>Writes the closing literals; returns the block's length, or 0 when it did not fit.</summary>
        public readonly int Finish(byte* dst)
        {
            if (_overflow)
            {
                return 0;
            }

            byte* op = Op;
            int literals = (int)(IEnd - Anchor);
            long needed = 1L + ExtraLengthBytes(literals) + literals;
            if (needed > OEnd - op)
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

            Unsafe.CopyBlockUnaligned(op, Anchor, (uint)literals);
            op += literals;
            return (int)(op - dst);
        }
    }
}
