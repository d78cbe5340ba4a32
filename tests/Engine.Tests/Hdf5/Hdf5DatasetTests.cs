using ZarrPartition.Engine.Hdf5;
using static ZarrPartition.Engine.Tests.Hdf5.Hdf5TestSupport;

namespace ZarrPartition.Engine.Tests.Hdf5;

/// <summary>Concurrent hyperslab reads of one dataset give exactly what the same reads give one after another.</summary>
[Collection(Hdf5FixtureCollection.Name)]
public sealed class Hdf5DatasetTests(Hdf5Fixtures fixtures)
{
    [Theory]
    [InlineData("features.nc", "/deflated")]
    [InlineData("features.nc", "/checksummed")]
    [InlineData("features.nc", "/forecast/ensemble")]
    [InlineData("features.nc", "/var3")]
    [InlineData("h5_latest.h5", "/chunked_fixed")]
    [InlineData("h5_latest.h5", "/chunked_ext1")]
    [InlineData("h5_latest.h5", "/chunked_btree2")]
    [InlineData("h5_earliest.h5", "/unallocated")]
    public async Task ParallelReadsEqualSequentialReads(string name, string path)
    {
        using var file = Hdf5File.Open(fixtures.PathOf(name));
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var d = Group(file, string.Join('/', parts[..^1])).Datasets.Single(x => x.Name == parts[^1]);
        var random = new Random(5);
        var regions = Enumerable.Range(0, 400).Select(_ =>
        {
            var start = d.Shape.Select(n => random.NextInt64(n)).ToArray();
            var count = d.Shape.Select((n, k) => 1 + random.NextInt64(n - start[k])).ToArray();
            return (start, count);
        }).ToArray();
        var sequential = regions.Select(r => Read(d, r.start, r.count)).ToArray();

        using var gate = new ManualResetEventSlim(false);
        var results = new byte[regions.Length][];
        var workers = Enumerable.Range(0, 8).Select(w => Task.Factory.StartNew(() =>
        {
            gate.Wait();
            for (int i = w; i < regions.Length; i += 8)
            {
                results[i] = Read(d, regions[i].start, regions[i].count);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        gate.Set();
        await Task.WhenAll(workers);

        for (int i = 0; i < regions.Length; i++)
        {
            Assert.True(sequential[i].AsSpan().SequenceEqual(results[i]), $"region {i} differs when read concurrently");
        }
    }

    [Fact]
    public async Task FirstUseOfAFileFromManyThreadsAtOnce()
    {
        // groups, attributes and chunk indexes are loaded lazily; racing first uses must agree
        using var file = Hdf5File.Open(fixtures.PathOf("features.nc"));
        using var gate = new ManualResetEventSlim(false);
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Factory.StartNew(() =>
        {
            gate.Wait();
            return string.Join(";", file.Root.Datasets.Select(d => d.Name + ":" + d.Attributes.Count + ":" + Convert.ToHexString(ReadAll(d)).GetHashCode()));
        }, TaskCreationOptions.LongRunning)).ToArray();
        gate.Set();
        var all = await Task.WhenAll(tasks);
        Assert.Single(all.Distinct());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(40_000L)]
    [InlineData(32L << 20)]
    public void SmallTilesEqualTheWholeWithAnyChunkCache(long cacheBytes)
    {
        using var file = Hdf5File.Open(fixtures.PathOf("features.nc"));
        file.ChunkCacheBytes = cacheBytes;
        var d = Dataset(file.Root, "deflated");
        var whole = fixtures.Data("features__root__deflated.bin");
        var tile = new long[] { 1, 5, 7 };
        for (long t = 0; t < d.Shape[0]; t++)
        {
            for (long y = 0; y < d.Shape[1]; y += tile[1])
            {
                for (long x = 0; x < d.Shape[2]; x += tile[2])
                {
                    long[] start = [t, y, x];
                    long[] count = [1, Math.Min(tile[1], d.Shape[1] - y), Math.Min(tile[2], d.Shape[2] - x)];
                    Assert.Equal(Slice(whole, d.Shape, start, count, 4), Read(d, start, count));
                }
            }
        }
    }

    private static byte[] Read(Hdf5Dataset d, long[] start, long[] count)
    {
        var buffer = new byte[Elements(count) * d.Type.Size];
        d.Read(start, count, buffer);
        return buffer;
    }
}
