namespace ZarrPartition.Engine.Hdf5;

/// <summary>
/// HDF5's Fletcher-32 checksum: sums over big-endian 16-bit words (an odd last byte counts as the
/// high byte of a word), folded modulo 65535 in blocks of 360 words.
/// </summary>
internal static class Fletcher32
{
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint sum1 = 0, sum2 = 0;
        int words = data.Length / 2;
        int p = 0;
        while (words > 0)
        {
            int block = Math.Min(words, 360);
            words -= block;
            for (int i = 0; i < block; i++)
            {
                sum1 += (uint)((data[p] << 8) | data[p + 1]);
                sum2 += sum1;
                p += 2;
            }

            sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
            sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
        }

        if ((data.Length & 1) != 0)
        {
            sum1 += (uint)(data[p] << 8);
            sum2 += sum1;
            sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
            sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
        }

        sum1 = (sum1 & 0xFFFF) + (sum1 >> 16);
        sum2 = (sum2 & 0xFFFF) + (sum2 >> 16);
        return (sum2 << 16) | sum1;
    }
}
