using System.Buffers.Binary;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Tests.Codecs;

public class Lz4CodecTests
{
    private static readonly int[] Sizes = [0, 1, 2, 12, 13, 100, 4095, 65536, 65537, 250_001];

    [Fact]
    public void RoundTripsWithTheUncompressedSizeUpFront()
    {
        foreach (int acceleration in new[] { 1, 8 })
        {
            var codec = new Lz4Codec(acceleration);
            foreach (string kind in CodecSamples.Kinds)
            {
                foreach (int n in Sizes)
                {
                    byte[] data = CodecSamples.Make(kind, n, n);
                    byte[] frame = codec.Encode(data);
                    Assert.Equal((uint)n, BinaryPrimitives.ReadUInt32LittleEndian(frame));
                    Assert.True(frame.Length <= 4 + Lz4Block.MaxCompressedLength(n));
                    Assert.True(data.AsSpan().SequenceEqual(codec.Decode(frame)), $"{kind}, {n} bytes, acceleration {acceleration}");

                    // the span form (the write path's pooled buffers) writes the same frame
                    var pooled = new byte[codec.MaxEncodedLength(n) + 8];
                    int written = codec.Encode(data, pooled);
                    Assert.True(frame.AsSpan().SequenceEqual(pooled.AsSpan(0, written)), $"{kind}, {n} bytes: span and array encodings differ");
                    Assert.Throws<ArgumentException>(() => codec.Encode(data, new byte[codec.MaxEncodedLength(n) - 1]));
                }
            }
        }
    }

    [Fact]
    public void RejectsSizePrefixesTheBlockCannotMatch()
    {
        var codec = new Lz4Codec();
        byte[] frame = codec.Encode(CodecSamples.SmoothFloat32(10_000, 1));

        byte[] huge = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(huge, 0xFFFF_FFF0);
        Assert.Throws<CodecException>(() => codec.Decode(huge));

        byte[] implausible = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(implausible, (uint)((frame.Length - 4) * 256) + 100);
        Assert.Throws<CodecException>(() => codec.Decode(implausible));

        byte[] tooSmall = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(tooSmall, 9_999);
        Assert.Throws<CodecException>(() => codec.Decode(tooSmall));

        byte[] tooLarge = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(tooLarge, 10_001);
        Assert.Throws<CodecException>(() => codec.Decode(tooLarge));

        Assert.Throws<CodecException>(() => codec.Decode(frame.AsSpan(0, 4)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lz4Codec(0));
    }

    [Fact]
    public void DecodesNumcodecsLz4AndNumcodecsDecodesOurs() =>
        NumcodecsCheck.RoundTrips(NumcodecsCheck.Lz4, "acceleration", [1, 5, 60], Sizes, new Lz4Codec(), (acceleration, _, data) => new Lz4Codec(acceleration).Encode(data));

    [Fact]
    public void DecodingDamagedFramesOnlyEverThrowsCodecException()
    {
        var codec = new Lz4Codec();
        var frames = CodecSamples.Kinds.Select(k => codec.Encode(CodecSamples.Make(k, 12_000, 7))).ToList();
        CorruptionHarness.Run(frames, 3000, seed: 41, decode: f => codec.Decode(f));
    }
}
