"""Reference side of bench/write-pipeline.sh: what an xarray user writes today, with Debian's xarray 2023.01 + dask
+ zarr 2.13 (the pattern xpartition and the xarray docs describe).

template: ds = open_mfdataset(FILES, chunks time=24); ds.to_zarr(STORE, compute=False) with blosc lz4 clevel 5
          byte shuffle and chunks (24, lat, lon) for t2m (metadata, coordinates and consolidated metadata only).
region:   this rank's share of FILES (contiguous, files k*N//P .. (k+1)*N//P - 1), each written with
          xr.open_dataset(f).to_zarr(STORE, region={"time": slice(a, b)}, mode="r+"); variables without the time
          dimension (lat, lon) are dropped, as xarray requires. a, b: the file's place on the store's time axis,
          found by its first time in the template's time index.
Prints one CSV line: step,seconds.
Usage: python3 write_pipeline_xarray.py template STORE FILE...
       python3 write_pipeline_xarray.py region STORE RANK P FILE..."""
import sys
import time

import xarray as xr
from numcodecs import Blosc

t0 = time.perf_counter()
mode, store = sys.argv[1], sys.argv[2]
if mode == "template":
    files = sys.argv[3:]
    ds = xr.open_mfdataset(files, chunks={"time": 24})
    shape = ds["t2m"].shape
    encoding = {"t2m": {"compressor": Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE), "chunks": (24, shape[1], shape[2])}}
    ds.to_zarr(store, compute=False, mode="w", encoding=encoding)
    ds.close()
else:
    rank, parts = int(sys.argv[3]), int(sys.argv[4])
    files = sys.argv[5:]
    mine = range(rank * len(files) // parts, (rank + 1) * len(files) // parts)
    # the store's time axis (consolidated metadata, one small array) places each file
    with xr.open_zarr(store) as template:
        axis = template.indexes["time"]
    for i in mine:
        with xr.open_dataset(files[i]) as ds:
            a = axis.get_loc(ds.indexes["time"][0])
            b = a + ds.sizes["time"]
            keep = ds.drop_vars([v for v in ds.variables if "time" not in ds[v].dims])
            keep.to_zarr(store, region={"time": slice(a, b)}, mode="r+")
print(f"{mode},{time.perf_counter() - t0:.3f}")
