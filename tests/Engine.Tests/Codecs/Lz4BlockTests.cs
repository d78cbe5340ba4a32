using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Tests.Codecs;

public class Lz4BlockTests
{
    private static readonly int[] Sizes = [0, 1, 4, 5, 11, 12, 13, 14, 17, 64, 100, 255, 256, 1000, 4097, 65535, 65536, 65537, 70001, 300_007];

    [Fact]
    public void RoundTripsEveryKindSizeAndAcceleration()
    {
        foreach (string kind in CodecSamples.Kinds)
        {
            foreach (int n in Sizes)
            {
                byte[] src = CodecSamples.Make(kind, n, n);
                foreach (int acceleration in new[] { 1, 4, 33 })
                {
                    var dst = new byte[Lz4Block.MaxCompressedLength(n)];
                    int written = Lz4Block.Compress(src, dst, acceleration);
                    Assert.InRange(written, 1, dst.Length);
                    CheckEndConditions(dst.AsSpan(0, written), n);

                    var back = new byte[n];
                    int got = Lz4Block.Decompress(dst.AsSpan(0, written), back);
                    Assert.Equal(n, got);
                    Assert.True(src.AsSpan().SequenceEqual(back), $"{kind}, {n} bytes, acceleration {acceleration}");
                }
            }
        }
    }

    [Fact]
    public void CompressesRepetitiveDataAndKeepsIncompressibleDataWithinTheBound()
    {
        byte[] zeros = new byte[100_000];
        var dst = new byte[Lz4Block.MaxCompressedLength(zeros.Length)];
        Assert.True(Lz4Block.Compress(zeros, dst) < zeros.Length / 100);

        byte[] noise = CodecSamples.Random(100_000, 5);
        int written = Lz4Block.Compress(noise, dst);
        Assert.InRange(written, noise.Length, Lz4Block.MaxCompressedLength(noise.Length));
    }

    [Fact]
    public void ReturnsZeroWhenTheDestinationIsTooSmallAndNeverWritesPastIt()
    {
        byte[] noise = CodecSamples.Random(20_000, 9);
        byte[] smooth = CodecSamples.SmoothFloat32(20_000, 9);
        foreach (byte[] src in new[] { noise, smooth })
        {
            var full = new byte[Lz4Block.MaxCompressedLength(src.Length)];
            int needed = Lz4Block.Compress(src, full);
            foreach (int room in new[] { 0, 1, needed / 2, needed - 1, needed })
            {
                var buffer = new byte[room + 64];
                buffer.AsSpan().Fill(0xA5);
                int written = Lz4Block.Compress(src, buffer.AsSpan(0, room));
                Assert.All(buffer[room..], b => Assert.Equal(0xA5, b));
                if (room < needed)
                {
                    Assert.Equal(0, written);
                }
                else
                {
                    Assert.Equal(needed, written);
                    var back = new byte[src.Length];
                    Assert.Equal(src.Length, Lz4Block.Decompress(buffer.AsSpan(0, written), back));
                    Assert.True(src.AsSpan().SequenceEqual(back));
                }
            }
        }
    }

    /// <summary>
    /// Bytes from a drifting alphabet of a few values, like the shuffled middle byte of a noisy
    /// float field: a short match at almost every position, of every length from 4 into the 30s,
    /// which is what the lock-step fast path of <see cref="Lz4Block.CompressPair"/> handles; now
    /// and then an earlier stretch repeats, for longer matches.
    /// </summary>
    /// <summary>
    /// The third byte of each value of a smooth float32 field (what Blosc's byte shuffle gives LZ4
    /// from climate data): like the real thing, about a third of its size compressed, some 110
    /// sequences per KiB and nearly all without literals, the fast path's home ground.
    /// </summary>
    private static byte[] FloatPlane(int n, int seed)
    {
        var rng = new Random(seed);
        var plane = new byte[n];
        for (int i = 0; i < n; i++)
        {
            float value = 280f + (20f * MathF.Sin(i / 300f)) + (5f * MathF.Sin(i / 17f)) + ((float)rng.NextDouble() * 0.5f);
            plane[i] = (byte)(BitConverter.SingleToInt32Bits(value) >> 16);
        }

        return plane;
    }

    private static byte[] FewValues(int n, int alphabet, int seed)
    {
        var rng = new Random(seed);
        var bytes = new byte[n];
        int level = 100;
        for (int i = 0; i < n; i++)
        {
            if (rng.Next(500) == 0)
            {
                level += rng.Next(-3, 4);
            }

            if (i > 2000 && rng.Next(40) == 0)
            {
                // now and then a repeat of 4..39 earlier bytes, for longer matches
                int from = i - rng.Next(1, 2000);
                int stop = Math.Min(n, i + rng.Next(4, 40));
                while (i < stop)
                {
                    bytes[i++] = bytes[from++];
                }

                i--;
                continue;
            }

            bytes[i] = (byte)(level + rng.Next(alphabet));
        }

        return bytes;
    }

    private static IEnumerable<(string What, byte[] Data)> PairSamples()
    {
        foreach (string kind in CodecSamples.Kinds)
        {
            foreach (int n in Sizes)
            {
                yield return ($"{kind} {n}", CodecSamples.Make(kind, n, n + 3));
            }
        }

        foreach (int alphabet in new[] { 1, 2, 3, 5 })
        {
            foreach (int n in new[] { 13, 40, 41, 100, 5000, 131_072 })
            {
                yield return ($"{alphabet} values {n}", FewValues(n, alphabet, alphabet + n));
            }
        }
    }

    [Fact]
    public void CompressPairWritesExactlyWhatTwoSingleCallsWrite()
    {
        var samples = PairSamples().ToList();
        var rng = new Random(5);
        int fastPathSamples = 0;
        for (int i = 0; i < samples.Count; i++)
        {
            // every sample against its neighbour and against a random one, in both roles
            foreach (int other in new[] { (i + 1) % samples.Count, rng.Next(samples.Count) })
            {
                var (whatA, a) = samples[i];
                var (whatB, b) = samples[other];
                foreach (int acceleration in new[] { 1, 5, 33 })
                {
                    var singleA = new byte[Lz4Block.MaxCompressedLength(a.Length)];
                    var singleB = new byte[Lz4Block.MaxCompressedLength(b.Length)];
                    int lengthA = Lz4Block.Compress(a, singleA, acceleration);
                    int lengthB = Lz4Block.Compress(b, singleB, acceleration);
                    var pairA = new byte[singleA.Length];
                    var pairB = new byte[singleB.Length];
                    var (gotA, gotB) = Lz4Block.CompressPair(a, pairA, b, pairB, acceleration);
                    string what = $"{whatA} with {whatB}, acceleration {acceleration}";
                    Assert.Equal(lengthA, gotA);
                    Assert.Equal(lengthB, gotB);
                    Assert.True(singleA.AsSpan(0, lengthA).SequenceEqual(pairA.AsSpan(0, gotA)), $"{what}: first block differs");
                    Assert.True(singleB.AsSpan(0, lengthB).SequenceEqual(pairB.AsSpan(0, gotB)), $"{what}: second block differs");
                }
            }

            if (samples[i].What.Contains("values") && samples[i].Data.Length > 1000)
            {
                fastPathSamples++;
            }
        }

        Assert.True(fastPathSamples >= 8, "the samples lost their short-match streams");
    }

    [Fact]
    public void CompressPairAgreesWithSingleCallsWhenTheOutputRunsOut()
    {
        // Blosc gives each stream only its raw size; a pair whose outputs fill up mid-block must
        // stop exactly where two single calls stop (0: did not fit) and otherwise write the same bytes.
        var samples = PairSamples().Where(s => s.Data.Length >= 5000).ToList();
        var planes = new[] { 5000, 40_000, 131_072 }.Select(n => ($"float plane {n}", FloatPlane(n, n))).ToList();
        var pairs = samples.Select((s, i) => (s, samples[(i + 3) % samples.Count]))
            .Concat(planes.SelectMany(p => planes.Select(q => (p, q))));
        int overflows = 0;
        foreach (var ((whatA, a), (whatB, b)) in pairs)
        {
            int fullA = Lz4Block.Compress(a, new byte[Lz4Block.MaxCompressedLength(a.Length)], 5);
            int fullB = Lz4Block.Compress(b, new byte[Lz4Block.MaxCompressedLength(b.Length)], 5);
            var capacities = new[] { (fullA, fullB - 1), (fullA - 1, fullB), (fullA - 1, fullB - 1), (fullA / 2, b.Length), (a.Length, fullB / 3) }
                .Concat(Enumerable.Range(2, 7).Select(d => (fullA / d, fullB / (d + 1))));
            foreach (var (capA, capB) in capacities)
            {
                var singleA = new byte[capA];
                var singleB = new byte[capB];
                int lengthA = Lz4Block.Compress(a, singleA, 5);
                int lengthB = Lz4Block.Compress(b, singleB, 5);
                // past each output's end: a guard area that must stay untouched
                var pairA = new byte[capA + 64];
                var pairB = new byte[capB + 64];
                pairA.AsSpan().Fill(0xA5);
                pairB.AsSpan().Fill(0xA5);
                var (gotA, gotB) = Lz4Block.CompressPair(a, pairA.AsSpan(0, capA), b, pairB.AsSpan(0, capB), 5);
                string what = $"{whatA} ({capA} bytes out) with {whatB} ({capB} bytes out)";
                Assert.True(!pairA.AsSpan(capA).ContainsAnyExcept((byte)0xA5), $"{what}: the first block wrote past its output");
                Assert.True(!pairB.AsSpan(capB).ContainsAnyExcept((byte)0xA5), $"{what}: the second block wrote past its output");
                Assert.True(lengthA == gotA, $"{what}: first block {gotA}, alone {lengthA}");
                Assert.True(lengthB == gotB, $"{what}: second block {gotB}, alone {lengthB}");
                Assert.True(singleA.AsSpan(0, lengthA).SequenceEqual(pairA.AsSpan(0, gotA)), $"{what}: first block differs");
                Assert.True(singleB.AsSpan(0, lengthB).SequenceEqual(pairB.AsSpan(0, gotB)), $"{what}: second block differs");
                overflows += (lengthA == 0 ? 1 : 0) + (lengthB == 0 ? 1 : 0);
            }
        }

        Assert.True(overflows >= samples.Count, $"only {overflows} outputs ran out: the capacities no longer test the limit");
    }

    [Fact]
    public void FewValueStreamsHaveMatchesOfEveryFastPathLength()
    {
        // The fast path writes match codes 0..19 without a branch; check the samples reach them all,
        // so that the equality test above covers each (read back from the tokens of the output).
        byte[] data = FewValues(131_072, 2, 7);
        var dst = new byte[Lz4Block.MaxCompressedLength(data.Length)];
        int written = Lz4Block.Compress(data, dst, 5);
        var seen = Sequences(dst.AsSpan(0, written)).Select(s => (int)s.MatchCode).ToHashSet();
        for (int code = 0; code <= 19; code++)
        {
            Assert.Contains(code, seen);
        }
    }

    [Fact]
    public void EveryMatchRunsToTheFirstDifferingByte()
    {
        // The greedy parse extends each match to the first byte that differs (or to the last byte a
        // match may cover, 5 before the end). Zero runs of every length 1..300 and copies of a
        // random stretch with one byte changed at every offset 4..300 put the end of a match at every
        // position of the 8-, 32- and 64-byte steps the length counters take; a length cut short
        // still decodes, so only this check catches it.
        var rng = new Random(21);
        var runs = new List<byte>();
        for (int length = 1; length <= 300; length++)
        {
            runs.Add((byte)rng.Next(1, 256));
            runs.AddRange(new byte[length]);
        }

        byte[] seed = CodecSamples.Random(512, 3);
        var copies = new List<byte>(seed);
        for (int at = 4; at <= 300; at++)
        {
            byte[] copy = (byte[])seed.Clone();
            copy[at] ^= 0x5A;
            copies.AddRange(copy);
        }

        var samples = new[] { runs.ToArray(), copies.ToArray(), CodecSamples.SmoothFloat32(60_000, 4), FewValues(60_000, 3, 8) };
        int longMatches = 0;
        foreach (byte[] src in samples)
        {
            foreach (int acceleration in new[] { 1, 5 })
            {
                var single = new byte[Lz4Block.MaxCompressedLength(src.Length)];
                int written = Lz4Block.Compress(src, single, acceleration);
                var paired = new byte[single.Length];
                var other = new byte[Lz4Block.MaxCompressedLength(samples[0].Length)];
                var (pairWritten, _) = Lz4Block.CompressPair(src, paired, samples[0], other, acceleration);
                foreach (var block in new[] { single.AsSpan(0, written).ToArray(), paired.AsSpan(0, pairWritten).ToArray() })
                {
                    foreach (var (start, distance, length) in Matches(block))
                    {
                        Assert.True(src.AsSpan(start, length).SequenceEqual(src.AsSpan(start - distance, length)), $"the match at {start} does not repeat");
                        bool maximal = start + length == src.Length - 5 || src[start + length] != src[start + length - distance];
                        Assert.True(maximal, $"the match at {start} (distance {distance}) stops at length {length} before the data differs");
                        longMatches += length >= 100 ? 1 : 0;
                    }
                }
            }
        }

        Assert.True(longMatches > 100, "the samples lost their long matches");
    }

    [Fact]
    public void CompressPairReportsEachBlockThatDoesNotFitAndNeverWritesPastIt()
    {
        byte[] a = FewValues(20_000, 3, 1);
        byte[] b = CodecSamples.SmoothFloat32(20_000, 2);
        var full = new byte[Lz4Block.MaxCompressedLength(20_000)];
        int needA = Lz4Block.Compress(a, full);
        int needB = Lz4Block.Compress(b, full);
        foreach (int roomA in new[] { 0, 3, needA / 2, needA - 1, needA })
        {
            foreach (int roomB in new[] { 1, needB - 1, needB })
            {
                var bufA = new byte[roomA + 32];
                var bufB = new byte[roomB + 32];
                bufA.AsSpan().Fill(0xA5);
                bufB.AsSpan().Fill(0x5A);
                var (gotA, gotB) = Lz4Block.CompressPair(a, bufA.AsSpan(0, roomA), b, bufB.AsSpan(0, roomB));
                Assert.All(bufA[roomA..], x => Assert.Equal(0xA5, x));
                Assert.All(bufB[roomB..], x => Assert.Equal(0x5A, x));
                Assert.Equal(roomA < needA ? 0 : needA, gotA);
                Assert.Equal(roomB < needB ? 0 : needB, gotB);
                if (gotA > 0)
                {
                    var back = new byte[a.Length];
                    Assert.Equal(a.Length, Lz4Block.Decompress(bufA.AsSpan(0, gotA), back));
                    Assert.True(a.AsSpan().SequenceEqual(back));
                }
            }
        }
    }

    [Fact]
    public void DecodesHandBuiltSequencesWithEveryShortDistanceAndLongLengths()
    {
        var rng = new Random(77);
        for (int round = 0; round < 300; round++)
        {
            var block = new SequenceWriter();
            int sequences = rng.Next(1, 12);
            for (int s = 0; s < sequences; s++)
            {
                int literals = rng.Next(4) switch { 0 => 0, 1 => rng.Next(1, 15), 2 => rng.Next(15, 40), _ => rng.Next(250, 800) };
                if (block.Expected.Count + literals == 0)
                {
                    literals = 1;
                }

                byte[] lit = CodecSamples.Random(literals, rng.Next());
                int distance = rng.Next(3) switch { 0 => rng.Next(1, 20), 1 => rng.Next(1, 70), _ => rng.Next(1, 65536) };
                distance = Math.Min(distance, block.Expected.Count + literals);
                int length = rng.Next(3) switch { 0 => rng.Next(4, 19), 1 => rng.Next(19, 300), _ => rng.Next(300, 3000) };
                block.Sequence(lit, distance, length);
            }

            block.Last(CodecSamples.Random(rng.Next(0, 40), rng.Next()));
            byte[] expected = block.Expected.ToArray();

            // Exact-size destination, with guard bytes behind it.
            var buffer = new byte[expected.Length + 32];
            buffer.AsSpan().Fill(0x5A);
            int got = Lz4Block.Decompress(block.Bytes.ToArray(), buffer.AsSpan(0, expected.Length));
            Assert.Equal(expected.Length, got);
            Assert.True(expected.AsSpan().SequenceEqual(buffer.AsSpan(0, got)), $"round {round}");
            Assert.All(buffer[expected.Length..], b => Assert.Equal(0x5A, b));

            // One byte too small must be reported, not truncated silently.
            if (expected.Length > 0)
            {
                Assert.Throws<CodecException>(() => Lz4Block.Decompress(block.Bytes.ToArray(), new byte[expected.Length - 1]));
            }
        }
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "empty input", [] },
        { "distance zero", [0x10, (byte)'a', 0x00, 0x00, 0x00] },
        { "distance before start", [0x10, (byte)'a', 0x02, 0x00, 0x00] },
        { "literals past the end", [0x50, 1, 2, 3] },
        { "literal length field cut", [0xF0, 255, 255] },
        { "distance cut", [0x10, (byte)'a', 0x01] },
        { "ends after a match", [0x10, (byte)'a', 0x01, 0x00] },
        { "match length field cut", [0x1F, (byte)'a', 0x01, 0x00, 255] },
        { "match longer than the output", [0x1F, (byte)'a', 0x01, 0x00, 255, 255, 255, 255, 10, 0x00] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RejectsMalformedBlocks(string what, byte[] block)
    {
        var ex = Assert.Throws<CodecException>(() => Lz4Block.Decompress(block, new byte[256]));
        Assert.True(ex.Codec == "lz4", $"{what}: reported by codec {ex.Codec}");
    }

    [Fact]
    public void DecodingRandomlyDamagedBlocksOnlyEverThrowsCodecExceptionAndStaysInsideTheDestination()
    {
        var frames = new List<byte[]>();
        foreach (string kind in CodecSamples.Kinds)
        {
            byte[] src = CodecSamples.Make(kind, 9000, 3);
            var dst = new byte[Lz4Block.MaxCompressedLength(src.Length)];
            frames.Add(dst.AsSpan(0, Lz4Block.Compress(src, dst)).ToArray());
        }

        CorruptionHarness.Run(frames, 3000, seed: 11, decode: block =>
        {
            var buffer = new byte[9000 + 64];
            buffer.AsSpan().Fill(0xC3);
            try
            {
                Lz4Block.Decompress(block, buffer.AsSpan(0, 9000));
            }
            finally
            {
                if (buffer.AsSpan(9000).IndexOfAnyExcept((byte)0xC3) >= 0)
                {
                    throw new InvalidOperationException("the decoder wrote past the end of its destination");
                }
            }
        });
    }

    /// <summary>The sequences of a block in order: literal count, match code (-1 for the closing literals) and distance (0 there).</summary>
    private static List<(long Literals, long MatchCode, int Distance)> Sequences(ReadOnlySpan<byte> block)
    {
        var sequences = new List<(long, long, int)>();
        int ip = 0;
        long ReadLength(ReadOnlySpan<byte> bytes, long nibble)
        {
            if (nibble == 15)
            {
                int b;
                do
                {
                    b = bytes[ip++];
                    nibble += b;
                }
                while (b == 255);
            }

            return nibble;
        }

        while (true)
        {
            int token = block[ip++];
            long literals = ReadLength(block, token >> 4);
            ip += (int)literals;
            if (ip == block.Length)
            {
                sequences.Add((literals, -1, 0));
                return sequences;
            }

            int distance = block[ip] | (block[ip + 1] << 8);
            ip += 2;
            sequences.Add((literals, ReadLength(block, token & 15), distance));
        }
    }

    /// <summary>The matches of a block: where each starts in the decoded data, its distance and its length.</summary>
    private static List<(int Start, int Distance, int Length)> Matches(byte[] block)
    {
        var matches = new List<(int, int, int)>();
        int produced = 0;
        foreach (var (literals, matchCode, distance) in Sequences(block))
        {
            produced += (int)literals;
            if (matchCode < 0)
            {
                break;
            }

            matches.Add((produced, distance, (int)matchCode + 4));
            produced += (int)matchCode + 4;
        }

        return matches;
    }

    /// <summary>
    /// Walks a block and checks the format's end rules the reference decoder relies on: the last
    /// sequence has at least min(n, 5) literals and no match starts in the last 12 bytes.
    /// </summary>
    private static void CheckEndConditions(ReadOnlySpan<byte> block, int n)
    {
        long produced = 0;
        long lastMatchStart = -1;
        foreach (var (literals, matchCode, _) in Sequences(block))
        {
            produced += literals;
            if (matchCode < 0)
            {
                Assert.True(literals >= Math.Min(n, 5), $"last sequence holds only {literals} literals");
                break;
            }

            lastMatchStart = produced;
            produced += matchCode + 4;
        }

        Assert.Equal(n, produced);
        if (lastMatchStart >= 0)
        {
            Assert.True(lastMatchStart <= n - 12, $"a match starts at {lastMatchStart} of {n}");
        }
    }

    /// <summary>Writes LZ4 sequences by hand and keeps the bytes they stand for.</summary>
    private sealed class SequenceWriter
    {
        public List<byte> Bytes { get; } = [];

        public List<byte> Expected { get; } = [];

        public void Sequence(byte[] literals, int distance, int matchLength)
        {
            int code = matchLength - 4;
            Bytes.Add((byte)((Math.Min(literals.Length, 15) << 4) | Math.Min(code, 15)));
            Length(literals.Length);
            Bytes.AddRange(literals);
            Expected.AddRange(literals);
            Bytes.Add((byte)distance);
            Bytes.Add((byte)(distance >> 8));
            Length(code);
            for (int i = 0; i < matchLength; i++)
            {
                Expected.Add(Expected[^distance]);
            }
        }

        public void Last(byte[] literals)
        {
            Bytes.Add((byte)(Math.Min(literals.Length, 15) << 4));
            Length(literals.Length);
            Bytes.AddRange(literals);
            Expected.AddRange(literals);
        }

        private void Length(int value)
        {
            if (value < 15)
            {
                return;
            }

            value -= 15;
            while (value >= 255)
            {
                Bytes.Add(255);
                value -= 255;
            }

            Bytes.Add((byte)value);
        }
    }
}
