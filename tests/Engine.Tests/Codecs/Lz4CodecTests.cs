using System.Buffers.Binary;
using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Tests.Interop;

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
    public void DecodesNumcodecsLz4AndNumcodecsDecodesOurs()
    {
        const string script = """
            import struct, sys
            from numcodecs import LZ4
            with open(sys.argv[1], 'rb') as f:
                buf = f.read()
            pos = 0
            with open(sys.argv[2], 'wb') as out:
                while pos < len(buf):
                    acceleration, n = struct.unpack_from('<II', buf, pos)
                    frame = LZ4(acceleration=acceleration).encode(buf[pos + 8:pos + 8 + n])
                    pos += 8 + n
                    out.write(struct.pack('<I', len(frame)))
                    out.write(frame)
            print('done')
            """;
        var inputs = new List<(int Acceleration, byte[] Data)>();
        foreach (string kind in CodecSamples.Kinds)
        {
            foreach (int n in Sizes)
            {
                foreach (int acceleration in new[] { 1, 5, 60 })
                {
                    inputs.Add((acceleration, CodecSamples.Make(kind, n, n + acceleration)));
                }
            }
        }

        using var dir = new TempDir();
        using (var file = File.Create(dir.Sub("in.bin")))
        {
            Span<byte> u32 = stackalloc byte[4];
            foreach (var (acceleration, data) in inputs)
            {
                BinaryPrimitives.WriteInt32LittleEndian(u32, acceleration);
                file.Write(u32);
                BinaryPrimitives.WriteInt32LittleEndian(u32, data.Length);
                file.Write(u32);
                file.Write(data);
            }
        }

        ReferenceTools.RunPython(script, dir.Sub("in.bin"), dir.Sub("out.bin"));
        byte[] frames = File.ReadAllBytes(dir.Sub("out.bin"));
        var codec = new Lz4Codec();
        int at = 0;
        foreach (var (acceleration, data) in inputs)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(frames.AsSpan(at));
            Assert.True(data.AsSpan().SequenceEqual(codec.Decode(frames.AsSpan(at + 4, length))), $"{data.Length} bytes, acceleration {acceleration}");
            at += 4 + length;
        }

        Assert.Equal(frames.Length, at);

        // numcodecs 0.11 rejects even its own encoding of empty input, so the reverse check starts at 1 byte.
        NumcodecsCheck.Decodes(inputs
            .Where(i => i.Data.Length > 0)
            .Select(i => (NumcodecsCheck.Lz4, i.Data, new Lz4Codec(i.Acceleration).Encode(i.Data)))
            .ToList());
    }

    [Fact]
    public void DecodingDamagedFramesOnlyEverThrowsCodecException()
    {
        var codec = new Lz4Codec();
        var frames = CodecSamples.Kinds.Select(k => codec.Encode(CodecSamples.Make(k, 12_000, 7))).ToList();
        CorruptionHarness.Run(frames, 3000, seed: 41, decode: f => codec.Decode(f));
    }
}
