using System.Buffers.Binary;
using ZarrPartition.Engine.Errors;
using ZarrPartition.Engine.Hdf5;
using ZarrPartition.Engine.Tests.Interop;
using static ZarrPartition.Engine.Tests.Hdf5.Hdf5TestSupport;

namespace ZarrPartition.Engine.Tests.Hdf5;

/// <summary>
/// Files that exercise the less common corners of the format, written by h5py and netCDF4-python:
/// a user block, tracked creation order, a committed datatype, compound/enum/array types, deep v1
/// B-trees, paged fixed arrays, extensible arrays with super blocks and paged data blocks, zstd and
/// blosc chunks, an unknown filter, a skipped filter (chunk mask), attributes stored as huge
/// fractal-heap objects, and a group whose links need indirect heap blocks.
/// </summary>
public sealed class Hdf5FeatureFiles : IDisposable
{
    public const string Script = """
import json, os, sys
import h5py, netCDF4, numpy as np, numcodecs
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(3)

# user block: the superblock sits at byte 512
with h5py.File(os.path.join(out, "userblock.h5"), "w", userblock_size=512) as f:
    f["v"] = np.arange(12, dtype="<i4").reshape(3, 4)
    f.attrs["where"] = "after a user block"

# creation order tracked; attributes written in reverse name order; a committed datatype; compound, enum, array types
with h5py.File(os.path.join(out, "types.h5"), "w", track_order=True) as f:
    for name in ["zeta", "alpha", "mid"]:
        f.create_group(name)
    for name in ["z_attr", "a_attr", "m_attr"]:
        f.attrs[name] = name
    f["named_f8"] = np.dtype("<f8")
    f.create_dataset("uses_named", data=np.linspace(0, 1, 5), dtype=f["named_f8"])
    comp = np.dtype([("x", "<i4"), ("y", "<f8"), ("tag", "S3")])
    f.create_dataset("compound", data=np.array([(1, 1.5, b"ab"), (2, -2.5, b"xyz")], dtype=comp))
    f.attrs.create("enum_attr", np.array([0, 1, 1], dtype="u1"), dtype=h5py.enum_dtype({"RED": 0, "GREEN": 1}, basetype="u1"))
    f.attrs.create("array_attr", np.array([[1, 2, 3], [4, 5, 6]], dtype="<i2"), dtype=np.dtype(("<i2", (3,))))
    f.attrs["vlen_strings"] = np.array(["α", "βγ", ""], dtype=h5py.string_dtype())
    f.attrs["scalar_f4_be"] = np.array(2.5, dtype=">f4")
    f.create_dataset("vlen_scalar", data="only one", dtype=h5py.string_dtype())
    f["flags"] = np.array([True, False, True])
    f.create_dataset("never_written", shape=(5,), dtype="<f4", fillvalue=np.float32(3.5))
    values = rng.integers(-1000, 1000, (50, 40))
    f.create_dataset("big_be_chunks", data=values.astype(">i8"), chunks=(7, 9), compression="gzip", shuffle=True)
    values.astype("<i8").tofile(os.path.join(out, "big_be_chunks.bin"))

# many chunks: a deep v1 B-tree, a paged fixed array, an extensible array with super blocks and paged data blocks
with h5py.File(os.path.join(out, "chunks_old.h5"), "w") as f:
    f.create_dataset("deep", data=np.arange(300 * 400, dtype="<i4").reshape(300, 400), chunks=(3, 4))
with h5py.File(os.path.join(out, "chunks_new.h5"), "w", libver="latest") as f:
    f.create_dataset("paged_fixed", data=np.arange(200 * 60, dtype="<u2").reshape(200, 60), chunks=(2, 3), compression="gzip")
    ea = f.create_dataset("ea_many", shape=(0,), maxshape=(None,), chunks=(2,), dtype="<f4")
    ea.resize((9000,))
    ea[...] = np.arange(9000, dtype="<f4")
    ea2 = f.create_dataset("ea_unlim_second", shape=(3, 0), maxshape=(3, None), chunks=(2, 5), dtype="<i2")
    ea2.resize((3, 47))
    ea2[...] = np.arange(141, dtype="<i2").reshape(3, 47)
    sparse = f.create_dataset("ea_sparse", shape=(0, 4), maxshape=(None, 4), chunks=(1, 4), dtype="<i4", fillvalue=-9)
    sparse.resize((5000, 4))
    sparse[4000] = [1, 2, 3, 4]
    sparse[17] = [5, 6, 7, 8]

# filters from outside HDF5 (zstd 32015, blosc 32001) written as precompressed chunks; an unknown filter
with h5py.File(os.path.join(out, "plugins.h5"), "w") as f:
    data = np.arange(64 * 10, dtype="<f8").reshape(64, 10) * 0.5
    for name, fid, codec in [("zstd", 32015, numcodecs.Zstd(level=3)), ("blosc", 32001, numcodecs.Blosc(cname="lz4", clevel=5, shuffle=1, blocksize=0))]:
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk((16, 10))
        dcpl.set_filter(fid, h5py.h5z.FLAG_OPTIONAL, ())
        d = h5py.h5d.create(f.id, name.encode(), h5py.h5t.IEEE_F64LE, h5py.h5s.create_simple((64, 10)), dcpl=dcpl)
        for i in range(4):
            d.write_direct_chunk((16 * i, 0), codec.encode(np.ascontiguousarray(data[16 * i:16 * (i + 1)]).tobytes()), 0)
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_chunk((4,))
    dcpl.set_filter(32004, h5py.h5z.FLAG_OPTIONAL, ())
    d = h5py.h5d.create(f.id, b"lz4", h5py.h5t.STD_I32LE, h5py.h5s.create_simple((8,)), dcpl=dcpl)
    d.write_direct_chunk((0,), b"\x00" * 16, 0)
    # a chunk whose deflate step was skipped: filter mask bit 1 set (shuffle applied, deflate not)
    dm = f.create_dataset("masked", shape=(8,), chunks=(8,), dtype="<i4", compression="gzip", shuffle=True)
    raw = np.arange(8, dtype="<i4").tobytes()
    shuffled = bytes(raw[j * 4 + b] for b in range(4) for j in range(8))
    dm.id.write_direct_chunk((0,), shuffled, 2)

# netCDF-4: attributes over 4 KiB in dense storage (huge fractal-heap objects), many links (indirect heap blocks)
ds = netCDF4.Dataset(os.path.join(out, "dense.nc"), "w", format="NETCDF4")
for i in range(10):
    ds.setncattr(f"a{i}", f"short {i}")
ds.setncattr("long_text", "x" * 9000 + "end")
ds.createDimension("n", 3)
for i in range(600):
    v = ds.createVariable(f"v{i:03d}", "i2", ("n",))
    v[:] = [i, i + 1, i + 2]
w = ds.createVariable("w", "f8", ("n",))
for i in range(9):
    w.setncattr(f"b{i}", i)
w.setncattr("many", np.arange(2000, dtype="f8"))
ds.close()
print("ok")
""";

    private readonly TempDir dir = new();

    public Hdf5FeatureFiles() => ReferenceTools.RunPython(Script, dir.Path);

    public string PathOf(string name) => Path.Combine(dir.Path, name);

    public void Dispose() => dir.Dispose();
}

public sealed class Hdf5FeatureTests(Hdf5FeatureFiles files) : IClassFixture<Hdf5FeatureFiles>
{
    [Fact]
    public void SuperblockAfterAUserBlock()
    {
        using var file = Hdf5File.Open(files.PathOf("userblock.h5"));
        Assert.Equal("after a user block", file.Root.Attributes.Single().Value);
        Assert.Equal(Enumerable.Range(0, 12).ToArray(), Ints(ReadAll(file.Root.Datasets.Single())));
    }

    [Fact]
    public void CreationOrderCommittedTypesAndCompositeTypes()
    {
        using var file = Hdf5File.Open(files.PathOf("types.h5"));
        var root = file.Root;
        Assert.Equal(["zeta", "alpha", "mid"], root.Groups.Select(g => g.Name));
        Assert.Equal(["z_attr", "a_attr", "m_attr"], root.Attributes.Take(3).Select(a => a.Name));

        var named = Dataset(root, "uses_named");
        Assert.Equal(Hdf5TypeClass.FloatingPoint, named.Type.Class);
        Assert.Equal(new[] { 0, 0.25, 0.5, 0.75, 1 }, Doubles(ReadAll(named)));

        var compound = Dataset(root, "compound");
        Assert.Equal(["x", "y", "tag"], compound.Type.Members.Select(m => m.Name));
        var bytes = ReadAll(compound);
        int size = compound.Type.Size;
        var y = compound.Type.Members[1];
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(size + compound.Type.Members[0].Offset)));
        Assert.Equal(-2.5, BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(size + y.Offset)));

        Assert.Equal(new byte[] { 0, 1, 1 }, Attribute(root, "enum_attr"));
        Assert.Equal(Hdf5TypeClass.Enum, root.Attributes.Single(a => a.Name == "enum_attr").Type.Class);
        Assert.Equal(new short[] { 1, 2, 3, 4, 5, 6 }, Attribute(root, "array_attr"));
        Assert.Equal(new[] { "α", "βγ", "" }, Attribute(root, "vlen_strings"));
        Assert.Equal(new[] { 2.5f }, Attribute(root, "scalar_f4_be"));
        var scalar = Dataset(root, "vlen_scalar");
        Assert.True(scalar.IsScalar);
        Assert.Equal(["only one"], scalar.ReadStrings([], []));

        var flags = Dataset(root, "flags");
        Assert.True(flags.Type.IsBoolean);
        Assert.Equal(ZarrPartition.Engine.Zarr.ZarrDataType.Bool, flags.Type.ToZarrDataType());
        Assert.Equal(new byte[] { 1, 0, 1 }, ReadAll(flags));

        var never = Dataset(root, "never_written");
        Assert.Equal("contiguous", never.Layout);
        Assert.Equal(new[] { 3.5f, 3.5f, 3.5f, 3.5f, 3.5f }, Enumerable.Range(0, 5).Select(i => BinaryPrimitives.ReadSingleLittleEndian(ReadAll(never).AsSpan(4 * i))).ToArray());

        var big = Dataset(root, "big_be_chunks");
        Assert.True(big.Type.BigEndian);
        Assert.Equal(File.ReadAllBytes(files.PathOf("big_be_chunks.bin")), ReadAll(big));
    }

    [Fact]
    public void ManyChunksInEveryIndex()
    {
        using (var old = Hdf5File.Open(files.PathOf("chunks_old.h5")))
        {
            var deep = old.Root.Datasets.Single();
            Assert.Equal(Enumerable.Range(0, 300 * 400).ToArray(), Ints(ReadAll(deep)));
            var part = new byte[7 * 9 * 4];
            deep.Read([101, 202], [7, 9], part);
            Assert.Equal(Enumerable.Range(0, 7).SelectMany(r => Enumerable.Range(0, 9).Select(c => (101 + r) * 400 + 202 + c)).ToArray(), Ints(part));
        }

        using var file = Hdf5File.Open(files.PathOf("chunks_new.h5"));
        var root = file.Root;
        var paged = Dataset(root, "paged_fixed");
        Assert.Equal("fixed-array", paged.ChunkIndex);
        var pagedValues = ReadAll(paged);
        Assert.Equal(Enumerable.Range(0, 12000).Select(i => (ushort)i).ToArray(), Enumerable.Range(0, 12000).Select(i => BinaryPrimitives.ReadUInt16LittleEndian(pagedValues.AsSpan(2 * i))).ToArray());

        var many = Dataset(root, "ea_many");
        Assert.Equal("extensible-array", many.ChunkIndex);
        var floats = ReadAll(many);
        Assert.Equal(Enumerable.Range(0, 9000).Select(i => (float)i).ToArray(), Enumerable.Range(0, 9000).Select(i => BinaryPrimitives.ReadSingleLittleEndian(floats.AsSpan(4 * i))).ToArray());

        var second = Dataset(root, "ea_unlim_second");
        Assert.Equal([3L, -1], second.MaxShape!);
        var shorts = ReadAll(second);
        Assert.Equal(Enumerable.Range(0, 141).Select(i => (short)i).ToArray(), Enumerable.Range(0, 141).Select(i => BinaryPrimitives.ReadInt16LittleEndian(shorts.AsSpan(2 * i))).ToArray());

        var sparse = Dataset(root, "ea_sparse");
        var values = Ints(ReadAll(sparse));
        for (int row = 0; row < 5000; row++)
        {
            var expected = row == 4000 ? new[] { 1, 2, 3, 4 } : row == 17 ? new[] { 5, 6, 7, 8 } : new[] { -9, -9, -9, -9 };
            Assert.Equal(expected, values.AsSpan(row * 4, 4).ToArray());
        }
    }

    [Fact]
    public void PluginFiltersSkippedFiltersAndUnknownFilters()
    {
        using var file = Hdf5File.Open(files.PathOf("plugins.h5"));
        var root = file.Root;
        var expected = Enumerable.Range(0, 640).Select(i => i * 0.5).ToArray();
        Assert.Equal(expected, Doubles(ReadAll(Dataset(root, "zstd"))));
        Assert.Equal(expected, Doubles(ReadAll(Dataset(root, "blosc"))));
        Assert.Equal(Enumerable.Range(0, 8).ToArray(), Ints(ReadAll(Dataset(root, "masked"))));

        var lz4 = Dataset(root, "lz4");
        Assert.Equal(32004, lz4.Filters.Single().Id);
        var error = Assert.Throws<SourceFormatException>(() => ReadAll(lz4));
        Assert.Contains("32004", error.Message, StringComparison.Ordinal);
        Assert.Contains("/lz4", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("blosc")]
    public void DamagedPluginChunksAreSourceFormatErrorsNamingDatasetAndChunk(string name)
    {
        var bytes = File.ReadAllBytes(files.PathOf("plugins.h5"));
        using (var file = Hdf5File.Open(files.PathOf("plugins.h5")))
        {
            Assert.True(Dataset(file.Root, name).TryGetChunk([2, 0], out long address, out long size));
            Assert.True(size > 16);
            for (int i = 4; i < 16; i++)
            {
                bytes[address + i] ^= 0x5A; // frame header fields after the magic / version bytes
            }
        }

        var damaged = files.PathOf($"damaged-{name}.h5");
        File.WriteAllBytes(damaged, bytes);
        using var broken = Hdf5File.Open(damaged);
        var d = Dataset(broken.Root, name);
        var error = Assert.Throws<SourceFormatException>(() => ReadAll(d));
        Assert.Contains($"dataset '/{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("chunk [2, 0]", error.Message, StringComparison.Ordinal);
        Assert.Contains(damaged, error.Message, StringComparison.Ordinal);

        // the other chunks are intact
        var first = new byte[16 * 10 * 8];
        d.Read([0, 0], [16, 10], first);
        Assert.Equal(Enumerable.Range(0, 160).Select(i => i * 0.5).ToArray(), Doubles(first));
    }

    [Fact]
    public void HugeDenseAttributesAndIndirectHeapBlocks()
    {
        using var file = Hdf5File.Open(files.PathOf("dense.nc"));
        var root = file.Root;
        Assert.Equal(new string('x', 9000) + "end", Attribute(root, "long_text"));
        var variables = root.Datasets.Where(d => d.Name.StartsWith('v')).ToList();
        Assert.Equal(Enumerable.Range(0, 600).Select(i => $"v{i:000}"), variables.Select(d => d.Name));
        var v599 = ReadAll(variables[599]);
        Assert.Equal(new short[] { 599, 600, 601 }, Enumerable.Range(0, 3).Select(i => BinaryPrimitives.ReadInt16LittleEndian(v599.AsSpan(2 * i))).ToArray());
        var w = Dataset(root, "w");
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (double)i).ToArray(), Attribute(w, "many"));
        Assert.Equal(new long[] { 8 }, Attribute(w, "b8"));
    }

    private static object? Attribute(Hdf5Group g, string name) => g.Attributes.Single(a => a.Name == name).Value;

    private static object? Attribute(Hdf5Dataset d, string name) => d.Attributes.Single(a => a.Name == name).Value;

    private static int[] Ints(byte[] bytes) => Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i))).ToArray();

    private static double[] Doubles(byte[] bytes) => Enumerable.Range(0, bytes.Length / 8).Select(i => BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(8 * i))).ToArray();
}
