"""Writes Zarr v2 fixtures with Debian's zarr-python 2.13 / numcodecs, for the engine's interop tests.

Usage: python3 make_zarr_fixtures.py OUTDIR
Creates OUTDIR/store.zarr (a group with one array per case) and, for each case, OUTDIR/expected/<name>.bin
holding the array's values as little-endian C-order bytes, plus OUTDIR/manifest.json.
"""
import json
import os
import sys

import numpy as np
import zarr
from numcodecs import GZip, LZ4, Blosc, Zlib, Zstd

out = sys.argv[1]
os.makedirs(os.path.join(out, "expected"), exist_ok=True)
root = zarr.open_group(os.path.join(out, "store.zarr"), mode="w")
rng = np.random.default_rng(42)
manifest = []


def climate(shape, dtype):
    """Smooth, climate-like values with some noise."""
    grids = np.meshgrid(*[np.linspace(0, 3, n) for n in shape], indexing="ij")
    base = 250 + 30 * np.sin(sum(grids)) + rng.normal(0, 0.5, shape)
    return base.astype(dtype)


def values(shape, dtype):
    dt = np.dtype(dtype)
    if dt.kind == "f":
        return climate(shape, dt)
    if dt.kind == "b":
        return rng.integers(0, 2, shape).astype(bool)
    info = np.iinfo(dt)
    return rng.integers(info.min, info.max, shape, dtype=dt.newbyteorder("="), endpoint=True).astype(dt)


def case(name, data, **kwargs):
    arr = root.create_dataset(name, shape=data.shape, dtype=data.dtype, **kwargs)
    if data.size:
        arr[...] = data
    full = arr[...]
    expected = np.ascontiguousarray(full).astype(full.dtype.newbyteorder("<"))
    expected.tofile(os.path.join(out, "expected", name + ".bin"))
    arr.attrs["_ARRAY_DIMENSIONS"] = [f"d{i}" for i in range(data.ndim)]
    arr.attrs["case"] = name
    manifest.append({"name": name, "dtype": arr.dtype.str, "shape": list(arr.shape), "chunks": list(arr.chunks)})


# zarr-python's defaults (Blosc lz4 5 shuffle)
case("default_f4", climate((37, 29, 23), "f4"), chunks=(10, 8, 7))
# every compressor, on uneven edges
for cname in ["blosclz", "lz4", "lz4hc", "zlib", "zstd"]:
    for shuffle, sname in [(Blosc.NOSHUFFLE, "no"), (Blosc.SHUFFLE, "byte"), (Blosc.BITSHUFFLE, "bit")]:
        case(f"blosc_{cname}_{sname}_f4", climate((50, 70), "f4"), chunks=(16, 40),
             compressor=Blosc(cname=cname, clevel=5, shuffle=shuffle))
        case(f"blosc_{cname}_{sname}_i2", values((3000,), "i2"), chunks=(1024,),
             compressor=Blosc(cname=cname, clevel=9, shuffle=shuffle, blocksize=256))
case("blosc_clevel0_f8", climate((40, 30), "f8"), chunks=(16, 16), compressor=Blosc(cname="lz4", clevel=0))
case("blosc_autoshuffle_u1", values((5000,), "u1"), chunks=(2048,), compressor=Blosc(cname="lz4", shuffle=Blosc.AUTOSHUFFLE))
case("zlib_f4", climate((33, 17), "f4"), chunks=(10, 10), compressor=Zlib(level=1))
case("gzip_f8", climate((33, 17), "f8"), chunks=(10, 10), compressor=GZip(level=6))
case("zstd_i4", values((33, 17), "i4"), chunks=(10, 10), compressor=Zstd(level=3))
case("lz4_u2", values((33, 17), "u2"), chunks=(10, 10), compressor=LZ4())
case("none_f4", climate((33, 17), "f4"), chunks=(10, 10), compressor=None)
# every data type, both byte orders
for dt in ["|b1", "|i1", "|u1", "<i2", "<u2", "<i4", "<u4", "<i8", "<u8", "<f4", "<f8",
           ">i2", ">u2", ">i4", ">u4", ">i8", ">u8", ">f4", ">f8"]:
    name = "dtype_" + dt.replace("<", "le_").replace(">", "be_").replace("|", "")
    case(name, values((19, 13), dt), chunks=(8, 5))
# F order, NaN and integer fill values with missing chunks, "/" separator, 0-d arrays
case("order_f_f4", climate((21, 14, 9), "f4"), chunks=(8, 5, 4), order="F")
case("order_f_be_i4", values((21, 14), ">i4"), chunks=(8, 5), order="F")
nan_fill = root.create_dataset("nan_fill_f4", shape=(30, 30), chunks=(10, 10), dtype="f4", fill_value=np.nan)
nan_fill[0:10, 0:10] = climate((10, 10), "f4")
nan_fill[25:30, 12:15] = 1.5  # a partial chunk
np.ascontiguousarray(nan_fill[...]).astype("<f4").tofile(os.path.join(out, "expected", "nan_fill_f4.bin"))
manifest.append({"name": "nan_fill_f4", "dtype": "<f4", "shape": [30, 30], "chunks": [10, 10]})
int_fill = root.create_dataset("int_fill_i2", shape=(30, 30), chunks=(10, 10), dtype="i2", fill_value=-999)
int_fill[10:20, :] = values((10, 30), "i2")
np.ascontiguousarray(int_fill[...]).astype("<i2").tofile(os.path.join(out, "expected", "int_fill_i2.bin"))
manifest.append({"name": "int_fill_i2", "dtype": "<i2", "shape": [30, 30], "chunks": [10, 10]})
case("slash_sep_f4", climate((25, 25), "f4"), chunks=(10, 10), dimension_separator="/")
case("scalar_f8", np.array(3.25, dtype="f8"))
case("scalar_i4_nocomp", np.array(-7, dtype="i4"), compressor=None)
case("empty_dim_f4", np.zeros((0, 5), dtype="f4"), chunks=(4, 5))
case("bytes_s5", np.array([b"abc", b"hello", b"", b"xyz12"], dtype="S5"), chunks=(3,))

zarr.consolidate_metadata(root.store)
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f)
print(len(manifest))
