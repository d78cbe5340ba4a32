using System.Text.Json.Nodes;
using ZarrPartition.Engine.Tests.Interop;

namespace ZarrPartition.Engine.Tests.NetCdf;

/// <summary>
/// NetCDF-3 files written once per test class by Debian's netCDF4-python, with what netCDF4-python reads
/// back from them: the shared fixture script (tests/interop/python/make_netcdf_fixtures.py) plus a few
/// layouts of our own that it does not cover (a lone record variable, whose records are not padded, in
/// each format; record variables of one value per record).
/// </summary>
public sealed class NetCdf3Fixture : IDisposable
{
    /// <summary>The NetCDF-3 files of the shared fixture script.</summary>
    public static readonly string[] SharedNames = ["classic", "offset64", "cdf5", "classic_norecords", "cdf5_norecords"];

    /// <summary>The files <see cref="ExtraScript"/> writes.</summary>
    public static readonly string[] ExtraNames = ["lone_short_record", "lone_char_record", "lone_ubyte_record_cdf5", "scalar_records", "blocks"];

    public static IEnumerable<string> AllNames => SharedNames.Concat(ExtraNames);

    // Writes the extra files and describes them in the same JSON layout as the shared script.
    private const string ExtraScript = """
        import json, os, sys
        import netCDF4
        import numpy as np

        out = sys.argv[1]
        os.makedirs(os.path.join(out, "data"), exist_ok=True)
        rng = np.random.default_rng(11)

        def plain(v):
            if isinstance(v, str):
                return v
            a = np.atleast_1d(np.asarray(v))
            return ["NaN" if isinstance(x, float) and x != x else x for x in a.tolist()]

        def describe(name):
            ds = netCDF4.Dataset(os.path.join(out, name + ".nc"))
            ds.set_auto_maskandscale(False)
            g = {"dims": {d: [len(x), x.isunlimited()] for d, x in ds.dimensions.items()},
                 "attrs": {a: plain(ds.getncattr(a)) for a in ds.ncattrs()}, "vars": {}}
            for vn, v in ds.variables.items():
                v.set_auto_maskandscale(False)
                arr = np.ascontiguousarray(np.asarray(v[...]))
                fname = f"{name}__root__{vn}.bin"
                arr.astype(arr.dtype.newbyteorder("<")).tofile(os.path.join(out, "data", fname))
                g["vars"][vn] = {"dtype": v.dtype.str, "dims": list(v.dimensions), "shape": list(v.shape),
                                 "attrs": {a: plain(v.getncattr(a)) for a in v.ncattrs()}, "data": fname}
            fmt = ds.data_model if ds.data_model != "NETCDF3_64BIT" else "NETCDF3_64BIT_OFFSET"
            ds.close()
            with open(os.path.join(out, name + ".json"), "w") as f:
                json.dump({"file": name + ".nc", "format": fmt, "groups": {"/": g}}, f)

        def make(name, fmt, build):
            ds = netCDF4.Dataset(os.path.join(out, name + ".nc"), "w", format=fmt)
            build(ds)
            ds.close()
            describe(name)

        def lone_short(ds):
            ds.createDimension("time", None)
            ds.createDimension("x", 3)
            ds.createVariable("flag", "i1", ("x",))[:] = np.array([1, -2, 3], dtype="i1")
            s = ds.createVariable("s", "i2", ("time", "x"))
            s[0:5] = rng.integers(-30000, 30000, (5, 3)).astype("i2")
            s.note = "one record variable of 6 bytes per record: records are not padded"

        def lone_char(ds):
            ds.createDimension("rec", None)
            ds.createDimension("n", 5)
            ds.createVariable("g", "f8", ())[...] = 2.5
            c = ds.createVariable("c", "S1", ("rec", "n"))
            c[0:4] = netCDF4.stringtochar(np.array([b"ab", b"cdefg", b"h", b"ijk"], dtype="S5"))

        def lone_ubyte(ds):
            ds.createDimension("t", None)
            ds.createDimension("a", 3)
            ds.createDimension("b", 3)
            u = ds.createVariable("u", "u1", ("t", "a", "b"))
            u[0:4] = rng.integers(0, 255, (4, 3, 3)).astype("u1")
            ds.createVariable("w", "u8", ("a",))[:] = np.array([1, 2**63 + 5, 18446744073709551614], dtype="u8")

        def scalar_records(ds):
            ds.createDimension("time", None)
            t = ds.createVariable("t", "f8", ("time",))
            b = ds.createVariable("b", "i1", ("time",))
            h = ds.createVariable("h", "i2", ("time",))
            t[0:6] = np.arange(6) * 0.5
            b[0:6] = np.arange(6, dtype="i1") - 3
            h[0:6] = np.arange(6, dtype="i2") * 1000

        def blocks(ds):
            # larger than one 4 MiB gather block, so reads mix block gathers and direct runs
            ds.createDimension("time", None)
            ds.createDimension("z", 12)
            ds.createDimension("y", 200)
            ds.createDimension("x", 500)
            ds.createDimension("n", 7)
            ds.createVariable("grid", "f4", ("z", "y", "x"))[:] = rng.normal(0, 1, (12, 200, 500)).astype("f4")
            ds.createVariable("field", "i2", ("time", "y", "x"))[0:3] = rng.integers(-9999, 9999, (3, 200, 500)).astype("i2")
            ds.createVariable("other", "f8", ("time", "n"))[0:3] = rng.normal(0, 1, (3, 7))

        make("lone_short_record", "NETCDF3_CLASSIC", lone_short)
        make("lone_char_record", "NETCDF3_64BIT_OFFSET", lone_char)
        make("lone_ubyte_record_cdf5", "NETCDF3_64BIT_DATA", lone_ubyte)
        make("scalar_records", "NETCDF3_CLASSIC", scalar_records)
        make("blocks", "NETCDF3_64BIT_OFFSET", blocks)
        print("ok")
        """;

    private readonly TempDir _dir = new();

    public NetCdf3Fixture()
    {
        var script = File.ReadAllText(Path.Combine(ReferenceTools.RepositoryRoot, "tests", "interop", "python", "make_netcdf_fixtures.py"));
        ReferenceTools.RunPython(script, _dir.Path);
        ReferenceTools.RunPython(ExtraScript, _dir.Path);
    }

    public string Folder => _dir.Path;

    public string FilePath(string name) => Path.Combine(_dir.Path, name + ".nc");

    /// <summary>What netCDF4-python read: the root group's entry of NAME.json, and the file's format.</summary>
    public (string Format, JsonObject Root) Describe(string name)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir.Path, name + ".json")))!.AsObject();
        return (doc["format"]!.GetValue<string>(), doc["groups"]!["/"]!.AsObject());
    }

    /// <summary>The raw little-endian C-order values netCDF4-python read for a variable.</summary>
    public byte[] Expected(string dataFile) => File.ReadAllBytes(Path.Combine(_dir.Path, "data", dataFile));

    public void Dispose() => _dir.Dispose();
}
