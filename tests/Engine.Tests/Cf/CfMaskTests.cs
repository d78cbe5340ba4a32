using System.Runtime.InteropServices;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Cf;

public sealed class CfMaskTests
{
    [Fact]
    public void MasksFillAndEveryMissingValueExactly()
    {
        var mask = CfMask.FromAttributes(ZarrDataType.Int16, [new("_FillValue", new short[] { -32768 }), new("missing_value", new short[] { -1, 999 }), new("units", "K")]);
        Assert.Equal([-32768.0, -1, 999], mask.FillValues);
        Assert.Equal(ZarrDataType.Float32, mask.ComparisonType);
        var raw = Raw<short>(-32768, 0, -1, 998, 999, 32767);
        var flags = new bool[6];
        Assert.Equal(3, mask.Mark(raw, flags));
        Assert.Equal([true, false, true, false, true, false], flags);
        Assert.Equal(3, mask.CountMissing(raw));
        Assert.True(mask.IsMissing(raw, 4));
        Assert.False(mask.IsMissing(raw, 5));
    }

    [Fact]
    public void ReadsUnsignedFillValuesAsUnsigned()
    {
        // a byte[] passes a type test for sbyte[]; 255 must stay 255, not become -1
        var mask = CfMask.FromAttributes(ZarrDataType.UInt8, [new("_FillValue", new byte[] { 255 })]);
        Assert.Equal([255.0], mask.FillValues);
        Assert.Equal(1, mask.CountMissing([255, 1, 0]));
        var u16 = CfMask.FromAttributes(ZarrDataType.UInt16, [new("missing_value", new ushort[] { 65535 })]);
        Assert.Equal(1, u16.CountMissing(Raw<ushort>(65535, 32767)));
    }

    [Fact]
    public void FloatNaNIsAlwaysMissingAndANaNFillIsNoFill()
    {
        var mask = CfMask.FromAttributes(ZarrDataType.Float32, [new("_FillValue", new[] { float.NaN })]);
        Assert.False(mask.HasFillValues);
        Assert.Equal(1, mask.CountMissing(Raw(1f, float.NaN, 0f)));

        var ints = CfMask.FromAttributes(ZarrDataType.Int16, [new("_FillValue", new[] { double.NaN })]);
        Assert.False(ints.HasFillValues);
        Assert.Equal(0, ints.CountMissing(Raw<short>(0, -32768)));
    }

    [Fact]
    public void ComparesFloat32DataInFloat32AsNumpyDoes()
    {
        // a float64 fill of 0.1 equals float32 data 0.1f (numpy compares in float32)
        var tenth = new CfMask(ZarrDataType.Float32, [0.1]);
        Assert.Equal(1, tenth.CountMissing(Raw(0.1f, 0.2f)));

        // a fill beyond float32's range is compared in float64: nothing equals it, not even +inf
        var huge = new CfMask(ZarrDataType.Float32, [1e39]);
        Assert.Equal(0, huge.CountMissing(Raw(float.PositiveInfinity, float.MaxValue)));

        // a float64 variable compares in float64: 0.1f widened is not 0.1
        var wide = new CfMask(ZarrDataType.Float64, [0.1]);
        Assert.Equal(1, wide.CountMissing(Raw(0.1, (double)0.1f)));
    }

    [Fact]
    public void ComparesWideIntegersInFloat64AsXarrayDoes()
    {
        // xarray promotes int64 to float64 before comparing, so neighbours of a fill beyond 2^53 match it too
        var mask = CfMask.FromAttributes(ZarrDataType.Int64, [new("_FillValue", new[] { 9007199254740993L })]);
        Assert.Equal(ZarrDataType.Float64, mask.ComparisonType);
        Assert.Equal(2, mask.CountMissing(Raw(9007199254740992L, 9007199254740993L, 9007199254740994L)));
    }

    [Fact]
    public void RejectsTextFillValuesAndNonNumericTypes()
    {
        var e = Assert.Throws<ZarrPartitionException>(() => CfMask.FromAttributes(ZarrDataType.Int16, [new("_FillValue", "-999")]));
        Assert.Equal("InvalidFillValue", e.ErrorId);
        Assert.Contains("_FillValue", e.Message, StringComparison.Ordinal);
        Assert.Throws<ZarrPartitionException>(() => new CfMask(ZarrDataType.Bool, [1]));
    }

    [Fact]
    public void RejectsMasksAndBuffersOfTheWrongSize()
    {
        var mask = new CfMask(ZarrDataType.Int16, [0]);
        Assert.Throws<ArgumentException>(() => mask.Mark(new byte[4], new bool[3]));
        Assert.Throws<ArgumentException>(() => mask.CountMissing(new byte[3]));
    }

    private static byte[] Raw<T>(params T[] values)
        where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
}
