using ZarrPartition.Engine.Codecs;

namespace ZarrPartition.Engine.Tests.Codecs;

public class ShuffleTests
{
    public static TheoryData<int> TypeSizes => new() { 1, 2, 3, 4, 5, 7, 8, 12, 16, 17 };

    private static readonly int[] Sizes = [0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 63, 64, 65, 127, 255, 256, 259, 1000, 4093, 4096, 8195, 65537];

    /// <summary>The definition, written the slow and obvious way.</summary>
    private static byte[] NaiveByteShuffle(int typesize, byte[] src)
    {
        var dst = new byte[src.Length];
        int elements = src.Length / typesize;
        for (int i = 0; i < elements; i++)
        {
            for (int j = 0; j < typesize; j++)
            {
                dst[(j * elements) + i] = src[(i * typesize) + j];
            }
        }

        for (int b = elements * typesize; b < src.Length; b++)
        {
            dst[b] = src[b];
        }

        return dst;
    }

    /// <summary>Bit k of byte j of element i lands in row 8j+k, bit position i (LSB-first within bytes).</summary>
    private static byte[] NaiveBitShuffle(int typesize, byte[] src)
    {
        var dst = (byte[])src.Clone();
        int elements = src.Length / typesize;
        if (elements % 8 != 0)
        {
            return dst;
        }

        int rowBytes = elements / 8;
        Array.Clear(dst, 0, elements * typesize);
        for (int i = 0; i < elements; i++)
        {
            for (int j = 0; j < typesize; j++)
            {
                for (int k = 0; k < 8; k++)
                {
                    int bit = (src[(i * typesize) + j] >> k) & 1;
                    int row = (j * 8) + k;
                    dst[(row * rowBytes) + (i / 8)] |= (byte)(bit << (i % 8));
                }
            }
        }

        return dst;
    }

    [Theory]
    [MemberData(nameof(TypeSizes))]
    public void ByteShuffleMatchesDefinitionAndUnshuffleInverts(int typesize)
    {
        foreach (int n in Sizes)
        {
            byte[] src = CodecSamples.Random(n, 1000 + n + typesize);
            byte[] expected = NaiveByteShuffle(typesize, src);

            // Destination larger than needed: bytes past src.Length must stay untouched.
            var shuffled = new byte[n + 5];
            shuffled.AsSpan().Fill(0xEE);
            Shuffle.ByteShuffle(typesize, src, shuffled);
            Assert.True(expected.AsSpan().SequenceEqual(shuffled.AsSpan(0, n)), $"byte shuffle, typesize {typesize}, {n} bytes");
            Assert.All(shuffled[n..], b => Assert.Equal(0xEE, b));

            var back = new byte[n];
            Shuffle.ByteUnshuffle(typesize, shuffled.AsSpan(0, n), back);
            Assert.True(src.AsSpan().SequenceEqual(back), $"byte unshuffle, typesize {typesize}, {n} bytes");
        }
    }

    [Theory]
    [MemberData(nameof(TypeSizes))]
    public void BitShuffleMatchesDefinitionAndUnshuffleInverts(int typesize)
    {
        foreach (int n in Sizes.Concat([typesize * 8, (typesize * 8) + 1, typesize * 64, (typesize * 72) + typesize - 1]))
        {
            byte[] src = CodecSamples.Random(n, 2000 + n + typesize);
            byte[] expected = NaiveBitShuffle(typesize, src);
            var shuffled = new byte[n];
            Shuffle.BitShuffle(typesize, src, shuffled);
            Assert.True(expected.AsSpan().SequenceEqual(shuffled), $"bit shuffle, typesize {typesize}, {n} bytes");

            var back = new byte[n];
            Shuffle.BitUnshuffle(typesize, shuffled, back);
            Assert.True(src.AsSpan().SequenceEqual(back), $"bit unshuffle, typesize {typesize}, {n} bytes");
        }
    }

    [Fact]
    public void BitShuffleOfEightOneByteElementsIsABitTranspose()
    {
        // Element i has only bit (7 - i) set, so row k must have only bit (7 - k) set.
        byte[] src = [0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01];
        var dst = new byte[8];
        Shuffle.BitShuffle(1, src, dst);
        for (int k = 0; k < 8; k++)
        {
            Assert.Equal((byte)(1 << (7 - k)), dst[k]);
        }
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Shuffle.ByteShuffle(0, new byte[4], new byte[4]));
        Assert.Throws<ArgumentException>(() => Shuffle.ByteUnshuffle(4, new byte[8], new byte[7]));
        Assert.Throws<ArgumentException>(() => Shuffle.BitUnshuffle(4, new byte[64], new byte[63]));
    }
}
