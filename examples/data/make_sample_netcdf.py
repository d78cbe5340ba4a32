"""Makes the sample NetCDF-4 collection shipped in examples/data/netcdf (run by hand; needs Debian's
python3-netcdf4): four daily files of hourly 2 m temperature and precipitation on a coarse global
grid, deflate + shuffle, an unlimited time axis, CF attributes, a packed variable and a _FillValue.
Usage: python3 examples/data/make_sample_netcdf.py examples/data/netcdf"""
import os
import sys

import netCDF4
import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(3)
ny, nx = 45, 90
lat = np.linspace(-88, 88, ny, dtype="f4")
lon = np.linspace(0, 356, nx, dtype="f4")
for day in range(4):
    ds = netCDF4.Dataset(os.path.join(out, f"t2m_2020-01-{day + 1:02d}.nc"), "w", format="NETCDF4")
    ds.title = "ZarrPartition sample collection: hourly 2 m temperature"
    ds.Conventions = "CF-1.8"
    ds.createDimension("time", None)
    ds.createDimension("lat", ny)
    ds.createDimension("lon", nx)
    t = ds.createVariable("time", "i4", ("time",))
    t.units = "hours since 2020-01-01 00:00:00"
    t.calendar = "standard"
    t.standard_name = "time"
    t[:] = np.arange(24) + 24 * day
    la = ds.createVariable("lat", "f4", ("lat",))
    la.units = "degrees_north"
    la[:] = lat
    lo = ds.createVariable("lon", "f4", ("lon",))
    lo.units = "degrees_east"
    lo[:] = lon
    hours = np.arange(24) + 24 * day
    field = (288 - 35 * np.abs(np.sin(np.deg2rad(lat)))[None, :, None]
             + 6 * np.sin(2 * np.pi * hours / 24)[:, None, None] * np.cos(np.deg2rad(lon))[None, None, :]
             + rng.normal(0, 0.4, (24, ny, nx)))
    v = ds.createVariable("t2m", "f4", ("time", "lat", "lon"), zlib=True, complevel=1, shuffle=True,
                          chunksizes=(24, ny, nx), fill_value=np.float32(-9999.0))
    v.units = "K"
    v.long_name = "2 metre temperature"
    field[0, 0, :5] = np.nan  # missing values, stored as the fill value
    v[:] = np.where(np.isnan(field), -9999.0, field).astype("f4")
    p = ds.createVariable("tp", "i2", ("time", "lat", "lon"), zlib=True, complevel=1, shuffle=True, fill_value=np.int16(-32767))
    p.scale_factor = 0.0001
    p.add_offset = 0.0
    p.units = "m"
    p.long_name = "total precipitation"
    p.set_auto_maskandscale(False)
    p[:] = np.clip(rng.gamma(0.3, 20, (24, ny, nx)), 0, 3000).astype("i2")
    ds.close()
