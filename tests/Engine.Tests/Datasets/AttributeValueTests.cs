using ZarrPartition.Engine.Datasets;

namespace ZarrPartition.Engine.Tests.Datasets;

public class AttributeValueTests
{
    [Fact]
    public void UnsignedAttributesKeepTheirValues()
    {
        // the runtime lets a byte[] pass for an sbyte[]: 255 must not come out as -1
        Assert.Equal([255.0], new AttributeValue("a", new byte[] { 255 }).AsDoubles());
        Assert.Equal([65535.0], new AttributeValue("a", new ushort[] { 65535 }).AsDoubles());
        Assert.Equal([4294967295.0], new AttributeValue("a", new uint[] { uint.MaxValue }).AsDoubles());
        Assert.Equal("255", new AttributeValue("a", new byte[] { 255 }).ToJson()!.ToJsonString());
        Assert.Equal("65535", new AttributeValue("a", new ushort[] { 65535 }).ToJson()!.ToJsonString());
        Assert.Equal("18446744073709551615", new AttributeValue("a", new ulong[] { ulong.MaxValue }).ToJson()!.ToJsonString());
        Assert.Equal([-1.0], new AttributeValue("a", new sbyte[] { -1 }).AsDoubles());
    }

    [Fact]
    public void WholeFloatsStayFloatsInJson()
    {
        Assert.Equal("100.0", new AttributeValue("a", new[] { 100.0 }).ToJson()!.ToJsonString());
        Assert.Equal("[1.0,0.5]", new AttributeValue("a", new[] { 1f, 0.5f }).ToJson()!.ToJsonString());
        Assert.Equal("-3.0", new AttributeValue("a", new[] { -3.0 }).ToJson()!.ToJsonString());
        Assert.Equal("1E+20", new AttributeValue("a", new[] { 1e20 }).ToJson()!.ToJsonString());
        Assert.Equal("\"NaN\"", new AttributeValue("a", new[] { double.NaN }).ToJson()!.ToJsonString());
        Assert.Equal("100", new AttributeValue("a", new[] { 100L }).ToJson()!.ToJsonString());
    }
}
