"""netCDF4-python's side of the reader benchmark. Prints CSV lines: case,seconds,MB_per_s.
Usage: python3 read_netcdf4_python.py big FILE REPEATS | many DIR REPEATS"""
import glob
import os
import sys
import time

import netCDF4

mode, target, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "big":
    best_whole = best_slab = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        with netCDF4.Dataset(target) as ds:
            data = ds["t2m"][...]
        best_whole = min(best_whole, time.perf_counter() - t)
        nbytes = data.nbytes
        del data
        t = time.perf_counter()
        with netCDF4.Dataset(target) as ds:
            v = ds["t2m"]
            for t0 in range(0, v.shape[0], 24):
                v[t0:t0 + 24]
        best_slab = min(best_slab, time.perf_counter() - t)
    print(f"netCDF4-python whole,{best_whole:.3f},{nbytes / 1e6 / best_whole:.1f}")
    print(f"netCDF4-python slabs,{best_slab:.3f},{nbytes / 1e6 / best_slab:.1f}")
else:
    files = sorted(glob.glob(os.path.join(target, "*.nc")))
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        total = 0
        for f in files:
            with netCDF4.Dataset(f) as ds:
                total += ds["x"][...].nbytes
        best = min(best, time.perf_counter() - t)
    print(f"netCDF4-python many,{best:.3f},{len(files) / best:.1f} files/s")
