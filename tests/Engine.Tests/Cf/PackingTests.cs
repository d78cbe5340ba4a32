using System.Runtime.InteropServices;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Cf;

public sealed class PackingTests
{
    public static TheoryData<int> BitCounts => new() { 8, 16, 32 };

    [Theory]
    [InlineData(8, -128, -127, 127, "int8")]
    [InlineData(16, -32768, -32767, 32767, "int16")]
    [InlineData(32, int.MinValue, -2147483647, 2147483647, "int32")]
    public void ReservesTheTypeMinimumForTheFill(int bits, int fill, int minCode, int maxCode, string type)
    {
        var p = Packing.Create("t", bits, new PackingRange(-3, 9, PackingRangeSource.User));
        Assert.Equal(fill, p.FillValue);
        Assert.Equal(minCode, p.MinCode);
        Assert.Equal(maxCode, p.MaxCode);
        Assert.Equal(type, p.DataType.Name);
        Assert.Equal(12.0 / (Math.Pow(2, bits) - 2), p.ScaleFactor, 1e-15);
        Assert.Equal(3.0, p.AddOffset);
        Assert.Equal(new[] { minCode, maxCode }, Codes(p, [-3.0, 9.0]));
    }

    [Theory]
    [MemberData(nameof(BitCounts))]
    public void RangeEndsEncodeToTheEndCodesExactly(int bits)
    {
        var rng = new Random(bits);
        int refused = 0, accepted = 0;
        foreach (var (lo, hi) in Ranges(rng).Concat(NarrowRanges(rng, bits)))
        {
            Packing p;
            try
            {
                p = Packing.Create("v", bits, new PackingRange(lo, hi, PackingRangeSource.Data));
            }
            catch (ZarrPartitionException e) when (e.ErrorId == "InvalidPackingRange" && e.Message.Contains("too narrow", StringComparison.Ordinal))
            {
                refused++;
                continue;
            }

            accepted++;
            Assert.Equal((lo, hi), (p.Min, p.Max));
            Assert.True(
                Codes(p, [lo, hi]).SequenceEqual([p.MinCode, p.MaxCode]),
                $"{p}: [{lo:R}, {hi:R}] encode to [{string.Join(", ", Codes(p, [lo, hi]))}]");
            if ((float)lo == lo && (float)hi == hi)
            {
                Assert.True(Codes(p, [(float)lo, (float)hi]).SequenceEqual([p.MinCode, p.MaxCode]), $"{p} (float32)");
            }

        }

        // ranges of under about 2M float64 steps cannot hold their ends and are refused; the rest all pass
        Assert.True(refused > 0 && refused < accepted / 2, $"{refused} ranges refused, {accepted} accepted");
    }

    [Theory]
    [MemberData(nameof(BitCounts))]
    public void ValuesInRangeGetDataCodesWithinHalfAStep(int bits)
    {
        var rng = new Random(100 + bits);
        foreach (var (lo, hi) in Ranges(rng).Take(60))
        {
            var p = Packing.Create("v", bits, new PackingRange(lo, hi, PackingRangeSource.User));
            var x = Enumerable.Range(0, 2000).Select(_ => lo + rng.NextDouble() * (hi - lo)).Select(v => Math.Min(hi, Math.Max(lo, v))).ToArray();
            var codes = Codes(p, x);
            var decoded = new double[x.Length];
            p.Decode(Bytes(p, codes), decoded);
            for (int i = 0; i < x.Length; i++)
            {
                Assert.InRange(codes[i], p.MinCode, p.MaxCode);
                double exact = codes[i] * p.ScaleFactor + p.AddOffset;
                Assert.True(Math.Abs(exact - x[i]) <= p.ScaleFactor * 0.5 * (1 + 1e-9) + Math.Abs(x[i]) * 1e-15, $"{p}: {x[i]:R} → {codes[i]}");

                // xarray's float32 decode (int8/int16) adds float32 rounding on top
                double tolerance = p.ScaleFactor * 0.5 * (1 + 1e-9) + (bits < 32 ? (Math.Abs(x[i]) + Math.Abs(p.AddOffset)) * 2e-7 : Math.Abs(x[i]) * 1e-15);
                Assert.True(Math.Abs(decoded[i] - x[i]) <= tolerance, $"{p}: {x[i]:R} → {codes[i]} → {decoded[i]:R}");
            }
        }
    }

    [Fact]
    public void NaNAndMissingValuesBecomeTheFill()
    {
        var p = Packing.Create("t", 16, new PackingRange(0, 10, PackingRangeSource.User));
        double[] x = [1, double.NaN, 5, 10];
        bool[] missing = [false, false, true, false];
        var dest = new byte[8];
        Assert.Equal(0, p.Encode(x, missing, dest, OutOfRangeAction.Error));
        var codes = MemoryMarshal.Cast<byte, short>(dest).ToArray();
        Assert.Equal([Codes(p, [1.0])[0], -32768, -32768, 32767], codes.Select(c => (int)c));
        var back = new float[4];
        p.Decode(dest, back);
        Assert.True(float.IsNaN(back[1]) && float.IsNaN(back[2]));
        Assert.Equal(10f, back[3]);

        var f = new byte[8];
        p.Encode([1f, float.NaN, 5f, 10f], missing, f, OutOfRangeAction.Error);
        Assert.Equal(dest, f);
    }

    [Theory]
    [MemberData(nameof(BitCounts))]
    public void ClipClampsAndCounts(int bits)
    {
        var p = Packing.Create("t", bits, new PackingRange(-1, 1, PackingRangeSource.User));
        double step = p.ScaleFactor;
        double[] x = [-1.5, 2, 0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 1 + step * 0.49, -1 - step * 0.49, 1 + step * 0.51];
        var dest = new byte[x.Length * bits / 8];
        long clipped = p.Encode(x, dest, OutOfRangeAction.Clip);
        Assert.Equal(5, clipped);
        var codes = Enumerable.Range(0, x.Length).Select(i => (long)p.DataType.ReadAsDouble(dest, i)).ToArray();
        Assert.Equal([p.MinCode, p.MaxCode, 0, p.MaxCode, p.MinCode, p.FillValue, p.MaxCode, p.MinCode, p.MaxCode], codes);

        // float32 data: 1 ± 0.49 step may round to 1 in float32, so count against the same values in float64
        var single = x.Select(v => (float)v).ToArray();
        var f = new byte[dest.Length];
        Assert.Equal(p.Encode(single.Select(v => (double)v).ToArray(), dest, OutOfRangeAction.Clip), p.Encode(single, f, OutOfRangeAction.Clip));
        Assert.Equal(dest, f);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ErrorNamesTheVariableValueIndexAndRange(bool single)
    {
        var p = Packing.Create("t2m", 16, new PackingRange(200, 330, PackingRangeSource.ValidRange));
        double[] x = [250, double.NaN, 330, 331.5, 100];
        var dest = new byte[x.Length * 2];
        var e = Assert.Throws<ZarrPartitionException>(() => single ? p.Encode(x.Select(v => (float)v).ToArray(), dest, OutOfRangeAction.Error) : p.Encode(x, dest, OutOfRangeAction.Error));
        Assert.Equal("PackingValueOutOfRange", e.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, e.Kind);
        Assert.Equal("t2m", e.Target);
        Assert.Contains("'t2m'", e.Message, StringComparison.Ordinal);
        Assert.Contains("value 331.5 at index 3", e.Message, StringComparison.Ordinal);
        Assert.Contains("[200, 330]", e.Message, StringComparison.Ordinal);
        Assert.Contains("ValidRange", e.Message, StringComparison.Ordinal);
        Assert.Contains("--pack t2m=16:MIN:MAX", e.Message, StringComparison.Ordinal);
        Assert.Contains("clip", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(5, 0, 10)]
    [InlineData(0, -1, 1)]
    [InlineData(-3, -6, 0)]
    [InlineData(0.25, -0.75, 1.25)]
    [InlineData(273.15, 0, 546.3)]
    public void AConstantRangeIsWidenedAroundTheValue(double c, double min, double max)
    {
        foreach (int bits in new[] { 8, 16, 32 })
        {
            var p = Packing.Create("mask", bits, new PackingRange(c, c, PackingRangeSource.Data));
            Assert.Equal(c, p.AddOffset);
            Assert.True(p.ScaleFactor > 0);
            Assert.Equal(min, p.Min);
            Assert.Equal(max, p.Max);
            Assert.Equal([0, p.MinCode, p.MaxCode], Codes(p, [c, min, max]));
            var back = new double[1];
            p.Decode(Bytes(p, [0]), back);
            Assert.Equal(bits < 32 ? (float)c : c, back[0]);
        }
    }

    [Fact]
    public void RefusesARangeTooNarrowForFloat64()
    {
        // 0.01 is about 5000 float64 steps at 1e10: too few for 2^32 - 2 codes, plenty for 254
        var e = Assert.Throws<ZarrPartitionException>(() => Packing.Create("p", 32, new PackingRange(1e10, 1e10 + 0.01, PackingRangeSource.Data)));
        Assert.Equal("InvalidPackingRange", e.ErrorId);
        Assert.Contains("too narrow", e.Message, StringComparison.Ordinal);
        Assert.Contains("fewer bits", e.Message, StringComparison.Ordinal);
        Assert.Contains("--pack p=32:MIN:MAX", e.Message, StringComparison.Ordinal);

        var p = Packing.Create("p", 8, new PackingRange(1e10, 1e10 + 0.01, PackingRangeSource.Data));
        Assert.Equal([-127, 127], Codes(p, [1e10, 1e10 + 0.01]));
    }

    [Theory]
    [InlineData(-1e300, 1e300)]
    [InlineData(0, 1e39)]
    [InlineData(1e-300, 1e-299)]
    [InlineData(0, 1e-42)]
    public void RefusesForInt8AndInt16RangesFloat32CannotDecode(double lo, double hi)
    {
        foreach (int bits in new[] { 8, 16 })
        {
            var e = Assert.Throws<ZarrPartitionException>(() => Packing.Create("x", bits, new PackingRange(lo, hi, PackingRangeSource.User)));
            Assert.Equal("InvalidPackingRange", e.ErrorId);
            Assert.Contains("float32", e.Message, StringComparison.Ordinal);
            Assert.Contains("--pack x=32", e.Message, StringComparison.Ordinal);
        }

        var p = Packing.Create("x", 32, new PackingRange(lo, hi, PackingRangeSource.User));
        Assert.Equal([p.MinCode, p.MaxCode], Codes(p, [lo, hi]));
        var back = new double[2];
        p.Decode(Bytes(p, [p.MinCode, p.MaxCode]), back);
        Assert.Equal(lo, back[0], Math.Abs(lo) * 1e-12 + p.ScaleFactor);
        Assert.Equal(hi, back[1], Math.Abs(hi) * 1e-12 + p.ScaleFactor);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(64)]
    public void RefusesOtherBitCounts(int bits)
    {
        var e = Assert.Throws<ZarrPartitionException>(() => Packing.Create("t", bits, new PackingRange(0, 1, PackingRangeSource.User)));
        Assert.Equal("InvalidPackSpec", e.ErrorId);
        Assert.Contains("8, 16 or 32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Float32DataUseFloat32ArithmeticExceptForInt32()
    {
        Assert.True(Packing.Create("t", 16, new PackingRange(200, 330, PackingRangeSource.User)).EncodesFloat32InFloat32);
        Assert.True(Packing.Create("t", 8, new PackingRange(200, 330, PackingRangeSource.User)).EncodesFloat32InFloat32);
        var p32 = Packing.Create("t", 32, new PackingRange(200, 330, PackingRangeSource.User));
        Assert.False(p32.EncodesFloat32InFloat32);
        Assert.Equal([p32.MinCode, p32.MaxCode], Codes(p32, [200f, 330f]));

        // a range finer than float32 resolves at its magnitude: float32 data are widened to float64
        float lo = -72.03302764892578f, hi = -71.96832275390625f;
        var narrow = Packing.Create("t", 16, new PackingRange(lo, hi, PackingRangeSource.User));
        Assert.False(narrow.EncodesFloat32InFloat32);
        Assert.Equal([narrow.MinCode, narrow.MaxCode], Codes(narrow, [lo, hi]));
    }

    [Fact]
    public void CreatesFromASpecAndReportsTheSource()
    {
        var p = Packing.Create(new PackSpec("sp", 16), [new AttributeValue("valid_min", new[] { 50000.0 }), new AttributeValue("valid_max", new[] { 110000.0 })], new DataExtent(0, 1, 1));
        Assert.Equal(PackingRangeSource.ValidMinMax, p.Range.Source);
        Assert.Equal((50000.0, 110000.0), (p.Min, p.Max));
        Assert.Contains("ValidMinMax", p.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, typeof(sbyte[]))]
    [InlineData(16, typeof(short[]))]
    [InlineData(32, typeof(int[]))]
    public void AttributesCarryFloat64ScaleAndOffsetAndATypedFill(int bits, Type fillType)
    {
        var p = Packing.Create("t", bits, new PackingRange(-2, 7, PackingRangeSource.User));
        var attrs = p.Attributes();
        Assert.Equal(["scale_factor", "add_offset", "_FillValue"], attrs.Select(a => a.Name));
        Assert.Equal(new[] { p.ScaleFactor }, attrs[0].Value);
        Assert.Equal(new[] { p.AddOffset }, attrs[1].Value);
        Assert.IsType(fillType, attrs[2].Value);
        Assert.Equal([(double)p.FillValue], attrs[2].AsDoubles());

        // and they describe the packing to a decoder built from attributes alone
        var d = CfDecoder.FromAttributes(p.DataType, attrs);
        Assert.Equal(p.Decoder.DecodedType, d.DecodedType);
        Assert.Equal(bits < 32 ? ZarrDataType.Float32 : ZarrDataType.Float64, d.DecodedType);
    }

    [Fact]
    public void RejectsDestinationsOfTheWrongSize()
    {
        var p = Packing.Create("t", 16, new PackingRange(0, 1, PackingRangeSource.User));
        Assert.Throws<ArgumentException>(() => p.Encode([0.5, 0.5], new byte[3], OutOfRangeAction.Error));
        Assert.Throws<ArgumentException>(() => p.Encode([0.5f], new byte[4], OutOfRangeAction.Error));
        Assert.Throws<ArgumentException>(() => p.Encode([0.5], [true, false], new byte[2], OutOfRangeAction.Error));
    }

    private static IEnumerable<(double Lo, double Hi)> Ranges(Random rng)
    {
        (double, double)[] fixedRanges =
        [
            (-50, 50), (0, 1), (-1e5, -3e4), (1e-30, 3e-30), (-1e30, 1e30), (250.5, 320.25), (1e5, 1e5 + 10), (0.1, 0.3),
            (-1e-3, 7e-4), (50000, 110000), (-273.15, 60), (1e-20, 1e-19), (-7, -6.5), (1, 1 + 1e-6), (1e15, 1e15 + 1e6),
        ];
        foreach (var r in fixedRanges)
        {
            yield return r;
        }

        for (int k = 0; k < 300; k++)
        {
            double mag = Math.Pow(10, rng.Next(-25, 26));
            double lo = (rng.NextDouble() * 2 - 1) * mag;
            double width = mag * Math.Pow(10, -rng.NextDouble() * 4) * (0.01 + rng.NextDouble());
            if (k % 3 == 0)
            {
                (lo, width) = ((float)lo, (float)width);
            }

            double hi = k % 3 == 0 ? (float)(lo + width) : lo + width;
            if (lo < hi)
            {
                yield return (lo, hi);
            }
        }
    }

    /// <summary>Ranges of 2M − 8 to 8M float64 steps (M = the largest code), odd so the midpoint rounds: the narrowest cannot be packed.</summary>
    private static IEnumerable<(double Lo, double Hi)> NarrowRanges(Random rng, int bits)
    {
        long m = (1L << (bits - 1)) - 1;
        for (int k = 0; k < 200; k++)
        {
            double lo = (rng.NextDouble() + 0.5) * Math.Pow(10, rng.Next(-5, 6)) * (k % 2 == 0 ? 1 : -1);
            long steps = (k % 4 == 0 ? rng.NextInt64(2 * m - 8, 2 * m + 8) : rng.NextInt64(2 * m + 1, 8 * m)) | 1;
            double ulp = Math.BitIncrement(Math.Abs(lo)) - Math.Abs(lo);
            double hi = lo + steps * ulp;
            if (lo < hi && double.IsFinite(hi))
            {
                yield return (lo, hi);
            }
        }
    }

    private static int[] Codes(Packing p, double[] x)
    {
        var dest = new byte[x.Length * p.Bits / 8];
        p.Encode(x, dest, OutOfRangeAction.Error);
        return Enumerable.Range(0, x.Length).Select(i => (int)p.DataType.ReadAsDouble(dest, i)).ToArray();
    }

    private static int[] Codes(Packing p, float[] x)
    {
        var dest = new byte[x.Length * p.Bits / 8];
        p.Encode(x, dest, OutOfRangeAction.Error);
        return Enumerable.Range(0, x.Length).Select(i => (int)p.DataType.ReadAsDouble(dest, i)).ToArray();
    }

    private static byte[] Bytes(Packing p, int[] codes)
    {
        var b = new byte[codes.Length * p.Bits / 8];
        for (int i = 0; i < codes.Length; i++)
        {
            switch (p.Bits)
            {
                case 8: b[i] = (byte)(sbyte)codes[i]; break;
                case 16: MemoryMarshal.Write(b.AsSpan(i * 2), (short)codes[i]); break;
                default: MemoryMarshal.Write(b.AsSpan(i * 4), codes[i]); break;
            }
        }

        return b;
    }
}
