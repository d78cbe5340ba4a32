"""Makes the small sample store shipped in examples/data/sample.zarr (run by hand; needs Debian's
python3-zarr): two days of hourly 2 m temperature on a coarse global grid, as zarr-python 2.13
writes it with its defaults, plus coordinates and CF attributes.
Usage: python3 examples/data/make_sample.py examples/data/sample.zarr"""
import sys

import numpy as np
import zarr

out = sys.argv[1]
root = zarr.open_group(out, mode="w")
root.attrs.update({"title": "ZarrPartition sample: hourly 2 m temperature", "Conventions": "CF-1.8"})
nt, ny, nx = 48, 36, 72
rng = np.random.default_rng(1)
lat = np.linspace(-87.5, 87.5, ny, dtype="f4")
lon = np.linspace(0, 355, nx, dtype="f4")
time = np.arange(nt, dtype="i8")
t = 288 - 35 * np.abs(np.sin(np.deg2rad(lat)))[None, :, None] \
    + 6 * np.sin(2 * np.pi * time / 24)[:, None, None] * np.cos(np.deg2rad(lon))[None, None, :] \
    + rng.normal(0, 0.4, (nt, ny, nx))
for name, data, dims, attrs, chunks in [
    ("time", time, ["time"], {"units": "hours since 2020-01-01", "calendar": "proleptic_gregorian", "standard_name": "time"}, (nt,)),
    ("lat", lat, ["lat"], {"units": "degrees_north", "standard_name": "latitude"}, (ny,)),
    ("lon", lon, ["lon"], {"units": "degrees_east", "standard_name": "longitude"}, (nx,)),
    ("t2m", t.astype("f4"), ["time", "lat", "lon"], {"units": "K", "long_name": "2 metre temperature"}, (12, ny, nx)),
]:
    a = root.create_dataset(name, data=data, chunks=chunks, fill_value=np.nan if data.dtype.kind == "f" else None)
    a.attrs.update(attrs)
    a.attrs["_ARRAY_DIMENSIONS"] = dims
zarr.consolidate_metadata(out)
