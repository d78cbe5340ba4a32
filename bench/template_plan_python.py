"""Reference side of bench/template-plan.sh, with Debian's xarray + dask + zarr 2.13.

template: the same 1,000,000 hourly steps x 20 float32 variables (time, lat 180, lon 360), time chunks of
100, written the way xpartition and zarrio write templates: ds.to_zarr(store, compute=False).
plan: xpartition's region formula (shared/reference/prior-tools.md, section 1) for 10,000 ranks over a
variable of 100,000 x 100 chunks (10,000,000), split along time then lat, as xpartition computes it per rank.
Prints CSV lines: case,seconds.
"""
import math, shutil, sys, time
import numpy as np
import dask.array as da
import xarray as xr

work, repeats = sys.argv[1], int(sys.argv[2])

def template():
    t = xr.cftime_range("1900-01-01", periods=1_000_000, freq="H", calendar="standard")
    coords = {"time": t, "lat": np.arange(180) - 89.5, "lon": np.arange(360) + 0.5}
    data = {f"v{i:02d}": (("time", "lat", "lon"), da.zeros((1_000_000, 180, 360), dtype="f4", chunks=(100, 180, 360)), {"units": "K"})
            for i in range(20)}
    ds = xr.Dataset(data, coords=coords)
    ds.time.encoding.update(units="hours since 1900-01-01", calendar="standard")
    store = f"{work}/py-million.zarr"
    shutil.rmtree(store, ignore_errors=True)
    ds.to_zarr(store, compute=False, mode="w")

def xpartition_regions(nb, dims, ranks):
    # nb: blocks per dim of the variable, dims: partition dims in priority order
    out = []
    for rank in range(ranks):
        meta = {}
        for d in dims:
            used = math.prod(math.ceil(nb[k] / meta[k]) for k in meta)
            meta[d] = min(math.ceil(nb[d] / (ranks // used)), nb[d])
        grid = [math.ceil(nb[d] / meta[d]) if d in meta else 1 for d in nb]
        if rank >= math.prod(grid):
            out.append(None)
            continue
        idx = np.unravel_index(rank, grid)
        out.append({d: (int(i) * meta.get(d, nb[d]), min((int(i) + 1) * meta.get(d, nb[d]), nb[d])) for d, i in zip(nb, idx)})
    return out

best_t = best_p = float("inf")
for _ in range(repeats):
    t0 = time.perf_counter(); template(); best_t = min(best_t, time.perf_counter() - t0)
    t0 = time.perf_counter()
    regions = xpartition_regions({"time": 100_000, "lat": 100, "lon": 1}, ["time", "lat"], 10_000)
    best_p = min(best_p, time.perf_counter() - t0)
    assert sum(r is not None for r in regions) > 0
print(f"xarray template 1M steps x 20 vars,{best_t:.3f}")
print(f"xpartition regions 10000000 chunks into 10000 ranks,{best_p:.3f}")
