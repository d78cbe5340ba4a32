using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Tests.Codecs;

public class ZstdCodecTests
{
    private static readonly int[] Sizes = [0, 1, 7, 1000, 65537, 400_003];

    [Fact]
    public void RoundTripsAtManyLevelsWithAndWithoutChecksum()
    {
        foreach (int level in new[] { -5, 0, 1, 3, 9, 19 })
        {
            foreach (bool checksum in new[] { false, true })
            {
                var codec = new ZstdCodec(level, checksum);
                foreach (string kind in CodecSamples.Kinds)
                {
                    foreach (int n in Sizes)
                    {
                        if (level >= 19 && n > 70_000)
                        {
                            continue; // the slowest levels only on small inputs, to keep the run short
                        }

                        byte[] data = CodecSamples.Make(kind, n, n + level);
                        byte[] frame = codec.Encode(data);

                        // Frame header descriptor: bit 2 is the content checksum flag.
                        Assert.Equal(checksum, (frame[4] & 0x04) != 0);
                        Assert.True(data.AsSpan().SequenceEqual(codec.Decode(frame)), $"{kind}, {n} bytes, level {level}, checksum {checksum}");

                        // the span form (the write path's pooled buffers) writes the same frame
                        var pooled = new byte[codec.MaxEncodedLength(n) + 8];
                        int written = codec.Encode(data, pooled);
                        Assert.True(frame.AsSpan().SequenceEqual(pooled.AsSpan(0, written)), $"{kind}, {n} bytes, level {level}: span and array encodings differ");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task AFrameThatDoesNotFitLeavesTheThreadReadyForTheNext()
    {
        // Each thread reuses one libzstd context; a frame that fails half-way must not spoil the
        // next frame's parameters or bytes. Compare with frames made on a thread that saw no failure.
        byte[] noise = CodecSamples.Random(200_000, 5);
        byte[] smooth = CodecSamples.SmoothFloat32(200_000, 5);
        byte[] expectedPlain = await Task.Run(() => new ZstdCodec(7).Encode(smooth));
        byte[] expectedSummed = await Task.Run(() => new ZstdCodec(2, checksum: true).Encode(smooth));

        var ex = Assert.Throws<CodecException>(() => ZstdNative.Compress(noise, new byte[1000], 7, checksum: true));
        Assert.Equal("zstd", ex.Codec);
        Assert.Equal(expectedPlain, new ZstdCodec(7).Encode(smooth));
        Assert.Throws<CodecException>(() => ZstdNative.Compress(noise, new byte[1000], 1, checksum: false));
        Assert.Equal(expectedSummed, new ZstdCodec(2, checksum: true).Encode(smooth));
        Assert.True(smooth.AsSpan().SequenceEqual(new ZstdCodec(2).Decode(expectedSummed)));
    }

    [Fact]
    public void ChecksumCatchesDamageThatOtherwiseGoesUnnoticed()
    {
        // Incompressible data is stored in raw blocks, so a flipped bit in the middle changes content only.
        byte[] data = CodecSamples.Random(50_000, 12);
        byte[] plain = new ZstdCodec(3).Encode(data);
        byte[] summed = new ZstdCodec(3, checksum: true).Encode(data);
        plain[plain.Length / 2] ^= 0x10;
        summed[summed.Length / 2] ^= 0x10;

        byte[] wrong = new ZstdCodec(3).Decode(plain);
        Assert.False(data.AsSpan().SequenceEqual(wrong));
        var ex = Assert.Throws<CodecException>(() => new ZstdCodec(3).Decode(summed));
        Assert.Equal("zstd", ex.Codec);
    }

    [Fact]
    public void DecodesFramesWithoutAContentSizeAndConcatenatedFrames()
    {
        // A hand-made frame: no content size, 128 KiB window, a raw block, an RLE block and a last raw block.
        byte[] part1 = CodecSamples.Random(100_000, 1);
        byte[] part3 = CodecSamples.Random(777, 2);
        var frame = new List<byte> { 0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x38 };
        void BlockHeader(int size, int type, bool last)
        {
            int v = (size << 3) | (type << 1) | (last ? 1 : 0);
            frame.Add((byte)v);
            frame.Add((byte)(v >> 8));
            frame.Add((byte)(v >> 16));
        }

        BlockHeader(part1.Length, 0, false);
        frame.AddRange(part1);
        BlockHeader(5000, 1, false);
        frame.Add(0x42);
        BlockHeader(part3.Length, 0, true);
        frame.AddRange(part3);
        byte[] expected = [.. part1, .. Enumerable.Repeat((byte)0x42, 5000), .. part3];

        Assert.True(expected.AsSpan().SequenceEqual(ZstdNative.Decompress(frame.ToArray())));
        Assert.Throws<CodecException>(() => ZstdNative.Decompress(frame.ToArray().AsSpan(0, frame.Count - 10)));

        byte[] a = CodecSamples.SmoothFloat32(30_000, 1);
        byte[] b = CodecSamples.Random(20_000, 2);
        var codec = new ZstdCodec(3);
        byte[] both = [.. codec.Encode(a), .. codec.Encode(b)];
        Assert.True(((byte[])[.. a, .. b]).AsSpan().SequenceEqual(codec.Decode(both)));
    }

    [Fact]
    public void SpanDecodeReportsSizeAndRejectsTooSmallDestinations()
    {
        byte[] data = CodecSamples.SmoothFloat32(20_000, 3);
        byte[] frame = ZstdNative.Compress(data, 5);
        var exact = new byte[data.Length];
        Assert.Equal(data.Length, ZstdNative.Decompress(frame, exact));
        Assert.True(data.AsSpan().SequenceEqual(exact));
        Assert.Throws<CodecException>(() => ZstdNative.Decompress(frame, new byte[data.Length - 1]));
        Assert.Throws<CodecException>(() => ZstdNative.Decompress([], new byte[10]));
        Assert.Throws<CodecException>(() => new ZstdCodec(1).Decode([1, 2, 3, 4, 5, 6, 7, 8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZstdCodec(23));
    }

    [Fact]
    public void DecodesNumcodecsZstdAndNumcodecsDecodesOurs() =>
        NumcodecsCheck.RoundTrips(NumcodecsCheck.Zstd, "level", [-3, 1, 5, 12], Sizes, new ZstdCodec(1), (level, k, data) => new ZstdCodec(level, checksum: k % 2 == 0).Encode(data));

    [Fact]
    public void DecodingDamagedFramesOnlyEverThrowsCodecException()
    {
        var frames = new List<byte[]>();
        foreach (string kind in CodecSamples.Kinds)
        {
            frames.Add(new ZstdCodec(3).Encode(CodecSamples.Make(kind, 12_000, 8)));
            frames.Add(new ZstdCodec(3, checksum: true).Encode(CodecSamples.Make(kind, 12_000, 9)));
        }

        var codec = new ZstdCodec(3);
        CorruptionHarness.Run(frames, 3000, seed: 61, decode: f => codec.Decode(f));
    }

    [Fact]
    public void AFailedDecodeDoesNotSpoilTheThreadsContextForTheNext()
    {
        // the decompression context is kept per thread: a frame that fails half way must not leave
        // state behind that the next frame, on the same thread, would inherit
        byte[] first = CodecSamples.SmoothFloat32(50_000, 4);
        byte[] second = CodecSamples.SmoothFloat32(50_000, 5);
        byte[] good = ZstdNative.Compress(second, 3);
        byte[] damaged = ZstdNative.Compress(first, 3, checksum: true);
        damaged[damaged.Length / 2] ^= 0x5A;
        var output = new byte[second.Length];
        for (int round = 0; round < 3; round++)
        {
            Assert.Throws<CodecException>(() => ZstdNative.Decompress(damaged, new byte[first.Length]));
            Assert.Throws<CodecException>(() => ZstdNative.Decompress(good, new byte[10]));
            Assert.Equal(second.Length, ZstdNative.Decompress(good, output));
            Assert.True(second.AsSpan().SequenceEqual(output));
            Assert.True(second.AsSpan().SequenceEqual(ZstdNative.Decompress(good)));
        }
    }
}
