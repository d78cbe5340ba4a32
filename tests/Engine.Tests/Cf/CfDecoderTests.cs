using System.Runtime.InteropServices;
using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Zarr;

namespace ZarrPartition.Engine.Tests.Cf;

public sealed class CfDecoderTests
{
    [Theory]
    [InlineData("int16", true, true, true, "float32")] // the mask promotes int16 to float32 first, and float32 stays
    [InlineData("int16", false, true, true, "float64")]
    [InlineData("int16", false, true, false, "float32")]
    [InlineData("int8", true, false, false, "float32")]
    [InlineData("uint16", false, false, true, "float64")]
    [InlineData("int32", true, true, true, "float64")]
    [InlineData("int32", false, true, false, "float64")]
    [InlineData("float32", true, true, true, "float32")]
    [InlineData("float64", false, true, false, "float64")]
    [InlineData("int16", false, false, false, "int16")]
    [InlineData("uint32", true, false, false, "float64")]
    public void ChoosesTheDecodedTypeAsXarray(string raw, bool fill, bool scale, bool offset, string expected)
    {
        var attrs = new List<AttributeValue>();
        if (fill)
        {
            attrs.Add(new("_FillValue", new long[] { 1 }));
        }

        if (scale)
        {
            attrs.Add(new("scale_factor", new[] { 0.5 }));
        }

        if (offset)
        {
            attrs.Add(new("add_offset", new[] { 10.0 }));
        }

        Assert.Equal(expected, CfDecoder.FromAttributes(ZarrDataType.Parse(raw), attrs).DecodedType.Name);
    }

    [Fact]
    public void UnpacksInFloat32WithTheAttributesRoundedToFloat32()
    {
        var d = new CfDecoder(new CfMask(ZarrDataType.Int16, [-32768]), 0.1, 273.15);
        var raw = MemoryMarshal.AsBytes(new short[] { -32768, 1234, -5 }.AsSpan()).ToArray();
        var f = new float[3];
        d.Decode(raw, f);
        Assert.True(float.IsNaN(f[0]));
        Assert.Equal((1234f * 0.1f) + 273.15f, f[1]);
        Assert.Equal((-5f * 0.1f) + 273.15f, f[2]);
        Assert.NotEqual(1234 * 0.1 + 273.15, (double)f[1]);

        var wide = new double[3];
        d.Decode(raw, wide);
        Assert.Equal(f.Select(x => (double)x), wide);
    }

    [Fact]
    public void IntegerTypedAttributesBeyondInt16AreAppliedInFloat64()
    {
        // numpy 1.x: float32 array + Python int 33554435 runs in float64 and rounds back once (2 + 33554435 → 33554436);
        // a float attribute is rounded to float32 first (33554436) and the sum rounds again (33554438 → 33554440)
        var asInt = CfDecoder.FromAttributes(ZarrDataType.Int16, [new("_FillValue", new long[] { -32768 }), new("add_offset", new long[] { 33554435 })]);
        var asFloat = CfDecoder.FromAttributes(ZarrDataType.Int16, [new("_FillValue", new long[] { -32768 }), new("add_offset", new[] { 33554435.0 })]);
        Assert.Equal(ZarrDataType.Float32, asInt.DecodedType);
        Assert.Equal(ZarrDataType.Float32, asFloat.DecodedType);
        var raw = MemoryMarshal.AsBytes(new short[] { 2, -32768 }.AsSpan()).ToArray();
        var i = new float[2];
        var f = new float[2];
        asInt.Decode(raw, i);
        asFloat.Decode(raw, f);
        Assert.Equal(33554436f, i[0]);
        Assert.Equal(33554440f, f[0]);
        Assert.True(float.IsNaN(i[1]) && float.IsNaN(f[1]));
    }

    [Fact]
    public void RefusesAFloat32SpanForAFloat64Variable()
    {
        var d = new CfDecoder(new CfMask(ZarrDataType.Int32, [0]), 2, null);
        Assert.Throws<ArgumentException>(() => d.Decode(new byte[4], new float[1]));
        Assert.Throws<ArgumentException>(() => d.Decode(new byte[8], new double[1]));
    }

    [Fact]
    public void RefusesScaleFactorsThatAreNotOneNumber()
    {
        var e = Assert.Throws<ZarrPartitionException>(() => CfDecoder.FromAttributes(ZarrDataType.Int16, [new("scale_factor", new[] { 1.0, 2.0 })]));
        Assert.Equal("InvalidScaleOffset", e.ErrorId);
        Assert.Throws<ZarrPartitionException>(() => CfDecoder.FromAttributes(ZarrDataType.Int16, [new("add_offset", "1")]));
    }
}
