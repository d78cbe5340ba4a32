using ZarrPartition.Engine.Cf;

namespace ZarrPartition.Engine.Tests.Cf;

public sealed class DataExtentTests
{
    [Fact]
    public void LeavesOutNaNInfinitiesAndMissingValues()
    {
        double[] v = [3, double.NaN, -7, double.PositiveInfinity, 100, double.NegativeInfinity, 12];
        bool[] missing = [false, false, false, false, true, false, false];
        Assert.Equal(new DataExtent(-7, 12, 3), DataExtent.Of(v, missing));
        Assert.Equal(new DataExtent(-7, 100, 4), DataExtent.Of(v));

        float[] f = [float.NaN, 2.5f, -1.25f, float.PositiveInfinity];
        Assert.Equal(new DataExtent(-1.25, 2.5, 2), DataExtent.Of(f));
    }

    [Fact]
    public void AllMissingIsEmptyAndMergesAway()
    {
        var empty = DataExtent.Of([double.NaN, 5.0], [false, true]);
        Assert.True(empty.IsEmpty);
        var a = DataExtent.Of([1.0, 2.0]);
        var b = DataExtent.Of([-4.0f, 0.5f]);
        Assert.Equal(a, empty.Merge(a));
        Assert.Equal(a, a.Merge(empty));
        Assert.Equal(new DataExtent(-4, 2, 4), a.Merge(b));
    }

    [Fact]
    public void RejectsAMaskOfTheWrongLength() =>
        Assert.Throws<ArgumentException>(() => DataExtent.Of([1.0, 2.0], [true]));
}
