using ZarrPartition.Engine.Cf;
using ZarrPartition.Engine.Errors;

namespace ZarrPartition.Engine.Tests.Cf;

public sealed class PackSpecTests
{
    [Fact]
    public void ParsesAListWithAndWithoutRanges()
    {
        var specs = PackSpec.ParseList("t2m=16,sp=16:50000:110000, q = 8 ,t=32:-40.5:6e1");
        Assert.Equal(
            [new PackSpec("t2m", 16), new PackSpec("sp", 16, 50000, 110000), new PackSpec("q", 8), new PackSpec("t", 32, -40.5, 60)],
            specs);
        Assert.False(specs[0].HasRange);
        Assert.True(specs[1].HasRange);
    }

    [Theory]
    [InlineData("t2m=16")]
    [InlineData("sp=8:-0.001:1E-3")]
    [InlineData("x=32:-1.7976931348623157E+308:1.7976931348623157E+308")]
    [InlineData("x=16:0.1:0.30000000000000004")]
    public void TextFormRoundTrips(string entry)
    {
        var spec = PackSpec.Parse(entry);
        Assert.Equal(spec, PackSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("t2m=12", "t2m=12", "BITS '12' is not 8, 16 or 32")]
    [InlineData("t2m=64:0:1", "t2m=64:0:1", "BITS '64'")]
    [InlineData("t2m=-16", "t2m=-16", "BITS '-16'")]
    [InlineData("t2m", "t2m", "no '='")]
    [InlineData("=16", "=16", "variable name is empty")]
    [InlineData("t2m=16:1", "t2m=16:1", "2 ':'-separated fields")]
    [InlineData("t2m=16:1:2:3", "t2m=16:1:2:3", "4 ':'-separated fields")]
    [InlineData("t2m=16:a:2", "t2m=16:a:2", "MIN 'a' is not a finite number")]
    [InlineData("t2m=16:0:NaN", "t2m=16:0:NaN", "MAX 'NaN' is not a finite number")]
    [InlineData("t2m=16:0:1e400", "t2m=16:0:1e400", "MAX '1e400'")]
    [InlineData("t2m=16:5:1", "t2m=16:5:1", "MIN 5 is not less than MAX 1")]
    [InlineData("t2m=16:1:1", "t2m=16:1:1", "MIN 1 is not less than MAX 1")]
    [InlineData("a=8,,b=8", "", "the entry is empty")]
    [InlineData("a=8,a=16", "a=16", "'a' is given more than once")]
    [InlineData("a=8,b=16:x", "b=16:x", "2 ':'-separated fields")]
    public void RejectsBadEntriesNamingThemAndTheAcceptedForm(string text, string badEntry, string why)
    {
        var e = Assert.Throws<ZarrPartitionException>(() => PackSpec.ParseList(text));
        Assert.Equal("InvalidPackSpec", e.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(badEntry, e.Target);
        Assert.Contains($"'{badEntry}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
        Assert.Contains("NAME=BITS:MIN:MAX", e.Message, StringComparison.Ordinal);
        Assert.Contains("8, 16 or 32", e.Message, StringComparison.Ordinal);
    }
}
