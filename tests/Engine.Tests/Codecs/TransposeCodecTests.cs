using ZarrPartition.Engine.Codecs;

namespace ZarrPartition.Engine.Tests.Codecs;

public class TransposeCodecTests
{
    /// <summary>Output element o (C order over the permuted shape) is input element i with i[perm[a]] = o[a].</summary>
    private static byte[] NaivePermute(byte[] data, int[] shape, int[] perm, int elem)
    {
        int rank = shape.Length;
        var outShape = perm.Select(p => shape[p]).ToArray();
        var result = new byte[data.Length];
        var o = new int[rank];
        var i = new int[rank];
        for (int n = 0; n < data.Length / elem; n++)
        {
            int rest = n;
            for (int a = rank - 1; a >= 0; a--)
            {
                o[a] = rest % outShape[a];
                rest /= outShape[a];
            }

            for (int a = 0; a < rank; a++)
            {
                i[perm[a]] = o[a];
            }

            int from = 0;
            for (int a = 0; a < rank; a++)
            {
                from = (from * shape[a]) + i[a];
            }

            Array.Copy(data, from * elem, result, n * elem, elem);
        }

        return result;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(16)]
    public void PermuteMatchesDefinitionAndTheInverseRestores(int elem)
    {
        var r = new Random(elem);
        for (int trial = 0; trial < 100; trial++)
        {
            int rank = r.Next(2, 5);
            var shape = Enumerable.Range(0, rank).Select(_ => r.Next(1, 7)).ToArray();
            var perm = Enumerable.Range(0, rank).OrderBy(_ => r.Next()).ToArray();
            var data = CodecSamples.Random(shape.Aggregate(elem, (a, b) => a * b), trial);

            byte[] permuted = TransposeCodec.Permute(data, shape, perm, elem);
            Assert.Equal(NaivePermute(data, shape, perm, elem), permuted);

            var inverse = new int[rank];
            for (int a = 0; a < rank; a++)
            {
                inverse[perm[a]] = a;
            }

            Assert.Equal(data, TransposeCodec.Permute(permuted, perm.Select(p => shape[p]).ToArray(), inverse, elem));
        }
    }
}
