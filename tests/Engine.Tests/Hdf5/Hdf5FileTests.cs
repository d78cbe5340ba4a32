using System.Text.Json;
using ZarrPartition.Engine.Hdf5;
using static ZarrPartition.Engine.Tests.Hdf5.Hdf5TestSupport;

namespace ZarrPartition.Engine.Tests.Hdf5;

/// <summary>
/// Every NetCDF-4 / HDF5 fixture read with our reader must give what netCDF4-python and h5py read:
/// every dataset's values (bit for bit), strings, shapes, chunking and attributes, and hyperslabs
/// that cross chunk boundaries.
/// </summary>
[Collection(Hdf5FixtureCollection.Name)]
public sealed class Hdf5FileTests(Hdf5Fixtures fixtures)
{
    public static TheoryData<string> Files => new(Hdf5Fixtures.HdfFiles);

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryDatasetAndAttributeMatchesTheReferenceLibrary(string name)
    {
        using var doc = fixtures.Description(name);
        using var file = Hdf5File.Open(fixtures.PathOf(name));
        int datasets = 0;
        foreach (var group in doc.RootElement.GetProperty("groups").EnumerateObject())
        {
            var g = Group(file, group.Name);
            foreach (var attr in group.Value.GetProperty("attrs").EnumerateObject())
            {
                var actual = g.Attributes.SingleOrDefault(a => a.Name == attr.Name) ?? throw new Xunit.Sdk.XunitException($"{name}: attribute {group.Name}@{attr.Name} missing");
                AssertAttribute(attr.Value, actual.Value, $"{name}:{group.Name}@{attr.Name}");
            }

            foreach (var v in group.Value.GetProperty("vars").EnumerateObject())
            {
                var d = Dataset(g, v.Name);
                string where = $"{name}:{d.Path}";
                Assert.Equal(v.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray(), d.Shape);
                if (v.Value.GetProperty("chunks").ValueKind == JsonValueKind.Array)
                {
                    Assert.Equal("chunked", d.Layout);
                    Assert.Equal(v.Value.GetProperty("chunks").EnumerateArray().Select(x => x.GetInt32()).ToArray(), d.ChunkShape);
                }
                else
                {
                    Assert.NotEqual("chunked", d.Layout);
                }

                foreach (var attr in v.Value.GetProperty("attrs").EnumerateObject())
                {
                    var actual = d.Attributes.SingleOrDefault(a => a.Name == attr.Name) ?? throw new Xunit.Sdk.XunitException($"{where}: attribute {attr.Name} missing");
                    AssertAttribute(attr.Value, actual.Value, $"{where}@{attr.Name}");
                }

                if (v.Value.GetProperty("strings").ValueKind == JsonValueKind.Array)
                {
                    var expected = v.Value.GetProperty("strings").EnumerateArray().Select(x => x.GetString()!).ToArray();
                    Assert.Equal(expected, d.ReadStrings(new long[d.Shape.Length], d.Shape));
                }
                else
                {
                    var expected = fixtures.Data(v.Value.GetProperty("data").GetString()!);
                    var actual = ReadAll(d);
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{where}: values differ from the reference");
                }

                datasets++;
            }
        }

        Assert.True(datasets > 0);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void HyperslabsAcrossChunkBoundariesEqualTheSlicesOfTheWhole(string name)
    {
        using var doc = fixtures.Description(name);
        using var file = Hdf5File.Open(fixtures.PathOf(name));
        var random = new Random(11);
        foreach (var group in doc.RootElement.GetProperty("groups").EnumerateObject())
        {
            var g = Group(file, group.Name);
            foreach (var v in group.Value.GetProperty("vars").EnumerateObject())
            {
                var d = Dataset(g, v.Name);
                if (d.Shape.Length == 0 || Elements(d.Shape) < 2)
                {
                    continue;
                }

                bool strings = d.Type.IsVariableLengthString;
                var whole = strings ? null : fixtures.Data(v.Value.GetProperty("data").GetString()!);
                var allStrings = strings ? d.ReadStrings(new long[d.Shape.Length], d.Shape) : [];
                var positions = Enumerable.Range(0, allStrings.Length).SelectMany(BitConverter.GetBytes).ToArray();
                foreach (var (start, count) in Regions(d, random))
                {
                    if (strings)
                    {
                        var expected = Slice(positions, d.Shape, start, count, 4).Chunk(4).Select(b => allStrings[BitConverter.ToInt32(b)]).ToArray();
                        Assert.Equal(expected, d.ReadStrings(start, count));
                        continue;
                    }

                    var part = new byte[Elements(count) * d.Type.Size];
                    d.Read(start, count, part);
                    var slice = Slice(whole!, d.Shape, start, count, d.Type.Size);
                    Assert.True(slice.AsSpan().SequenceEqual(part), $"{name}:{d.Path} [{string.Join(",", start)}]+[{string.Join(",", count)}] differs");
                }
            }
        }
    }

    [Fact]
    public void ChunkIndexesAreReportedAsH5pyWroteThem()
    {
        using (var latest = Hdf5File.Open(fixtures.PathOf("h5_latest.h5")))
        {
            var root = latest.Root;
            Assert.Equal("single", Dataset(root, "chunked_single").ChunkIndex);
            Assert.Equal("fixed-array", Dataset(root, "chunked_fixed").ChunkIndex);
            Assert.Equal("extensible-array", Dataset(root, "chunked_ext1").ChunkIndex);
            Assert.Equal("btree2", Dataset(root, "chunked_btree2").ChunkIndex);
            Assert.Equal("implicit", Dataset(root, "chunked_implicit").ChunkIndex);
            Assert.Equal("compact", Dataset(root, "compact").Layout);
            Assert.Equal("contiguous", Dataset(root, "contiguous").Layout);
            Assert.Equal("", Dataset(root, "contiguous").ChunkIndex);
        }

        using var earliest = Hdf5File.Open(fixtures.PathOf("h5_earliest.h5"));
        var chunked = earliest.Root.Datasets.Where(d => d.Layout == "chunked").ToList();
        Assert.True(chunked.Count >= 7);
        Assert.All(chunked, d => Assert.Equal("btree1", d.ChunkIndex));
        Assert.Equal(0, earliest.SuperblockVersion);
    }

    [Fact]
    public void FiltersFillValuesAndTypesAreDescribed()
    {
        using var file = Hdf5File.Open(fixtures.PathOf("features.nc"));
        var root = file.Root;
        var deflated = Dataset(root, "deflated");
        Assert.Equal([Hdf5Filter.Shuffle, Hdf5Filter.Deflate], deflated.Filters.Select(f => f.Id));
        Assert.Equal([2, 16, 16], deflated.ChunkShape!);
        Assert.Equal([-1L, 40, 30], deflated.MaxShape!);
        Assert.Equal(Hdf5Filter.Fletcher32, Assert.Single(Dataset(root, "checksummed").Filters).Id);
        Assert.Equal(BitConverter.GetBytes(1e20f), Dataset(root, "sparse").FillValue);

        var big = Dataset(root, "bigendian");
        Assert.True(big.Type.BigEndian);
        Assert.Equal(ZarrPartition.Engine.Zarr.ZarrDataType.Float64, big.Type.ToZarrDataType());
        Assert.Equal(BitConverter.GetBytes(9.969209968386869e36), big.FillValue);

        // types and filters compare by content, also across files
        using (var other = Hdf5File.Open(fixtures.PathOf("nc4.nc")))
        {
            Assert.Equal(Dataset(other.Root, "v_f4").Type, Dataset(root, "var0").Type);
            Assert.NotEqual(Dataset(other.Root, "v_f8").Type, Dataset(root, "var0").Type);
            Assert.Equal(Dataset(root, "deflated").Filters, Dataset(Group(file, "/forecast"), "ensemble").Filters);
        }

        var names = Dataset(root, "names");
        Assert.True(names.Type.IsVariableLengthString);
        Assert.Null(names.Type.ToZarrDataType());

        // netCDF's hidden attributes are all readable: dimension references resolve to the dimension datasets
        var dims = Assert.IsType<long[][]>(deflated.Attributes.Single(a => a.Name == "DIMENSION_LIST").Value);
        Assert.Equal(["time", "y", "x"], dims.Select(r => file.DatasetAt(Assert.Single(r))!.Name));
        var refs = Assert.IsType<object[]>(Dataset(root, "y").Attributes.Single(a => a.Name == "REFERENCE_LIST").Value);
        var first = Assert.IsType<Dictionary<string, object?>>(refs[0]);
        Assert.Equal(0, Assert.IsType<int>(first["dimension"]));
        Assert.NotNull(file.DatasetAt(Assert.IsType<long>(first["dataset"])));
        Assert.StartsWith("version=2,netcdf=", Assert.IsType<string>(root.Attributes.Single(a => a.Name == "_NCProperties").Value));
        Assert.Null(file.DatasetAt(root.Address));

        // dense storage keeps creation order, as netCDF-C asks
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"attr_{i:00}"), root.Attributes.Take(12).Select(a => a.Name));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"var{i}"), root.Datasets.Where(d => d.Name.StartsWith("var", StringComparison.Ordinal)).Select(d => d.Name));
        Assert.Equal("/forecast/inner/deep", Group(file, "/forecast/inner").Datasets.Single().Path);
    }

    [Fact]
    public void ABadFletcher32ChecksumIsAnError()
    {
        var bytes = File.ReadAllBytes(fixtures.PathOf("features.nc"));
        var expected = fixtures.Data("features__root__checksummed.bin");
        int at = bytes.AsSpan().IndexOf(expected.AsSpan(0, 40)); // the first row of the first 10x10 chunk
        Assert.True(at > 0);
        bytes[at + 5] ^= 0x01;
        var damaged = Path.Combine(fixtures.Folder, "fletcher-damaged.nc");
        File.WriteAllBytes(damaged, bytes);
        using var file = Hdf5File.Open(damaged);
        var d = Dataset(file.Root, "checksummed");
        var error = Assert.Throws<ZarrPartition.Engine.Errors.SourceFormatException>(() => ReadAll(d));
        Assert.Contains("Fletcher-32", error.Message, StringComparison.Ordinal);
        Assert.Contains("chunk [0, 0]", error.Message, StringComparison.Ordinal);

        // the chunks that are intact still read
        var part = new byte[10 * 10 * 4];
        d.Read([10, 10], [10, 10], part);
        Assert.Equal(Slice(expected, d.Shape, [10, 10], [10, 10], 4), part);
    }

    [Fact]
    public void StringsScalarsAndEmptyDatasetsRead()
    {
        using var file = Hdf5File.Open(fixtures.PathOf("h5_latest.h5"));
        var root = file.Root;
        var scalar = Dataset(root, "scalar");
        Assert.True(scalar.IsScalar);
        Assert.Null(scalar.MaxShape);
        var value = new byte[8];
        scalar.Read([], [], value);
        Assert.Equal(2.5, BitConverter.ToDouble(value));

        Assert.Equal(["abc", "de"], Dataset(root, "fixed_str").ReadStrings([0], [2]));
        Assert.Equal(["bb", "ccc"], Dataset(root, "vlen_str").ReadStrings([1], [2]));
        var empty = Dataset(root, "empty");
        Assert.Equal([0L, 4], empty.Shape);
        empty.Read([0, 0], [0, 4], Span<byte>.Empty);

        var implicitFill = Dataset(root, "chunked_implicit");
        Assert.Equal(new byte[] { 7, 0 }, implicitFill.FillValue);
        Assert.Throws<ArgumentException>(() => scalar.Read([], [], new byte[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => implicitFill.Read([25, 0], [6, 1], new byte[12]));
    }

    private static IEnumerable<(long[] Start, long[] Count)> Regions(Hdf5Dataset d, Random random)
    {
        int rank = d.Shape.Length;
        var start = new long[rank];
        var count = new long[rank];
        for (int k = 0; k < rank; k++)
        {
            start[k] = d.Shape[k] / 3;
            count[k] = Math.Max(Math.Min(1, d.Shape[k]), d.Shape[k] - start[k] - d.Shape[k] / 5);
        }

        if (Elements(count) > 0)
        {
            yield return (start, count);
        }

        for (int i = 0; i < 4; i++)
        {
            var s = new long[rank];
            var c = new long[rank];
            for (int k = 0; k < rank; k++)
            {
                s[k] = d.Shape[k] == 0 ? 0 : random.NextInt64(d.Shape[k]);
                c[k] = d.Shape[k] == 0 ? 0 : 1 + random.NextInt64(d.Shape[k] - s[k]);
            }

            if (Elements(c) > 0)
            {
                yield return (s, c);
            }
        }
    }
}
