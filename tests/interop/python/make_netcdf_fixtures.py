"""Writes the NetCDF/HDF5 fixtures for the reader's tests with Debian's netCDF4-python and h5py, and
what those libraries read back from them, so our reader can be compared value for value.

Usage: python3 make_netcdf_fixtures.py OUTDIR

For every fixture file OUTDIR/<name>.nc (or .h5) this writes OUTDIR/<name>.json:
  {"file": ..., "format": ..., "groups": {path: {"dims": {name: [len, unlimited]},
   "attrs": {name: value}, "vars": {name: {"dtype": numpy str, "dims": [...], "shape": [...],
   "chunks": [...] | null, "filters": {...}, "attrs": {...}, "data": file name | null,
   "strings": [...] | null}}}}}
and, for numeric and char variables, OUTDIR/data/<name>__<group>__<var>.bin: the raw values as netCDF4 reads
them with auto-masking and scaling off, little-endian, C order. Attribute values: text as a string,
numbers as lists (NaN as "NaN"). h5py files use the same layout (dims from dimension scales, if any).
"""
import json
import os
import sys

import h5py
import netCDF4
import numpy as np

out = sys.argv[1]
os.makedirs(os.path.join(out, "data"), exist_ok=True)
rng = np.random.default_rng(7)
NUMERIC = ["i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8"]
CLASSIC_NUMERIC = ["i1", "i2", "i4", "f4", "f8"]
CDF5_NUMERIC = ["i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f4", "f8"]


def values(dtype, shape):
    dt = np.dtype(dtype)
    if dt.kind == "f":
        grids = np.meshgrid(*[np.linspace(0, 2, n) for n in shape], indexing="ij") if shape else [np.array(1.0)]
        return (250 + 20 * np.sin(sum(grids)) + rng.normal(0, 0.1, shape)).astype(dt)
    info = np.iinfo(dt)
    return rng.integers(max(info.min, -100000), min(info.max, 100000), shape, endpoint=True).astype(dt)


def jsonable(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, str):
        return v
    arr = np.atleast_1d(np.asarray(v))
    if arr.dtype.kind in "SU":
        return [x.decode() if isinstance(x, bytes) else str(x) for x in arr.tolist()]
    return ["NaN" if isinstance(x, float) and x != x else x for x in arr.tolist()]


def describe_nc(path, name):
    ds = netCDF4.Dataset(path)
    ds.set_auto_maskandscale(False)
    ds.set_always_mask(False)
    groups = {}

    def walk(g, gpath):
        entry = {"dims": {d: [len(v), v.isunlimited()] for d, v in g.dimensions.items()},
                 "attrs": {a: jsonable(g.getncattr(a)) for a in g.ncattrs()}, "vars": {}}
        for vn, v in g.variables.items():
            v.set_auto_maskandscale(False)
            chunks = v.chunking() if ds.data_model.startswith("NETCDF4") else None
            filters = v.filters() if ds.data_model.startswith("NETCDF4") else None
            ve = {"dtype": v.dtype.str if v.dtype != str else "str", "dims": list(v.dimensions), "shape": list(v.shape),
                  "chunks": None if chunks in (None, "contiguous") else list(chunks),
                  "filters": {k: val for k, val in (filters or {}).items() if val},
                  "attrs": {a: jsonable(v.getncattr(a)) for a in v.ncattrs()}, "data": None, "strings": None}
            data = v[...]
            if v.dtype == str:
                ve["strings"] = [str(x) for x in np.asarray(data, dtype=object).ravel().tolist()]
            else:
                arr = np.ascontiguousarray(np.asarray(data))
                fname = f"{name}__{gpath.strip('/').replace('/', '.') or 'root'}__{vn}.bin"
                arr.astype(arr.dtype.newbyteorder("<")).tofile(os.path.join(out, "data", fname))
                ve["data"] = fname
            entry["vars"][vn] = ve
        groups[gpath or "/"] = entry
        for gn, sub in g.groups.items():
            walk(sub, f"{gpath}/{gn}")

    walk(ds, "")
    fmt = ds.data_model if ds.data_model != "NETCDF3_64BIT" else "NETCDF3_64BIT_OFFSET"
    ds.close()
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump({"file": os.path.basename(path), "format": fmt, "groups": groups}, f, indent=1)


def nc_file(name, fmt, build):
    path = os.path.join(out, name + ".nc")
    ds = netCDF4.Dataset(path, "w", format=fmt)
    build(ds, fmt)
    ds.close()
    describe_nc(path, name)


def standard(ds, fmt):
    """Coordinates, an unlimited time axis, every numeric type the format has, attributes of every kind."""
    types = CLASSIC_NUMERIC if fmt in ("NETCDF3_CLASSIC", "NETCDF3_64BIT_OFFSET", "NETCDF4_CLASSIC") else NUMERIC
    ds.title = "ZarrPartition reader fixture"
    ds.history = "made by make_netcdf_fixtures.py"
    ds.setncattr("int_attr", np.int32(42))
    ds.setncattr("double_list", np.array([1.5, -2.25, np.nan]))
    ds.setncattr("short_attr", np.array([1, 2, 3], dtype="i2"))
    ds.createDimension("time", None)
    ds.createDimension("lat", 7)
    ds.createDimension("lon", 9)
    ds.createDimension("nchar", 6)
    netcdf4 = fmt == "NETCDF4"  # the classic model allows one unlimited dimension
    if netcdf4:
        ds.createDimension("empty", 0)  # a second unlimited dimension, with no records
    t = ds.createVariable("time", "f8", ("time",))
    t.units = "hours since 2000-01-01 00:00:00"
    t.calendar = "standard"
    t[:] = np.arange(5) * 6.0
    lat = ds.createVariable("lat", "f4", ("lat",))
    lat[:] = np.linspace(-60, 60, 7)
    lat.units = "degrees_north"
    lon = ds.createVariable("lon", "f4", ("lon",))
    lon[:] = np.linspace(0, 320, 9)
    for dt in types:
        v = ds.createVariable(f"v_{dt}", dt, ("time", "lat", "lon"))
        v[:] = values(dt, (5, 7, 9))
        v.long_name = f"variable of type {dt}"
    packed = ds.createVariable("t2m_packed", "i2", ("time", "lat", "lon"), fill_value=np.int16(-32767))
    packed.scale_factor = 0.01
    packed.add_offset = 273.15
    packed.units = "K"
    packed.set_auto_maskandscale(False)
    raw = values("i2", (5, 7, 9))
    raw[0, 0, :3] = -32767
    packed[:] = raw
    fill = ds.createVariable("with_fill", "f4", ("lat", "lon"), fill_value=np.float32(-999.0))
    fill[2:4, :] = values("f4", (2, 9))  # other rows stay at the fill value
    scalar = ds.createVariable("scalar", "f8", ())
    scalar[...] = 3.14159
    scalar.note = "a scalar variable"
    station = ds.createVariable("station", "S1", ("lat", "nchar"))
    station[:] = netCDF4.stringtochar(np.array([f"st{i:03d}" for i in range(7)], dtype="S6"))
    if netcdf4:
        ds.createVariable("nothing", "f4", ("empty", "lon"))


def no_records(ds, fmt):
    """An unlimited dimension with no records: the classic formats' zero-length dimension."""
    ds.createDimension("time", None)
    ds.createDimension("x", 4)
    ds.createVariable("time", "i4", ("time",))
    ds.createVariable("v", "f4", ("time", "x"))
    ds.createVariable("fixed", "i2", ("x",))[:] = np.arange(4, dtype="i2")


nc_file("classic", "NETCDF3_CLASSIC", standard)
nc_file("offset64", "NETCDF3_64BIT_OFFSET", standard)
nc_file("cdf5", "NETCDF3_64BIT_DATA", standard)
nc_file("nc4classic", "NETCDF4_CLASSIC", standard)
nc_file("nc4", "NETCDF4", standard)
nc_file("classic_norecords", "NETCDF3_CLASSIC", no_records)
nc_file("cdf5_norecords", "NETCDF3_64BIT_DATA", no_records)


def nc4_features(ds, fmt):
    """Chunked storage with filters, big-endian data, dense attributes, many variables, groups, strings."""
    for i in range(12):
        ds.setncattr(f"attr_{i:02d}", f"value {i}")  # more than 8: dense attribute storage
    ds.createDimension("time", None)
    ds.createDimension("y", 40)
    ds.createDimension("x", 30)
    for i in range(10):  # more than 8 variables: dense link storage
        v = ds.createVariable(f"var{i}", "f4", ("y", "x"))
        v[:] = values("f4", (40, 30))
    z = ds.createVariable("deflated", "f4", ("time", "y", "x"), zlib=True, complevel=4, shuffle=True, chunksizes=(2, 16, 16))
    z[0:5] = values("f4", (5, 40, 30))
    z.units = "K"
    f32 = ds.createVariable("checksummed", "i4", ("y", "x"), fletcher32=True, chunksizes=(10, 10))
    f32[:] = values("i4", (40, 30))
    big = ds.createVariable("bigendian", "f8", ("y", "x"), endian="big")
    big[:] = values("f8", (40, 30))
    bigi = ds.createVariable("bigendian_i2", "i2", ("y", "x"), endian="big", zlib=True)
    bigi[:] = values("i2", (40, 30))
    sparse = ds.createVariable("sparse", "f4", ("y", "x"), chunksizes=(10, 10), fill_value=np.float32(1e20))
    sparse[0:10, 0:10] = values("f4", (10, 10))  # the other chunks are never written
    dense_attrs = ds.createVariable("many_attrs", "i2", ("y",))
    for i in range(11):
        dense_attrs.setncattr(f"a{i}", np.float64(i) / 3)
    dense_attrs[:] = np.arange(40, dtype="i2")
    s = ds.createVariable("names", str, ("y",))
    s[:] = np.array([f"name-{i}" for i in range(40)], dtype=object)
    ds.setncattr_string("string_attr", ["one", "two"])
    g = ds.createGroup("forecast")
    g.model = "test"
    g.createDimension("member", 3)
    m = g.createVariable("ensemble", "f4", ("member", "y", "x"), zlib=True)
    m[:] = values("f4", (3, 40, 30))
    sub = g.createGroup("inner")
    sub.createVariable("deep", "i8", ("member",))[:] = np.array([1, 2, 3])
    coord_clash = ds.createVariable("x", "f4", ("y",))  # a variable named like a dimension it does not use
    coord_clash[:] = values("f4", (40,))


nc_file("features", "NETCDF4", nc4_features)


def h5(name, libver, build):
    path = os.path.join(out, name + ".h5")
    with h5py.File(path, "w", libver=libver) as f:
        build(f)
    # expected values straight from h5py
    desc = {"file": os.path.basename(path), "format": "HDF5", "groups": {}}
    with h5py.File(path, "r") as f:
        def visit(gpath, g):
            entry = {"dims": {}, "attrs": {k: jsonable(v) for k, v in g.attrs.items()}, "vars": {}}
            for k, obj in g.items():
                if isinstance(obj, h5py.Dataset):
                    ve = {"dtype": obj.dtype.str, "dims": [], "shape": list(obj.shape), "chunks": list(obj.chunks) if obj.chunks else None,
                          "filters": {"compression": obj.compression, "shuffle": obj.shuffle, "fletcher32": obj.fletcher32},
                          "attrs": {a: jsonable(v) for a, v in obj.attrs.items() if a not in ("DIMENSION_LIST", "REFERENCE_LIST", "CLASS", "NAME")},
                          "layout": obj.id.get_create_plist().get_layout(), "data": None, "strings": None}
                    arr = obj[...]
                    if obj.dtype.kind == "O":
                        ve["strings"] = [x.decode() if isinstance(x, bytes) else str(x) for x in np.asarray(arr).ravel().tolist()]
                    else:
                        arr = np.ascontiguousarray(arr)
                        fname = f"{name}__{gpath.strip('/').replace('/', '.') or 'root'}__{k}.bin"
                        arr.astype(arr.dtype.newbyteorder("<")).tofile(os.path.join(out, "data", fname))
                        ve["data"] = fname
                    entry["vars"][k] = ve
                else:
                    visit(f"{gpath}/{k}", obj)
            desc["groups"][gpath or "/"] = entry
        visit("", f)
    with open(os.path.join(out, name + ".json"), "w") as fo:
        json.dump(desc, fo, indent=1)


def h5_layouts(f):
    f.attrs["title"] = "h5py fixture"
    f.create_dataset("contiguous", data=values("f8", (20, 30)))
    compact = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    compact.set_layout(h5py.h5d.COMPACT)
    dsid = h5py.h5d.create(f.id, b"compact", h5py.h5t.STD_I32LE, h5py.h5s.create_simple((4, 5)), dcpl=compact)
    dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, values("<i4", (4, 5)))
    f.create_dataset("chunked_single", data=values("f4", (16, 16)), chunks=(16, 16))  # one chunk: single-chunk index (v4)
    f.create_dataset("chunked_fixed", data=values("f4", (64, 50)), chunks=(16, 10), compression="gzip", shuffle=True)  # fixed array (v4)
    ext = f.create_dataset("chunked_ext1", shape=(0, 20), maxshape=(None, 20), chunks=(4, 20), dtype="i2", compression="gzip")  # extensible array (v4)
    ext.resize((37, 20))
    ext[...] = values("i2", (37, 20))
    ext2 = f.create_dataset("chunked_btree2", shape=(0, 0), maxshape=(None, None), chunks=(5, 5), dtype="f8", fletcher32=True)  # v2 B-tree (v4)
    ext2.resize((23, 17))
    ext2[...] = values("f8", (23, 17))
    early = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    early.set_chunk((10, 10))
    early.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)  # early allocation, no filters: the implicit index (v4)
    early.set_fill_value(np.array(7, dtype="<u2"))
    dsid = h5py.h5d.create(f.id, b"chunked_implicit", h5py.h5t.STD_U16LE, h5py.h5s.create_simple((30, 30)), dcpl=early)
    part = np.full((30, 30), 7, dtype="<u2")
    part[10:20, :] = values("u2", (10, 30))
    dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, part)
    partial = f.create_dataset("unallocated", shape=(30, 30), chunks=(10, 10), dtype="f4", fillvalue=-1.5)
    partial[0:10, 0:10] = values("f4", (10, 10))
    f.create_dataset("big_endian", data=values(">i4", (12, 7)), chunks=(4, 7))
    f.create_dataset("scalar", data=np.float64(2.5))
    f.create_dataset("empty", shape=(0, 4), dtype="f4", chunks=(1, 4), maxshape=(None, 4))
    f.create_dataset("vlen_str", data=np.array(["a", "bb", "ccc"], dtype=object), dtype=h5py.string_dtype())
    f.create_dataset("fixed_str", data=np.array([b"abc", b"de"], dtype="S4"))
    for i in range(10):
        f.attrs[f"attr{i}"] = i
    g = f.create_group("nested/deeper")
    g.create_dataset("values", data=np.arange(10, dtype="u8"))
    g.attrs["text"] = "inside"


h5("h5_earliest", "earliest", h5_layouts)
h5("h5_latest", "latest", h5_layouts)
print("ok")
