"""Inputs for the reader benchmark (bench/read-netcdf.sh).
Usage: python3 make_read_files.py big OUT.nc      -> t2m(time=2400, lat=181, lon=360) float32, deflate 1 + shuffle, chunks (24,181,360): 625 MB decoded
       python3 make_read_files.py many DIR N      -> N small NetCDF-4 files, each with x(20, 30) float32"""
import os
import sys

import netCDF4
import numpy as np

rng = np.random.default_rng(0)
if sys.argv[1] == "big":
    ds = netCDF4.Dataset(sys.argv[2], "w", format="NETCDF4")
    nt, ny, nx = 2400, 181, 360
    ds.createDimension("time", None)
    ds.createDimension("lat", ny)
    ds.createDimension("lon", nx)
    v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), zlib=True, complevel=1, shuffle=True, chunksizes=(24, ny, nx))
    lat = np.linspace(-90, 90, ny, dtype="f4")[:, None]
    lon = np.linspace(0, 359, nx, dtype="f4")[None, :]
    base = 288 - 40 * np.abs(np.sin(np.deg2rad(lat))) + 5 * np.sin(np.deg2rad(lon) * 3)
    for t0 in range(0, nt, 24):
        hours = np.arange(t0, t0 + 24)[:, None, None]
        v[t0:t0 + 24] = (base[None] + 8 * np.sin(2 * np.pi * hours / 24 + np.deg2rad(lon)[None]) + rng.normal(0, 0.3, (24, ny, nx))).astype("f4")
    ds.close()
else:
    out, n = sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    for i in range(n):
        ds = netCDF4.Dataset(os.path.join(out, f"f{i:05d}.nc"), "w", format="NETCDF4")
        ds.createDimension("y", 20)
        ds.createDimension("x", 30)
        ds.createVariable("x", "f4", ("y", "x"))[:] = rng.normal(0, 1, (20, 30)).astype("f4")
        ds.close()
