using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Datasets;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Tests.Cf;

public sealed class PackingRangeTests
{
    private static readonly AttributeValue ValidRange = new("valid_range", new short[] { -40, 60 });
    private static readonly AttributeValue ValidMin = new("valid_min", new float[] { 200.5f });
    private static readonly AttributeValue ValidMax = new("valid_max", new double[] { 330 });
    private static readonly DataExtent Data = new(210, 310, 1000);

    [Fact]
    public void TakesTheUserRangeFirst()
    {
        var r = PackingRange.Resolve(new PackSpec("t", 16, -1, 1), [ValidRange, ValidMin, ValidMax], Data);
        Assert.Equal(new PackingRange(-1, 1, PackingRangeSource.User), r);
    }

    [Fact]
    public void ThenValidRangeOfAnyNumericType()
    {
        Assert.Equal(new PackingRange(-40, 60, PackingRangeSource.ValidRange), PackingRange.Resolve("t", null, null, [ValidMin, ValidRange, ValidMax], Data));
        var bytes = new AttributeValue("valid_range", new byte[] { 0, 250 });
        Assert.Equal(new PackingRange(0, 250, PackingRangeSource.ValidRange), PackingRange.Resolve("t", null, null, [bytes], null));
    }

    [Fact]
    public void ThenValidMinAndValidMax()
    {
        Assert.Equal(new PackingRange(200.5, 330, PackingRangeSource.ValidMinMax), PackingRange.Resolve("t", null, null, [ValidMax, ValidMin], Data));
        var ints = new AttributeValue[] { new("valid_min", new long[] { -5 }), new("valid_max", new ulong[] { 7 }) };
        Assert.Equal(new PackingRange(-5, 7, PackingRangeSource.ValidMinMax), PackingRange.Resolve("t", null, null, ints, null));
    }

    [Fact]
    public void ThenTheDataWhenOnlyHalfAValidRangeIsGiven()
    {
        Assert.Equal(new PackingRange(210, 310, PackingRangeSource.Data), PackingRange.Resolve("t", null, null, [ValidMin], Data));
        Assert.Equal(new PackingRange(210, 310, PackingRangeSource.Data), PackingRange.Resolve("t", null, null, [new AttributeValue("units", "K")], Data));
    }

    [Fact]
    public void UnpacksValidRangeGivenInPackedUnits()
    {
        // a packed source: short valid_range is in packed units, a double one (scale_factor's type) is physical
        var scale = new AttributeValue("scale_factor", new[] { 0.5 });
        var offset = new AttributeValue("add_offset", new[] { 100.0 });
        Assert.Equal(new PackingRange(80, 130, PackingRangeSource.ValidRange), PackingRange.Resolve("t", null, null, [scale, offset, ValidRange], null));
        var physical = new AttributeValue("valid_range", new[] { 50.0, 150.0 });
        Assert.Equal(new PackingRange(50, 150, PackingRangeSource.ValidRange), PackingRange.Resolve("t", null, null, [scale, offset, physical], null));
        var onlyOffset = new AttributeValue[] { new("add_offset", new float[] { 273.15f }), new("valid_min", new short[] { -10 }), new("valid_max", new float[] { 330 }) };
        var r = PackingRange.Resolve("t", null, null, onlyOffset, null);
        Assert.Equal(-10 + (double)273.15f, r.Min);
        Assert.Equal(330, r.Max);
    }

    [Fact]
    public void RefusesWhenNothingGivesARangeSayingHowToGiveOne()
    {
        var e = Assert.Throws<ZarrPartitionException>(() => PackingRange.Resolve(new PackSpec("t2m", 16), [new AttributeValue("units", "K")], null));
        Assert.Equal("PackingRangeMissing", e.ErrorId);
        Assert.Equal("t2m", e.Target);
        Assert.Contains("no data to measure", e.Message, StringComparison.Ordinal);
        Assert.Contains("--pack t2m=16:MIN:MAX", e.Message, StringComparison.Ordinal);

        var allMissing = DataExtent.Of([double.NaN]);
        e = Assert.Throws<ZarrPartitionException>(() => PackingRange.Resolve(new PackSpec("q", 8), [], allMissing));
        Assert.Equal("PackingRangeMissing", e.ErrorId);
        Assert.Contains("all NaN or missing", e.Message, StringComparison.Ordinal);
        Assert.Contains("--pack q=8:MIN:MAX", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadAttributes))]
    public void RefusesUnusableAttributes(AttributeValue[] attributes, string why)
    {
        var e = Assert.Throws<ZarrPartitionException>(() => PackingRange.Resolve("t", null, null, attributes, Data));
        Assert.Equal("InvalidPackingRange", e.ErrorId);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("--pack t=BITS:MIN:MAX", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<AttributeValue[], string> BadAttributes => new()
    {
        { [new("valid_range", new[] { 1.0 })], "is not 2 numbers" },
        { [new("valid_range", "0 100")], "is not 2 numbers" },
        { [new("valid_min", new[] { 5.0, 6.0 }), new("valid_max", new[] { 9.0 })], "is not one number" },
        { [new("valid_range", new[] { 10.0, 1.0 })], "[10, 1]" },
        { [new("valid_range", new[] { 0, double.PositiveInfinity })], "[0, Infinity]" },
        { [new("valid_range", new short[] { 0, 1 }), new("scale_factor", new[] { -1.0 })], "scale_factor -1 is not positive" },
    };

    [Fact]
    public void RefusesAHalfOrBackwardUserRange()
    {
        var e = Assert.Throws<ZarrPartitionException>(() => PackingRange.Resolve("t", 1, null, [], Data));
        Assert.Equal("InvalidPackingRange", e.ErrorId);
        Assert.Contains("only a minimum", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ZarrPartitionException>(() => PackingRange.Resolve("t", 2, 1, [], Data));
        Assert.Contains("MIN < MAX", e.Message, StringComparison.Ordinal);
    }
}
