using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Planning;

namespace ZarrPartition.Engine.Tests.Planning;

public class ChunkSizerTests
{
    private static ChunkSizer.Result Choose(long time, long lat, long lon, AccessPattern pattern, long target = ChunkSizer.DefaultTargetBytes, long? fileLength = null, Dictionary<string, int>? chunks = null, int elementSize = 4) =>
        ChunkSizer.Choose([new("time", time), new("lat", lat), new("lon", lon)], "time", elementSize, pattern, target, fileLength, chunks);

    [Theory]
    [InlineData(AccessPattern.Temporal, 1000, 100)]
    [InlineData(AccessPattern.Balanced, 1000, 50)]
    [InlineData(AccessPattern.Spatial, 1000, 20)]
    [InlineData(AccessPattern.Temporal, 100, 10)]
    [InlineData(AccessPattern.Balanced, 100, 10)]
    [InlineData(AccessPattern.Spatial, 100, 5)]
    [InlineData(AccessPattern.Balanced, 3, 3)]
    public void TheTimeChunkFollowsThePatternAndNeverExceedsTheAxis(AccessPattern pattern, long steps, int expected)
    {
        Assert.Equal(expected, Choose(steps, 721, 1440, pattern).Chunks["time"]);
    }

    [Theory]
    [InlineData(AccessPattern.Balanced)]
    [InlineData(AccessPattern.Temporal)]
    [InlineData(AccessPattern.Spatial)]
    public void ChunksStayUnderTheTargetNeverExceedADimensionAndSplitDimensionsEvenly(AccessPattern pattern)
    {
        var r = Choose(8784, 721, 1440, pattern);
        long bytes = 4L * r.Chunks["time"] * r.Chunks["lat"] * r.Chunks["lon"];
        Assert.InRange(bytes, ChunkSizer.DefaultTargetBytes / 4, ChunkSizer.DefaultTargetBytes);
        foreach (var (dim, length) in new[] { ("lat", 721L), ("lon", 1440L) })
        {
            long c = r.Chunks[dim];
            Assert.InRange(c, 1, length);
            long n = (length + c - 1) / c;
            Assert.True(length - (n - 1) * c >= c - n, $"{dim}: chunk {c} leaves an edge chunk of {length - (n - 1) * c}");
        }

        // tiny spatial dimensions are taken whole, whatever the floor
        var tiny = Choose(1000, 5, 7, pattern);
        Assert.Equal(5, tiny.Chunks["lat"]);
        Assert.Equal(7, tiny.Chunks["lon"]);
    }

    [Theory]
    [InlineData(24, 12)]   // balanced T/20 = 12, which divides the 24-step files
    [InlineData(31, 12)]   // no divisor of 31 in [6, 12] and 31 > 2 × 12: kept (checked below)
    [InlineData(7, 7)]     // 12 ≥ 7: the largest multiple, 7
    [InlineData(5, 10)]    // 12 ≥ 5: 10
    public void TheTimeChunkMovesToAMultipleOrDivisorOfTheFileLength(long fileLength, int expected)
    {
        var r = Choose(240, 721, 1440, AccessPattern.Balanced, fileLength: fileLength);
        int t = r.Chunks["time"];
        if (fileLength == 31)
        {
            // neither a divisor of 31 near 12 nor 31 within twice 12: kept, with a note that says so
            Assert.Equal(12, t);
            Assert.Contains(r.Notes, n => n.Contains("does not align", StringComparison.Ordinal));
            return;
        }

        Assert.Equal(expected, t);
        Assert.True(fileLength % t == 0 || t % fileLength == 0);
    }

    [Fact]
    public void SmallFieldsGetLongerTimeChunksOnFileBoundaries()
    {
        // 45 × 90 float32 is 16 KB a step: the time chunk grows toward the 50 MB target, in whole 24-step files
        var r = Choose(96, 45, 90, AccessPattern.Balanced, fileLength: 24);
        Assert.Equal(96, r.Chunks["time"]);
        Assert.Contains(r.Notes, n => n.Contains("under the target", StringComparison.Ordinal));
        var big = Choose(100_000, 45, 90, AccessPattern.Balanced, fileLength: 24);
        int t = big.Chunks["time"];
        Assert.Equal(0, t % 24);
        Assert.InRange(4L * t * 45 * 90, ChunkSizer.DefaultTargetBytes / 2, ChunkSizer.DefaultTargetBytes);

        // an explicit time chunk never grows
        Assert.Equal(8, Choose(96, 45, 90, AccessPattern.Balanced, chunks: new() { ["time"] = 8 }).Chunks["time"]);
    }

    [Fact]
    public void ExplicitSizesAreKeptAndTheRestSizedAroundThem()
    {
        var r = Choose(1000, 721, 1440, AccessPattern.Balanced, chunks: new() { ["time"] = 1, ["lon"] = 5000 });
        Assert.Equal(1, r.Chunks["time"]);
        Assert.Equal(1440, r.Chunks["lon"]); // capped at the dimension
        Assert.Equal(721, r.Chunks["lat"]);  // 1 × 1440 leaves room for the whole of lat
    }

    [Fact]
    public void BadPatternsAndTargetsAreRefused()
    {
        Assert.Equal("InvalidAccessPattern", Assert.Throws<ZarrPartitionException>(() => ChunkSizer.ParsePattern("sideways")).ErrorId);
        Assert.Equal(AccessPattern.Temporal, ChunkSizer.ParsePattern("Temporal"));
        Assert.Equal("InvalidTargetChunkSize", Assert.Throws<ZarrPartitionException>(() => Choose(10, 10, 10, AccessPattern.Balanced, target: 2)).ErrorId);
    }
}
