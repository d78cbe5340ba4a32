"""zarr-python 2.13's side of the write benchmark: z[:] = a with the same codec and chunks.
Usage: python3 write_zarr_python.py RAW T,Y,X CHUNKS OUTDIR CODEC[,CODEC...] [REPEATS]"""
import os
import shutil
import sys
import time

import numpy as np
import zarr
from numcodecs import Blosc, Zlib, Zstd, GZip, LZ4


def compressor(spec):
    p = spec.split(":")
    if p[0] == "blosc":
        return Blosc(cname=p[1], clevel=int(p[2]), shuffle=Blosc.SHUFFLE)
    if p[0] == "zlib":
        return Zlib(level=int(p[1]))
    if p[0] == "gzip":
        return GZip(level=int(p[1]))
    if p[0] == "zstd":
        return Zstd(level=int(p[1]))
    if p[0] == "lz4":
        return LZ4()
    return None


def main():
    raw, shape, chunks, outdir, codecs = sys.argv[1:6]
    repeats = int(sys.argv[6]) if len(sys.argv) > 6 else 3
    shape = tuple(int(s) for s in shape.split(","))
    chunks = tuple(int(s) for s in chunks.split(","))
    a = np.fromfile(raw, dtype="<f4").reshape(shape)
    for spec in codecs.split(","):
        best = float("inf")
        path = os.path.join(outdir, "zarr-python-" + spec.replace(":", "_"))
        for _ in range(repeats):
            shutil.rmtree(path, ignore_errors=True)
            os.sync()  # start without a backlog of dirty pages from the previous case
            t0 = time.perf_counter()
            z = zarr.open(path, mode="w", shape=shape, chunks=chunks, dtype="<f4", compressor=compressor(spec))
            z[:] = a
            best = min(best, time.perf_counter() - t0)
        stored = sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
        print(f"zarr-python {spec},{best:.3f},{a.nbytes / 1e6 / best:.1f},{stored}")


if __name__ == "__main__":
    main()
