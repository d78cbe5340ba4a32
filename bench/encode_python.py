"""numcodecs' side of the encode benchmark: every chunk of the array through one codec, no store.
Usage: python3 encode_python.py RAW CHUNK_BYTES CODEC[,CODEC...] [REPEATS] [BLOSC_THREADS]"""
import sys
import time

import numpy as np
from numcodecs import blosc

from write_zarr_python import compressor

raw, chunk_bytes, codecs = sys.argv[1], int(sys.argv[2]), sys.argv[3]
repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
threads = int(sys.argv[5]) if len(sys.argv) > 5 else 1
blosc.set_nthreads(threads)
a = np.fromfile(raw, dtype="<f4")
chunk = chunk_bytes // 4
chunks = [a[i:i + chunk] for i in range(0, len(a) - chunk + 1, chunk)]
for spec in codecs.split(","):
    c = compressor(spec)
    best = float("inf")
    total = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        total = sum(len(c.encode(x)) for x in chunks)
        best = min(best, time.perf_counter() - t0)
    mb = len(chunks) * chunk_bytes / 1e6
    print(f"numcodecs {spec} ({threads} thread{'s' if threads > 1 else ''}),{best:.3f},{mb / best:.1f},{total}")
