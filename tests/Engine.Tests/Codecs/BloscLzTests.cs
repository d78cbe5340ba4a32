using ZarrPartition.Engine.Codecs;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Tests.Codecs;

/// <summary>
/// BloscLZ streams built by hand token by token (c-blosc's own BloscLZ output is covered by the
/// numcodecs interop tests in <see cref="BloscInteropTests"/>).
/// </summary>
public class BloscLzTests
{
    [Fact]
    public void DecodesLiteralsNearAndFarMatchesAndLongLengths()
    {
        var rng = new Random(31);
        for (int round = 0; round < 200; round++)
        {
            var stream = new BloscLzWriter();
            stream.Literals(CodecSamples.Random(rng.Next(1, 33), rng.Next()), firstTokenNoise: (byte)(rng.Next(8) << 5));
            int tokens = rng.Next(1, 20);
            for (int t = 0; t < tokens; t++)
            {
                if (rng.Next(3) == 0)
                {
                    stream.Literals(CodecSamples.Random(rng.Next(1, 33), rng.Next()));
                }

                int distance = rng.Next(4) switch
                {
                    0 => rng.Next(1, 9),
                    1 => rng.Next(1, 300),
                    2 => rng.Next(1, 8192),
                    _ => rng.Next(8192, 8192 + 65536),
                };
                if (distance > stream.Expected.Count)
                {
                    // Make enough history for far matches.
                    while (stream.Expected.Count < distance)
                    {
                        stream.Literals(CodecSamples.Random(32, rng.Next()));
                    }
                }

                int length = rng.Next(3) switch { 0 => rng.Next(3, 9), 1 => rng.Next(9, 300), _ => rng.Next(300, 2000) };
                stream.Match(distance, length);
            }

            stream.Literals(CodecSamples.Random(rng.Next(1, 33), rng.Next()));
            byte[] expected = stream.Expected.ToArray();
            var buffer = new byte[expected.Length + 16];
            int got = BloscLz.Decompress(stream.Bytes.ToArray(), buffer.AsSpan(0, expected.Length));
            Assert.Equal(expected.Length, got);
            Assert.True(expected.AsSpan().SequenceEqual(buffer.AsSpan(0, got)), $"round {round}");
            Assert.All(buffer[expected.Length..], b => Assert.Equal(0, b));
        }
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "literal run past the end", [0x04, 1, 2] },
        { "match before the start", [0x00, 7, 0x20 | 0x00, 0x05, 0x00, 9] },
        { "match cut after its control byte", [0x00, 7, 0x20] },
        { "extended length cut", [0x00, 7, 0xE0, 255] },
        { "far distance cut", [0x00, 7, 0x3F, 0xFF, 0x00] },
        { "near match with nothing after its distance byte", [0x01, 7, 7, 0x20, 0x00] },
        { "output overflow", [0x00, 7, 0xE0, 255, 255, 0x00, 0x00] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void RejectsMalformedStreams(string what, byte[] stream)
    {
        var ex = Assert.Throws<CodecException>(() => BloscLz.Decompress(stream, new byte[64]));
        Assert.True(ex.Codec == "blosclz", $"{what}: reported by codec {ex.Codec}");
    }

    [Fact]
    public void EmptyStreamDecodesToNothing()
    {
        Assert.Equal(0, BloscLz.Decompress([], new byte[8]));
    }

    /// <summary>Writes BloscLZ tokens and keeps the bytes they stand for.</summary>
    private sealed class BloscLzWriter
    {
        public List<byte> Bytes { get; } = [];

        public List<byte> Expected { get; } = [];

        public void Literals(byte[] run, byte firstTokenNoise = 0)
        {
            // At most 32 bytes per literal token.
            for (int at = 0; at < run.Length; at += 32)
            {
                int len = Math.Min(32, run.Length - at);
                byte control = (byte)(len - 1);
                if (Bytes.Count == 0)
                {
                    control |= firstTokenNoise;
                }

                Bytes.Add(control);
                for (int i = 0; i < len; i++)
                {
                    Bytes.Add(run[at + i]);
                    Expected.Add(run[at + i]);
                }
            }
        }

        public void Match(int distance, int length)
        {
            int value = distance - 1;
            bool far = value >= 8191;
            int high = far ? 31 : value >> 8;
            int low = far ? 255 : value & 255;
            int lengthCode = length <= 8 ? length - 2 : 7;
            Bytes.Add((byte)((lengthCode << 5) | high));
            if (lengthCode == 7)
            {
                int rest = length - 9;
                while (rest >= 255)
                {
                    Bytes.Add(255);
                    rest -= 255;
                }

                Bytes.Add((byte)rest);
            }

            Bytes.Add((byte)low);
            if (far)
            {
                int farValue = distance - 8192;
                Bytes.Add((byte)(farValue >> 8));
                Bytes.Add((byte)farValue);
            }

            for (int i = 0; i < length; i++)
            {
                Expected.Add(Expected[^distance]);
            }
        }
    }
}
