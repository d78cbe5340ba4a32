using System.Numerics;
using System.Runtime.CompilerServices;

namespace ZarrPartition.Engine.Codecs;

/// <summary>
/// Two independent LZ4 blocks compressed by one thread in lock step. Each block's output is
/// byte-for-byte what <see cref="Compress"/> writes for it; the gain is speed on data where the
/// greedy parse finds a short match at nearly every position (the shuffled middle bytes of
/// floating-point fields). There one sequence waits on the one before it (load the next bytes,
/// hash, look up, compare, count), so a single block leaves most of a core idle; two blocks give
/// the processor two such chains to overlap.
/// </summary>
public static unsafe partial class Lz4Block
{
    /// <summary>Bytes a fast-path sequence may read past its start: three 8-byte compares.</summary>
    private const int FastReach = 24;

    /// <summary>Worst-case bytes a fast-path sequence writes: token, offset, one length byte.</summary>
    private const int FastWrite = 4;

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
            var sa = new PairState(a, srcA.Length, da, dstA.Length, tables);
            var sb = new PairState(b, srcB.Length, db, dstB.Length, tables + (1 << HashBits));
            bool liveA = sa.Start(acceleration);
            bool liveB = sb.Start(acceleration);
            if (liveA && liveB)
            {
                LockStep(ref sa, ref sb, ref liveA, ref liveB, acceleration);
            }

            while (liveA)
            {
                liveA = sa.ProbeAndContinue(acceleration);
            }

            while (liveB)
            {
                liveB = sb.ProbeAndContinue(acceleration);
            }

            return (sa.Finish(da), sb.Finish(db));
        }
    }

    /// <summary>
    /// Runs both blocks while each has room for the fast path: a hit at the position right after
    /// the previous match, with no literals, a length of 4..23, in branch-free arithmetic. Anything
    /// else (a miss, a longer match, the end of the input or of the output in sight) goes through
    /// <see cref="PairState.Continue"/>, the general algorithm, for that block alone.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LockStep(ref PairState a, ref PairState b, ref bool liveA, ref bool liveB, int acceleration)
    {
        byte* srcA = a.Src, srcB = b.Src;
        int* tableA = a.Table, tableB = b.Table;
        byte* ipA = a.Ip, ipB = b.Ip, opA = a.Op, opB = b.Op;
        byte* fastEndA = a.LastMatchStart - FastReach, fastEndB = b.LastMatchStart - FastReach;
        byte* roomA = a.OEnd - FastWrite, roomB = b.OEnd - FastWrite;
        while (ipA <= fastEndA && ipB <= fastEndB)
        {
            // Block A. Invariant: anchor == ip (the last step ended a match).
            {
                uint h = Hash5(ipA);
                byte* match = srcA + tableA[h];
                tableA[h] = (int)(ipA - srcA);
                ulong d1 = Read64(ipA) ^ Read64(match);
                ulong d2 = Read64(ipA + 8) ^ Read64(match + 8);
                ulong d3 = Read64(ipA + 16) ^ Read64(match + 16);
                if (ipA - match <= MaxDistance && (uint)d1 == 0 && (d1 | d2 | d3) != 0 && opA <= roomA)
                {
                    int length = FastLength(d1, d2, d3);
                    opA = WriteFastSequence(opA, length - MinMatch, (ushort)(ipA - match));
                    ipA += length;
                    tableA[Hash5(ipA - 2)] = (int)(ipA - 2 - srcA);
                }
                else
                {
                    a.Ip = ipA;
                    a.Anchor = ipA;
                    a.Op = opA;
                    bool hit = ipA - match <= MaxDistance && (uint)d1 == 0;
                    if (!a.Continue(hit ? match : null, acceleration))
                    {
                        liveA = false;
                        b.Park(ipB, opB);
                        return;
                    }

                    ipA = a.Ip;
                    opA = a.Op;
                }
            }

            // Block B, the same steps.
            {
                uint h = Hash5(ipB);
                byte* match = srcB + tableB[h];
                tableB[h] = (int)(ipB - srcB);
                ulong d1 = Read64(ipB) ^ Read64(match);
                ulong d2 = Read64(ipB + 8) ^ Read64(match + 8);
                ulong d3 = Read64(ipB + 16) ^ Read64(match + 16);
                if (ipB - match <= MaxDistance && (uint)d1 == 0 && (d1 | d2 | d3) != 0 && opB <= roomB)
                {
                    int length = FastLength(d1, d2, d3);
                    opB = WriteFastSequence(opB, length - MinMatch, (ushort)(ipB - match));
                    ipB += length;
                    tableB[Hash5(ipB - 2)] = (int)(ipB - 2 - srcB);
                }
                else
                {
                    b.Ip = ipB;
                    b.Anchor = ipB;
                    b.Op = opB;
                    bool hit = ipB - match <= MaxDistance && (uint)d1 == 0;
                    if (!b.Continue(hit ? match : null, acceleration))
                    {
                        liveB = false;
                        a.Park(ipA, opA);
                        return;
                    }

                    ipB = b.Ip;
                    opB = b.Op;
                }
            }
        }

        a.Park(ipA, opA);
        b.Park(ipB, opB);
    }

    /// <summary>
    /// Match length from the XOR of three 8-byte words (the first word's low 4 bytes are zero and
    /// not every word is zero): the first differing byte, counted without a branch.
    /// </summary>
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
        int extra = (14 - matchCode) >>> 31; // 1 when the code does not fit the token nibble
        *op = (byte)(matchCode - ((matchCode - 15) & -extra));
        Unsafe.WriteUnaligned(op + 1, distance);
        op[3] = (byte)(matchCode - 15); // the length byte; overwritten by the next sequence when not needed
        return op + 3 + extra;
    }

    /// <summary>One block's state between steps of <see cref="CompressPair"/>.</summary>
    private struct PairState
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

        public PairState(byte* src, int n, byte* dst, int capacity, int* table)
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

        /// <summary>Stores the lock-step loop's registers back.</summary>
        public void Park(byte* ip, byte* op)
        {
            Ip = ip;
            Anchor = ip;
            Op = op;
        }

        /// <summary>Begins as <see cref="CompressCore"/> does: the first position goes in the table and the search starts at the second.</summary>
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
        /// or null when it missed (then the search goes on from the next position with a fresh
        /// stride, as in <see cref="CompressCore"/>). Writes the next sequence and returns true, or
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

            Unsafe.CopyBlockUnaligned(op, anchor, (uint)literals);
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
