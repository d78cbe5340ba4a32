using System.Buffers.Binary;
using System.Diagnostics;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.Codecs;

public class BloscCodecTests
{
    private static readonly int[] Sizes = [0, 1, 3, 7, 127, 128, 129, 1000, 4099, 65541, 200_003];

    private static readonly int[] TypeSizes = [1, 2, 3, 4, 8];

    public static TheoryData<string, BloscShuffle> WritableConfigurations()
    {
        var data = new TheoryData<string, BloscShuffle>();
        foreach (string cname in new[] { "lz4", "zlib", "zstd" })
        {
            foreach (BloscShuffle shuffle in Enum.GetValues<BloscShuffle>())
            {
                data.Add(cname, shuffle);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WritableConfigurations))]
    public void RoundTripsEveryKindSizeTypesizeAndBlocksize(string cname, BloscShuffle shuffle)
    {
        int cases = 0;
        foreach (int typesize in TypeSizes)
        {
            foreach (int n in Sizes)
            {
                foreach (string kind in CodecSamples.Kinds)
                {
                    byte[] data = CodecSamples.Make(kind, n, n + typesize);
                    foreach (int blocksize in new[] { 0, 4096, 16384 })
                    {
                        int clevel = (cases % 3) switch { 0 => 5, 1 => 1, _ => cname == "zstd" && n > 5000 ? 4 : 9 };
                        var codec = new BloscCodec(cname, clevel, shuffle, typesize, blocksize);
                        CheckRoundTrip(codec, data, $"{kind}, {n} bytes, typesize {typesize}, blocksize {blocksize}, clevel {clevel}");
                        cases++;
                    }
                }
            }
        }

        // A multi-block chunk of the kind the engine writes most: 1 MiB-plus of float32, auto block size.
        byte[] big = CodecSamples.SmoothFloat32((1 << 20) + 12, 4);
        CheckRoundTrip(new BloscCodec(cname, 5, shuffle, 4), big, "1 MiB smooth float32");
    }

    private static void CheckRoundTrip(BloscCodec codec, byte[] data, string what)
    {
        byte[] frame = codec.Encode(data);
        var header = BloscHeader.Parse(frame);
        Assert.Equal(2, header.Version);
        Assert.Equal(data.Length, header.Nbytes);
        Assert.Equal(frame.Length, header.Cbytes);
        Assert.True(frame.Length <= data.Length + BloscCodec.HeaderSize, $"{what}: frame of {frame.Length} bytes exceeds the input plus header");
        Assert.Equal(codec.Cname switch { "lz4" => 1, "zlib" => 3, _ => 4 }, header.Compressor);
        Assert.Equal(codec.TypeSize > 255 ? 1 : codec.TypeSize, header.Typesize);
        if (codec.CLevel == 0 || data.Length < 128)
        {
            Assert.True(header.Memcpyed, $"{what}: expected a memcpyed frame");
        }

        if (!header.Memcpyed && data.Length > 0)
        {
            Assert.Equal(0, header.Blocksize % Math.Min(header.Typesize, header.Blocksize));
        }

        byte[] back = codec.Decode(frame);
        Assert.True(data.AsSpan().SequenceEqual(back), $"{what}: round trip differs");
    }

    [Fact]
    public void Lz4BlockPairsRoundTripWithEveryMixOfStoredAndCompressedStreams()
    {
        // LZ4 frames compress their blocks two at a time: one block's streams go straight to the
        // output, the other's wait in reserved space and move down behind it. Mix blocks of noise
        // (streams stored raw), smooth floats (compressed) and zeros, in odd and even counts, with
        // and without a short last block, and with a nearly incompressible tail that leaves no
        // room to reserve (the last blocks then go one at a time).
        const int blocksize = 16384;
        var rng = new Random(11);
        var records = new List<(int Kind, byte[] Original, byte[] Frame)>();
        foreach (int blocks in new[] { 2, 3, 4, 7, 8 })
        {
            foreach (int tail in new[] { 0, 100, 4000 })
            {
                foreach (BloscShuffle shuffle in new[] { BloscShuffle.Shuffle, BloscShuffle.NoShuffle, BloscShuffle.BitShuffle })
                {
                    int n = (blocks * blocksize) + tail;
                    byte[] data = new byte[n];
                    for (int j = 0; j * blocksize < n; j++)
                    {
                        int len = Math.Min(blocksize, n - (j * blocksize));
                        string kind = rng.Next(3) switch { 0 => "random", 1 => "smooth", _ => "zero" };
                        CodecSamples.Make(kind, len, rng.Next()).CopyTo(data, j * blocksize);
                    }

                    var codec = new BloscCodec("lz4", 5, shuffle, 4, blocksize);
                    CheckRoundTrip(codec, data, $"{blocks} blocks + {tail}, {shuffle}");
                    records.Add((0, data, codec.Encode(data)));
                }
            }
        }

        // noise except one compressible block: pairs are tried until the reserve no longer fits
        byte[] noisy = CodecSamples.Random(6 * blocksize, 3);
        CodecSamples.SmoothFloat32(blocksize, 4).CopyTo(noisy, 0);
        var lz4 = new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 4, blocksize);
        CheckRoundTrip(lz4, noisy, "noise after one smooth block");
        records.Add((0, noisy, lz4.Encode(noisy)));
        byte[] noise = CodecSamples.Random(6 * blocksize, 5);
        CheckRoundTrip(lz4, noise, "noise only");
        Assert.True(BloscHeader.Parse(lz4.Encode(noise)).Memcpyed, "noise should end as a plain copy");
        NumcodecsCheck.Decodes(records);
    }

    [Fact]
    public void PlanesThatStopBeingNoiseAreCompressedAgain()
    {
        // After a block pair whose streams were all stored raw, LZ4 probes those planes with a wide
        // stride; a masked region (here zeros) that follows must still compress to almost nothing,
        // and noise again after it must still round-trip.
        const int blocksize = 16384;
        byte[] data = new byte[10 * blocksize];
        CodecSamples.Random(2 * blocksize, 8).CopyTo(data, 0);
        var codec = new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 4, blocksize);
        byte[] frame = codec.Encode(data.AsSpan(0, 8 * blocksize).ToArray());
        Assert.False(BloscHeader.Parse(frame).Memcpyed);
        Assert.True(frame.Length < (2 * blocksize) + 2000, $"six blocks of zeros after two of noise took {frame.Length - (2 * blocksize)} bytes");

        CodecSamples.Random(2 * blocksize, 9).CopyTo(data, 8 * blocksize);
        CheckRoundTrip(codec, data, "noise, zeros, noise");
        NumcodecsCheck.Decodes([(0, data, codec.Encode(data))]);
    }

    [Fact]
    public void LevelZeroWritesAMemcpyedFrame()
    {
        byte[] data = CodecSamples.SmoothFloat32(100_000, 1);
        var codec = new BloscCodec("lz4", 0, BloscShuffle.Shuffle, 4);
        byte[] frame = codec.Encode(data);
        var header = BloscHeader.Parse(frame);
        Assert.True(header.Memcpyed);
        Assert.Equal(data.Length + BloscCodec.HeaderSize, frame.Length);
        Assert.True(data.AsSpan().SequenceEqual(frame.AsSpan(BloscCodec.HeaderSize)));
        Assert.True(data.AsSpan().SequenceEqual(codec.Decode(frame)));
    }

    [Fact]
    public void IncompressibleDataFallsBackToACopyAndSmoothDataCompresses()
    {
        foreach (string cname in new[] { "lz4", "zlib", "zstd" })
        {
            byte[] noise = CodecSamples.Random(300_000, 3);
            byte[] frame = new BloscCodec(cname, 5, BloscShuffle.Shuffle, 4).Encode(noise);
            Assert.True(frame.Length <= noise.Length + BloscCodec.HeaderSize);

            byte[] smooth = CodecSamples.SmoothFloat32(300_000, 3);
            byte[] packed = new BloscCodec(cname, 5, BloscShuffle.Shuffle, 4).Encode(smooth);
            Assert.True(packed.Length < smooth.Length * 2 / 3, $"{cname}: smooth float32 only shrank to {packed.Length} of {smooth.Length}");
            Assert.False(BloscHeader.Parse(packed).Memcpyed);
        }
    }

    [Fact]
    public void SplitFlagFollowsTheCodecAndBlockShape()
    {
        byte[] smooth = CodecSamples.SmoothFloat32(200_000, 8);

        // lz4 and zlib split blocks into one stream per byte plane; zstd never splits.
        Assert.False(BloscHeader.Parse(new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 4).Encode(smooth)).DontSplit);
        Assert.False(BloscHeader.Parse(new BloscCodec("zlib", 5, BloscShuffle.Shuffle, 4).Encode(smooth)).DontSplit);
        Assert.True(BloscHeader.Parse(new BloscCodec("zstd", 5, BloscShuffle.Shuffle, 4).Encode(smooth)).DontSplit);

        // More than 16 bytes per element, or fewer than 128 elements per block: no split.
        Assert.True(BloscHeader.Parse(new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 20).Encode(smooth)).DontSplit);
        Assert.True(BloscHeader.Parse(new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 8, 512).Encode(smooth)).DontSplit);
    }

    [Fact]
    public void TypesizeAbove255ActsAsOne()
    {
        byte[] data = CodecSamples.SmoothFloat32(10_000, 2);
        var codec = new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 300);
        byte[] frame = codec.Encode(data);
        Assert.Equal(1, BloscHeader.Parse(frame).Typesize);
        Assert.True(data.AsSpan().SequenceEqual(codec.Decode(frame)));
    }

    [Theory]
    [InlineData("blosclz")]
    [InlineData("lz4hc")]
    [InlineData("snappy")]
    public void EncodingWithAReadOnlyCnameSaysWhichCnamesCanBeWritten(string cname)
    {
        var codec = new BloscCodec(cname, 5, BloscShuffle.Shuffle, 4);
        var ex = Assert.Throws<CodecException>(() => codec.Encode(new byte[1000]));
        Assert.Equal(ErrorKind.NotSupported, ex.Kind);
        Assert.Contains(cname, ex.Message);
        Assert.Contains("lz4, zlib and zstd", ex.Message);
    }

    [Fact]
    public void ConstructorRejectsNonsense()
    {
        Assert.Throws<ArgumentException>(() => new BloscCodec("brotli", 5, BloscShuffle.Shuffle, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BloscCodec("lz4", 10, BloscShuffle.Shuffle, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BloscCodec("lz4", -1, BloscShuffle.Shuffle, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BloscCodec("lz4", 5, (BloscShuffle)7, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 4, -1));
    }

    [Fact]
    public void SnappyFramesAreReportedAsUnsupported()
    {
        byte[] frame = new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 4).Encode(CodecSamples.SmoothFloat32(50_000, 1));
        frame[2] = (byte)((frame[2] & 0x1F) | (2 << 5));
        var ex = Assert.Throws<CodecException>(() => new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 4).Decode(frame));
        Assert.Contains("snappy is not supported", ex.Message);
        Assert.Equal(ErrorKind.NotSupported, ex.Kind);
    }

    [Fact]
    public void BytesAfterTheFrameAreIgnoredAsInCBlosc()
    {
        byte[] data = CodecSamples.SmoothFloat32(30_000, 6);
        var codec = new BloscCodec("zstd", 3, BloscShuffle.Shuffle, 4);
        byte[] frame = codec.Encode(data);
        byte[] padded = [.. frame, 1, 2, 3, 4, 5];
        Assert.True(data.AsSpan().SequenceEqual(codec.Decode(padded)));
    }

    public static TheoryData<string> HeaderDamage => new()
    {
        "short", "version", "cbytes-too-large", "cbytes-too-small", "negative-nbytes", "reserved-flag", "typesize-zero",
        "blocksize-zero", "blocksize-beyond-nbytes", "memcpyed-size", "block-start-outside", "stream-length-outside", "inner-version",
        "unknown-compressor", "bad-stream-content",
    };

    [Theory]
    [MemberData(nameof(HeaderDamage))]
    public void RejectsDamagedHeadersAndOffsetsWithCodecException(string damage)
    {
        var codec = new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 4, 4096);
        byte[] data = CodecSamples.SmoothFloat32(20_000, 2);
        byte[] frame = codec.Encode(data);
        Assert.False(BloscHeader.Parse(frame).Memcpyed);
        int firstStart = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(16));
        switch (damage)
        {
            case "short": frame = frame[..15]; break;
            case "version": frame[0] = 3; break;
            case "cbytes-too-large": BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(12), frame.Length + 1); break;
            case "cbytes-too-small": BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(12), 15); break;
            case "negative-nbytes": BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), -5); break;
            case "reserved-flag": frame[2] |= 0x08; break;
            case "typesize-zero": frame[3] = 0; break;
            case "blocksize-zero": BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(8), 0); break;
            case "blocksize-beyond-nbytes": BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(8), data.Length + 4); break;
            case "memcpyed-size": frame[2] |= 0x02; break;
            case "block-start-outside": BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(20), frame.Length - 2); break;
            case "stream-length-outside": BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(firstStart), frame.Length); break;
            case "inner-version": frame[1] = 2; break;
            case "unknown-compressor": frame[2] = (byte)((frame[2] & 0x1F) | (6 << 5)); break;
            case "bad-stream-content": frame.AsSpan(FirstCompressedStream(frame, firstStart), 8).Fill(0xFF); break;
            default: throw new ArgumentException(damage);
        }

        var ex = Assert.Throws<CodecException>(() => codec.Decode(frame));
        Assert.Equal("blosc", ex.Codec);
    }

    /// <summary>Data offset of the first stream of block 0 that is not stored raw (4 streams of 1024 bytes here).</summary>
    private static int FirstCompressedStream(byte[] frame, int at)
    {
        for (int k = 0; k < 4; k++)
        {
            int csize = BinaryPrimitives.ReadInt32LittleEndian(frame.AsSpan(at));
            if (csize != 1024)
            {
                return at + 4;
            }

            at += 4 + csize;
        }

        throw new InvalidOperationException("every stream of block 0 is raw");
    }

    [Fact]
    public void DecodingRandomlyDamagedOwnFramesOnlyEverThrowsCodecException()
    {
        var frames = new List<byte[]>();
        foreach (string cname in new[] { "lz4", "zlib", "zstd" })
        {
            foreach (BloscShuffle shuffle in Enum.GetValues<BloscShuffle>())
            {
                frames.Add(new BloscCodec(cname, 5, shuffle, 4, 4096).Encode(CodecSamples.Make("mixed", 18_003, 4)));
            }
        }

        var codec = new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 4);
        CorruptionHarness.Run(frames, 3000, seed: 21, decode: f => codec.Decode(f));
    }
}

/// <summary>The 16-byte Blosc1 header, read independently of the codec under test.</summary>
internal readonly record struct BloscHeader(int Version, int VersionLz, int Flags, int Typesize, int Nbytes, int Blocksize, int Cbytes)
{
    public bool Memcpyed => (Flags & 0x02) != 0;

    public bool DontSplit => (Flags & 0x10) != 0;

    public int Compressor => Flags >> 5;

    public static BloscHeader Parse(ReadOnlySpan<byte> frame) => new(
        frame[0], frame[1], frame[2], frame[3],
        BinaryPrimitives.ReadInt32LittleEndian(frame[4..]),
        BinaryPrimitives.ReadInt32LittleEndian(frame[8..]),
        BinaryPrimitives.ReadInt32LittleEndian(frame[12..]));

    /// <summary>Number of streams stored raw (length equal to their uncompressed size), by c-blosc's split rule.</summary>
    public static int CountRawStreams(ReadOnlySpan<byte> frame)
    {
        var h = Parse(frame);
        if (h.Memcpyed || h.Nbytes == 0)
        {
            return 0;
        }

        int nblocks = (h.Nbytes + h.Blocksize - 1) / h.Blocksize;
        int raw = 0;
        for (int j = 0; j < nblocks; j++)
        {
            bool leftover = j == nblocks - 1 && h.Nbytes % h.Blocksize != 0;
            int bsize = leftover ? h.Nbytes % h.Blocksize : h.Blocksize;
            int nsplits = !h.DontSplit && h.Typesize <= 16 && bsize / h.Typesize >= 128 && !leftover ? h.Typesize : 1;
            int at = BinaryPrimitives.ReadInt32LittleEndian(frame[(16 + (4 * j))..]);
            for (int k = 0; k < nsplits; k++)
            {
                int csize = BinaryPrimitives.ReadInt32LittleEndian(frame[at..]);
                raw += csize == bsize / nsplits ? 1 : 0;
                at += 4 + csize;
            }
        }

        return raw;
    }
}

/// <summary>Deterministic sample data.</summary>
internal static class CodecSamples
{
    public static readonly string[] Kinds = ["random", "zero", "smooth", "mixed"];

    public static byte[] Make(string kind, int n, int seed) => kind switch
    {
        "random" => Random(n, seed),
        "zero" => new byte[n],
        "smooth" => SmoothFloat32(n, seed),
        "mixed" => Mixed(n, seed),
        _ => throw new ArgumentException(kind),
    };

    public static byte[] Random(int n, int seed)
    {
        var bytes = new byte[n];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A climate-like float32 field (smooth in two directions plus a little noise), cut to <paramref name="n"/> bytes.</summary>
    public static byte[] SmoothFloat32(int n, int seed)
    {
        var rng = new Random(seed);
        var values = new float[(n + 3) / 4];
        const int width = 360;
        for (int i = 0; i < values.Length; i++)
        {
            int x = i % width;
            int y = i / width;
            values[i] = 273.15f + (20f * MathF.Sin(x * 0.0174f)) + (8f * MathF.Cos(y * 0.031f)) + (0.01f * (float)rng.NextDouble());
        }

        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes[..n];
    }

    /// <summary>Smooth float32 with stretches of noise and of zeros.</summary>
    public static byte[] Mixed(int n, int seed)
    {
        byte[] bytes = SmoothFloat32(n, seed);
        var rng = new Random(seed + 1);
        for (int at = 0; at < n; at += 6000)
        {
            int len = Math.Min(rng.Next(200, 2000), n - at);
            if (rng.Next(2) == 0)
            {
                rng.NextBytes(bytes.AsSpan(at, len));
            }
            else
            {
                bytes.AsSpan(at, len).Clear();
            }
        }

        return bytes;
    }
}

/// <summary>
/// Decodes thousands of damaged copies of valid frames (bit flips, truncations, overwritten runs,
/// garbage appended) and fails on any exception other than <see cref="CodecException"/> or when the
/// whole loop does not finish in time.
/// </summary>
internal static class CorruptionHarness
{
    public static void Run(IReadOnlyList<byte[]> frames, int cases, int seed, Action<byte[]> decode, int timeLimitSeconds = 20)
    {
        var failures = new List<string>();
        int rejected = 0;
        var work = Task.Run(() =>
        {
            var rng = new Random(seed);
            for (int c = 0; c < cases; c++)
            {
                byte[] original = frames[c % frames.Count];
                byte[] damaged = Damage(original, rng, out string how);
                try
                {
                    decode(damaged);
                }
                catch (CodecException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    failures.Add($"case {c} ({how}): {e.GetType().Name}: {e.Message}");
                }
            }
        });

        var clock = Stopwatch.StartNew();
        bool finished = work.Wait(TimeSpan.FromSeconds(timeLimitSeconds));
        Assert.True(finished, $"decoding {cases} damaged frames did not finish within {timeLimitSeconds} s (hang?)");
        Assert.True(failures.Count == 0, $"{failures.Count} damaged frames raised the wrong exception:\n" + string.Join("\n", failures.Take(10)));

        // The damage must actually be detected most of the time (a decoder that ignores its input would not be).
        Assert.True(rejected > cases / 4, $"only {rejected} of {cases} damaged frames were rejected (in {clock.Elapsed.TotalSeconds:F1} s)");
    }

    private static byte[] Damage(byte[] original, Random rng, out string how)
    {
        byte[] frame = (byte[])original.Clone();
        switch (rng.Next(10))
        {
            case < 5:
            {
                int flips = rng.Next(1, 4);
                how = $"{flips} bit flips";
                for (int i = 0; i < flips && frame.Length > 0; i++)
                {
                    // Half of the flips land in the first 64 bytes, where headers and offsets live.
                    int at = rng.Next(2) == 0 ? rng.Next(Math.Min(64, frame.Length)) : rng.Next(frame.Length);
                    frame[at] ^= (byte)(1 << rng.Next(8));
                }

                return frame;
            }

            case < 8:
            {
                int keep = rng.Next(frame.Length);
                how = $"truncated to {keep}";
                return frame[..keep];
            }

            case 8:
            {
                int at = rng.Next(frame.Length);
                int len = Math.Min(rng.Next(1, 16), frame.Length - at);
                how = $"{len} random bytes at {at}";
                rng.NextBytes(frame.AsSpan(at, len));
                return frame;
            }

            default:
            {
                how = "garbage appended and a length field flipped";
                byte[] longer = [.. frame, .. CodecSamples.Random(rng.Next(1, 100), rng.Next())];
                int at = rng.Next(Math.Min(16, longer.Length));
                longer[at] ^= (byte)(1 << rng.Next(8));
                return longer;
            }
        }
    }
}

/// <summary>Blosc frames exchanged with numcodecs 0.11 (c-blosc 1.21), in both directions.</summary>
public class BloscInteropTests
{
    private const string EncodeScript = """
        import os, struct, sys
        import numpy as np
        from numcodecs import Blosc
        folder = sys.argv[1]
        with open(os.path.join(folder, 'input.bin'), 'rb') as f:
            data = f.read()
        count = 0
        with open(os.path.join(folder, 'frames.bin'), 'wb') as out, open(os.path.join(folder, 'cases.txt')) as cases:
            for line in cases:
                cname, clevel, shuffle, typesize, blocksize, offset, nbytes = line.split()
                typesize, offset, nbytes = int(typesize), int(offset), int(nbytes)
                arr = np.frombuffer(data[offset:offset + nbytes], dtype='u1')
                if typesize > 1:
                    arr = arr.view('u%d' % typesize)
                codec = Blosc(cname=cname, clevel=int(clevel), shuffle=int(shuffle), blocksize=int(blocksize))
                frame = codec.encode(arr)
                out.write(struct.pack('<I', len(frame)))
                out.write(frame)
                count += 1
        print('encoded', count)
        """;

    private sealed record Case(string Cname, int Clevel, int Shuffle, int Typesize, int Blocksize, string Kind, int Nbytes);

    [Fact]
    public void DecodesEveryFrameKindNumcodecsWrites()
    {
        var cases = new List<Case>();
        string[] cnames = ["blosclz", "lz4", "lz4hc", "zlib", "zstd"];
        int rotate = 0;
        foreach (string cname in cnames)
        {
            foreach (int shuffle in new[] { 0, 1, 2 })
            {
                foreach (int typesize in new[] { 1, 2, 4, 8 })
                {
                    foreach (int elements in new[] { 0, 1, 33, 1000, 40_001 })
                    {
                        foreach (int blocksize in new[] { 0, 4096, 16384 })
                        {
                            string kind = CodecSamples.Kinds[rotate++ % CodecSamples.Kinds.Length];
                            cases.Add(new(cname, 5, shuffle, typesize, blocksize, kind, elements * typesize));
                        }
                    }

                    foreach (int elements in new[] { 1000, 40_001 })
                    {
                        cases.Add(new(cname, 0, shuffle, typesize, 0, "smooth", elements * typesize));
                    }

                    cases.Add(new(cname, 1, shuffle, typesize, 0, "mixed", 5003 * typesize));
                    cases.Add(new(cname, 9, shuffle, typesize, 0, "smooth", 5003 * typesize));

                    // Larger than one automatic block, with a short last block.
                    cases.Add(new(cname, 5, shuffle, typesize, 0, "mixed", 300_001 * typesize));
                }
            }
        }

        using var dir = new TempDir();
        int largest = cases.Max(c => c.Nbytes);
        var inputs = CodecSamples.Kinds.ToDictionary(k => k, k => CodecSamples.Make(k, largest, 99));
        var offsets = new Dictionary<string, int>();
        using (var input = File.Create(dir.Sub("input.bin")))
        {
            foreach (string kind in CodecSamples.Kinds)
            {
                offsets[kind] = (int)input.Position;
                input.Write(inputs[kind]);
            }
        }

        File.WriteAllLines(dir.Sub("cases.txt"), cases.Select(c =>
            $"{c.Cname} {c.Clevel} {c.Shuffle} {c.Typesize} {c.Blocksize} {offsets[c.Kind]} {c.Nbytes}"));
        string output = ReferenceTools.RunPython(EncodeScript, dir.Path);
        Assert.Contains($"encoded {cases.Count}", output);

        byte[] frames = File.ReadAllBytes(dir.Sub("frames.bin"));
        var decoder = new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 1);
        int at = 0;
        int split = 0, unsplit = 0, memcpyed = 0, leftover = 0, rawStreams = 0, partialBitshuffle = 0;
        var compressors = new HashSet<int>();
        foreach (Case c in cases)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(frames.AsSpan(at));
            byte[] frame = frames.AsSpan(at + 4, length).ToArray();
            at += 4 + length;

            byte[] decoded = decoder.Decode(frame);
            Assert.True(inputs[c.Kind].AsSpan(0, c.Nbytes).SequenceEqual(decoded), $"numcodecs frame differs after decoding: {c}");

            var h = BloscHeader.Parse(frame);
            if (h.Memcpyed || h.Nbytes == 0)
            {
                memcpyed += h.Memcpyed ? 1 : 0;
                continue;
            }

            compressors.Add(h.Compressor);
            if (h.Typesize > 1)
            {
                split += h.DontSplit ? 0 : 1;
                unsplit += h.DontSplit ? 1 : 0;
            }

            bool hasLeftover = h.Nbytes % h.Blocksize != 0;
            leftover += hasLeftover && h.Nbytes > h.Blocksize ? 1 : 0;
            rawStreams += BloscHeader.CountRawStreams(frame);
            if ((h.Flags & 0x04) != 0 && hasLeftover && (h.Nbytes % h.Blocksize / h.Typesize) % 8 != 0)
            {
                partialBitshuffle++;
            }
        }

        Assert.Equal(frames.Length, at);

        // The corpus really exercises the cases the decoder distinguishes.
        Assert.Equal([0, 1, 3, 4], compressors.Order());
        Assert.True(split > 0 && unsplit > 0, $"split {split}, unsplit {unsplit}");
        Assert.True(memcpyed > 0, "no memcpyed frames");
        Assert.True(leftover > 0, "no multi-block frames with a short last block");
        Assert.True(rawStreams > 0, "no raw streams");
        Assert.True(partialBitshuffle > 0, "no bit-shuffled short blocks with a partial group of 8 elements");
    }

    [Fact]
    public void NumcodecsDecodesOurFrames()
    {
        var records = new List<(int Kind, byte[] Original, byte[] Frame)>();
        int rotate = 0;
        foreach (string cname in new[] { "lz4", "zlib", "zstd" })
        {
            foreach (BloscShuffle shuffle in Enum.GetValues<BloscShuffle>())
            {
                foreach (int typesize in new[] { 1, 2, 3, 4, 8 })
                {
                    // numcodecs 0.11 cannot decode empty frames at all (not even its own), so sizes start at 1.
                    foreach (int n in new[] { 1, 5, 127, 128, 1001, 4097, 40_003, 300_001 })
                    {
                        foreach (int blocksize in new[] { 0, 4096 })
                        {
                            string kind = CodecSamples.Kinds[rotate++ % CodecSamples.Kinds.Length];
                            int clevel = n == 1001 ? 0 : n == 4097 ? 9 : n == 127 ? 1 : 5;
                            byte[] data = CodecSamples.Make(kind, n, n + typesize);
                            records.Add((0, data, new BloscCodec(cname, clevel, shuffle, typesize, blocksize).Encode(data)));
                        }
                    }
                }
            }
        }

        NumcodecsCheck.Decodes(records);
    }

    [Fact]
    public void DecodingDamagedNumcodecsFramesOfEveryInnerCodecOnlyEverThrowsCodecException()
    {
        const string script = """
            import struct, sys
            import numpy as np
            from numcodecs import Blosc
            data = (np.arange(6000) // 7 + 273).astype('f4')
            data[2000:2600] = np.frombuffer(np.random.default_rng(5).bytes(2400), dtype='f4')
            with open(sys.argv[1], 'wb') as out:
                for cname in ['blosclz', 'lz4', 'lz4hc', 'zlib', 'zstd']:
                    for shuffle in [0, 1, 2]:
                        frame = Blosc(cname=cname, clevel=5, shuffle=shuffle, blocksize=4096).encode(data)
                        out.write(struct.pack('<I', len(frame)))
                        out.write(frame)
            print('done')
            """;
        using var dir = new TempDir();
        ReferenceTools.RunPython(script, dir.Sub("frames.bin"));
        byte[] all = File.ReadAllBytes(dir.Sub("frames.bin"));
        var byCodec = new List<byte[]>[5];
        int at = 0;
        for (int i = 0; i < 15; i++)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(all.AsSpan(at));
            (byCodec[i / 3] ??= []).Add(all.AsSpan(at + 4, length).ToArray());
            at += 4 + length;
        }

        var codec = new BloscCodec("lz4", 5, BloscShuffle.Shuffle, 4);
        for (int c = 0; c < byCodec.Length; c++)
        {
            Assert.All(byCodec[c], f => Assert.False(BloscHeader.Parse(f).Memcpyed));
            CorruptionHarness.Run(byCodec[c], 3000, seed: 100 + c, decode: f => codec.Decode(f));
        }
    }
}
