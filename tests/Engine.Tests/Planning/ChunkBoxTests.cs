using ZarrPartition.Engine.Planning;

namespace ZarrPartition.Engine.Tests.Planning;

public class ChunkBoxTests
{
    [Fact]
    public void EqualityAndHashCompareTheArrayContents()
    {
        var a = new ChunkBox([0, 3], [3, 7]);
        var b = new ChunkBox(new long[] { 0, 3 }, new long[] { 3, 7 });
        Assert.NotSame(a.Start, b.Start);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Single(new HashSet<ChunkBox> { a, b });

        Assert.NotEqual(a, new ChunkBox([0, 3], [3, 8]));
        Assert.NotEqual(a, new ChunkBox([1, 3], [3, 7]));
        Assert.NotEqual(a, new ChunkBox([0, 3, 0], [3, 7, 1]));
        Assert.False(a.Equals(null));
    }

    [Theory]
    [InlineData(new long[] { 0, 0 }, new long[] { 3, 4 }, "[0,3)x[0,4)", 12)]
    [InlineData(new long[] { 5 }, new long[] { 9 }, "[5,9)", 4)]
    [InlineData(new long[] { 2, 0, 1 }, new long[] { 4, 0, 3 }, "[2,4)x[0,0)x[1,3)", 0)]
    [InlineData(new long[0], new long[0], "()", 1)]
    public void ToStringAndChunkCount(long[] start, long[] stop, string text, long chunks)
    {
        var box = new ChunkBox(start, stop);
        Assert.Equal(text, box.ToString());
        Assert.Equal(chunks, box.ChunkCount);
        Assert.Equal(start.Length, box.Rank);
    }

    [Fact]
    public void ContainsIsHalfOpen()
    {
        var box = new ChunkBox([1, 2], [3, 5]);
        Assert.True(box.Contains([1, 2]));
        Assert.True(box.Contains([2, 4]));
        Assert.False(box.Contains([3, 4]));
        Assert.False(box.Contains([2, 5]));
        Assert.False(box.Contains([0, 2]));
        Assert.False(box.Contains([1]));
    }

    [Theory]
    [InlineData(new long[] { 0, 0 }, new long[] { 3 })]
    [InlineData(new long[] { 4 }, new long[] { 3 })]
    [InlineData(new long[] { -1 }, new long[] { 3 })]
    public void RejectsBoxesThatAreNotRangesOfChunkIndices(long[] start, long[] stop)
    {
        Assert.Throws<ArgumentException>(() => new ChunkBox(start, stop));
    }
}
