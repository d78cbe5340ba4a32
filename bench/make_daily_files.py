"""Inputs for the partition-write pipeline benchmark (bench/write-pipeline.sh), made with Debian's netCDF4-python.
N daily NetCDF-4 files, each t2m(time=24, lat=181, lon=360) float32 (smooth field plus noise, fixed seed), deflate 1 +
shuffle, HDF5 chunks (1, 181, 360) (one time step, as daily reanalysis downloads are laid out); time is unlimited,
hours since 2000-01-01. 96 files = 600 MB of decoded t2m.
Usage: python3 make_daily_files.py DIR [N]"""
import os
import sys

import netCDF4
import numpy as np

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 96
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
nt, ny, nx = 24, 181, 360
lat = np.linspace(-90, 90, ny, dtype="f4")
lon = np.linspace(0, 359, nx, dtype="f4")
la, lo = np.deg2rad(lat)[:, None], np.deg2rad(lon)[None, :]
base = 288 - 40 * np.abs(np.sin(la)) + 5 * np.sin(lo * 3)
for day in range(n):
    path = os.path.join(out, f"t2m_{day:03d}.nc")
    tmp = path + ".part"
    ds = netCDF4.Dataset(tmp, "w", format="NETCDF4")
    ds.createDimension("time", None)
    ds.createDimension("lat", ny)
    ds.createDimension("lon", nx)
    t = ds.createVariable("time", "f8", ("time",))
    t.units, t.calendar, t.standard_name = "hours since 2000-01-01 00:00:00", "standard", "time"
    t[:] = np.arange(day * nt, (day + 1) * nt, dtype="f8")
    y = ds.createVariable("lat", "f4", ("lat",))
    y.units, y.standard_name = "degrees_north", "latitude"
    y[:] = lat
    x = ds.createVariable("lon", "f4", ("lon",))
    x.units, x.standard_name = "degrees_east", "longitude"
    x[:] = lon
    v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), zlib=True, complevel=1, shuffle=True, chunksizes=(1, ny, nx))
    v.units, v.long_name = "K", "2 metre temperature"
    hours = np.arange(day * nt, (day + 1) * nt)[:, None, None]
    season = 6 * np.sin(2 * np.pi * hours / (24 * 365)) * np.sign(np.sin(la))[None]
    diurnal = 8 * np.sin(2 * np.pi * hours / 24 + lo[None]) * np.cos(la)[None]
    v[:] = (base[None] + season + diurnal + rng.normal(0, 0.3, (nt, ny, nx))).astype("f4")
    ds.close()
    os.replace(tmp, path)
