using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.Codecs;

public class HuffmanDeflateTests
{
    private static byte[] NoisyFloats(int count, int seed = 5)
    {
        var r = new Random(seed);
        var v = Enumerable.Range(0, count).Select(i => 280f + 10f * MathF.Sin(i / 500f) + (float)(r.NextDouble() * 0.6)).ToArray();
        return MemoryMarshal.AsBytes(v.AsSpan()).ToArray();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    /// <summary>Byte k appears about 1.6^k times: an unlimited Huffman code would need more than 15 bits.</summary>
    private static byte[] Skewed(int length)
    {
        var weights = Enumerable.Range(0, 40).Select(k => Math.Pow(1.618, k)).ToArray();
        double total = weights.Sum();
        var r = new Random(11);
        var b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            double x = r.NextDouble() * total;
            int k = 0;
            while (k < weights.Length - 1 && x > weights[k])
            {
                x -= weights[k];
                k++;
            }

            b[i] = (byte)k;
        }

        // every one of the 40 symbols must occur, the rarest once
        for (int k = 0; k < 40; k++)
        {
            b[k] = (byte)k;
        }

        return b;
    }

    public static TheoryData<string> Inputs() => new(Cases.Keys);

    private static readonly Dictionary<string, byte[]> Cases = new()
    {
        ["empty"] = [],
        ["one byte"] = [42],
        ["two bytes"] = [1, 2],
        ["noisy floats, 1 MiB"] = NoisyFloats(1 << 18),
        ["noisy floats, one block and one byte"] = NoisyFloats(HuffmanDeflate.BlockLength / 4)[..(HuffmanDeflate.BlockLength - 3)].Concat(new byte[] { 7, 8, 9, 10 }).ToArray(),
        ["random bytes (stored blocks)"] = RandomBytes((3 * HuffmanDeflate.BlockLength) + 65535, 3),
        ["random bytes, 65,536"] = RandomBytes(65536, 4),
        ["all zero"] = new byte[300_000],
        ["one value"] = Enumerable.Repeat((byte)0xAB, 200_001).ToArray(),
        ["skewed (length-limited codes)"] = Skewed(500_000),
        ["mixed blocks"] = NoisyFloats(1 << 16).Concat(RandomBytes(200_000, 9)).Concat(new byte[150_000]).ToArray(),
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void StreamsInflateToTheInputWithinTheBound(string name)
    {
        var input = Cases[name];
        var dst = new byte[HuffmanDeflate.MaxCompressedLength(input.Length)];
        int n = HuffmanDeflate.CompressZlib(input, dst);
        Assert.InRange(n, 6, dst.Length - 8);
        Assert.Equal(input, ZlibCodec.Inflate(dst.AsSpan(0, n), "zlib"));
        Assert.Equal(HuffmanDeflate.Adler32(input), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(dst.AsSpan(n - 4)));
    }

    [Fact]
    public void NoisyFloatsShrinkLikeZlibLevelOneAndRandomBytesBarelyGrow()
    {
        var noisy = NoisyFloats(1 << 20);
        var dst = new byte[HuffmanDeflate.MaxCompressedLength(noisy.Length)];
        int n = HuffmanDeflate.CompressZlib(noisy, dst);
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(noisy);
        }

        // within 5% of zlib-ng's level 6 on this data, which LZ matching barely helps
        Assert.True(n < ms.Length * 1.05, $"literal coding gave {n} bytes, zlib level 6 {ms.Length}");
        Assert.True(n < noisy.Length * 0.85, $"literal coding gave {n} of {noisy.Length} bytes");

        var random = RandomBytes(1 << 20, 8);
        n = HuffmanDeflate.CompressZlib(random, new byte[HuffmanDeflate.MaxCompressedLength(random.Length)]);
        Assert.InRange(n, random.Length, random.Length + 200);
    }

    [Fact]
    public void Adler32MatchesTheDefinition()
    {
        foreach (int length in new[] { 0, 1, 7, 5551, 5552, 5553, 100_000 })
        {
            var data = RandomBytes(length, length);
            for (int i = 0; i < data.Length; i += 3)
            {
                data[i] = 255; // large bytes push the sums toward the overflow bound
            }

            uint a = 1, b = 0;
            foreach (byte x in data)
            {
                a = (a + x) % 65521;
                b = (b + a) % 65521;
            }

            Assert.Equal((b << 16) | a, HuffmanDeflate.Adler32(data));
        }
    }

    [Fact]
    public void CodeLengthsAreCompleteLimitedAndOptimalWhenTheLimitAllows()
    {
        var r = new Random(21);
        for (int round = 0; round < 2000; round++)
        {
            int symbols = r.Next(2, 300);
            int limit = round % 3 == 0 ? 7 : 15;
            symbols = Math.Min(symbols, limit == 7 ? 19 : 300);
            var freq = new uint[symbols];
            for (int i = 0; i < symbols; i++)
            {
                freq[i] = r.Next(4) == 0 ? 0u : (uint)(round % 2 == 0 ? r.Next(1, 1000) : Math.Min(int.MaxValue / 400, Math.Pow(1.7, r.Next(0, 40))));
            }

            var lengths = new byte[symbols];
            HuffmanLengths.Build(freq, lengths, limit);
            int used = freq.Count(f => f != 0);
            double kraft = lengths.Where(l => l != 0).Sum(l => Math.Pow(2, -l));
            Assert.Equal(1.0, kraft, 12);
            Assert.All(lengths, l => Assert.InRange(l, 0, limit));
            for (int i = 0; i < symbols; i++)
            {
                Assert.True(freq[i] == 0 || lengths[i] != 0, $"used symbol {i} has no code");
            }

            if (used >= 2)
            {
                Assert.Equal(symbols - used, lengths.Count(l => l == 0));
                long cost = Enumerable.Range(0, symbols).Sum(i => (long)freq[i] * lengths[i]);
                long optimal = OptimalCost(freq.Where(f => f != 0));
                Assert.True(cost >= optimal, "cheaper than Huffman is impossible");
                if (lengths.Max() < limit)
                {
                    Assert.Equal(optimal, cost); // no length was limited, so the code is a Huffman code
                }
            }
        }
    }

    [Fact]
    public void CanonicalCodesArePrefixFree()
    {
        var freq = Skewed(100_000).GroupBy(b => b).ToDictionary(g => (int)g.Key, g => (uint)g.Count());
        var f = Enumerable.Range(0, 257).Select(i => freq.GetValueOrDefault(i)).ToArray();
        f[256] = 1;
        var lengths = new byte[257];
        HuffmanLengths.Build(f, lengths, 15);
        Assert.Equal(15, lengths.Max());
        var codes = new ushort[257];
        HuffmanLengths.Codes(lengths, codes);
        var words = Enumerable.Range(0, 257).Where(i => lengths[i] != 0)
            .Select(i => new string(Enumerable.Range(0, lengths[i]).Select(b => ((codes[i] >> b) & 1) == 1 ? '1' : '0').ToArray()))
            .ToList();
        foreach (var a in words)
        {
            Assert.DoesNotContain(words, b => !ReferenceEquals(a, b) && b.StartsWith(a, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void PythonsZlibInflatesEveryCase()
    {
        using var dir = new TempDir();
        var names = Cases.Keys.ToList();
        for (int i = 0; i < names.Count; i++)
        {
            var input = Cases[names[i]];
            var dst = new byte[HuffmanDeflate.MaxCompressedLength(input.Length)];
            int n = HuffmanDeflate.CompressZlib(input, dst);
            File.WriteAllBytes(dir.Sub($"{i}.raw"), input);
            File.WriteAllBytes(dir.Sub($"{i}.z"), dst[..n]);
        }

        var output = ReferenceTools.RunPython("""
            import sys, zlib
            d, n = sys.argv[1], int(sys.argv[2])
            for i in range(n):
                raw = open(f"{d}/{i}.raw", "rb").read()
                assert zlib.decompress(open(f"{d}/{i}.z", "rb").read()) == raw, i
            print("ok", n)
            """, dir.Path, names.Count.ToString(CultureInfo.InvariantCulture));
        Assert.Contains($"ok {names.Count}", output);
    }

    private static long OptimalCost(IEnumerable<uint> weights)
    {
        var queue = new PriorityQueue<long, long>();
        foreach (var w in weights)
        {
            queue.Enqueue(w, w);
        }

        long cost = 0;
        while (queue.Count > 1)
        {
            long a = queue.Dequeue(), b = queue.Dequeue();
            cost += a + b;
            queue.Enqueue(a + b, a + b);
        }

        return cost;
    }
}
