"""Writes a float32 climate-like array (smooth fields plus noise) as raw little-endian bytes.
Usage: python3 make_climate.py OUT T,Y,X"""
import sys

import numpy as np

out, shape = sys.argv[1], tuple(int(s) for s in sys.argv[2].split(","))
t, y, x = shape
rng = np.random.default_rng(0)
lat = np.linspace(-90, 90, y, dtype=np.float32)[:, None]
lon = np.linspace(0, 360, x, endpoint=False, dtype=np.float32)[None, :]
base = 288 - 40 * np.abs(np.sin(np.deg2rad(lat))) + 5 * np.sin(np.deg2rad(lon) * 3)
with open(out, "wb") as f:
    for i in range(t):
        day = 10 * np.sin(2 * np.pi * i / 24 + np.deg2rad(lon))
        field = (base + day + rng.normal(0, 0.3, (y, x))).astype("<f4")
        f.write(field.tobytes())
