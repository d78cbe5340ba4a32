"""Plots bench/write-pipeline.sh's CSV: throughput (MB/s of decoded source data) against the number of writer
processes P, for ours, the xarray reference and the floor (our reader alone). Points are medians over the rounds,
bars the range. Needs Debian's python3-matplotlib.
Usage: python3 plot_write_pipeline.py CSV OUT.png [CORES]"""
import csv
import os
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

path, out = sys.argv[1], sys.argv[2]
cores = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count()
rows = list(csv.DictReader(open(path)))
series = defaultdict(lambda: defaultdict(list))  # label -> P -> MB/s per round
for r in rows:
    p = int(r["P"])
    if r["side"] == "ours":
        main = r["threads"] == str(max(1, cores // p))
        label = f"ZarrPartition, --threads max(1, {cores}/P)" if main else "ZarrPartition, other --threads (1 at P=1, all cores at P>1)"
    elif r["side"] == "xarray":
        label = "xarray 2023.01 + dask + zarr 2.13 (to_zarr region=)"
    else:
        label = "floor: our reader alone, P threads, no writing"
    series[label][p].append(float(r["MB_per_s"]))

style = {
    "ZarrPartition, --threads": dict(color="tab:blue", marker="o", linestyle="-"),
    "ZarrPartition, other": dict(color="tab:blue", marker="s", linestyle="--", alpha=0.6),
    "xarray": dict(color="tab:orange", marker="^", linestyle="-"),
    "floor": dict(color="tab:gray", marker="x", linestyle=":"),
}
fig, ax = plt.subplots(figsize=(7.5, 4.8), dpi=120)
for label in sorted(series, key=lambda s: ("floor" in s, "xarray" in s, "other" in s)):
    ps = sorted(series[label])
    meds = [statistics.median(series[label][p]) for p in ps]
    lo = [m - min(series[label][p]) for p, m in zip(ps, meds)]
    hi = [max(series[label][p]) - m for p, m in zip(ps, meds)]
    kw = next(v for k, v in style.items() if label.startswith(k))
    ax.errorbar(ps, meds, yerr=[lo, hi], label=label, capsize=3, **kw)
rounds = len({r["round"] for r in rows})
loads = [float(r["load1"]) for r in rows]
ax.set_xscale("log", base=2)
ax.set_xticks(sorted({int(r["P"]) for r in rows}))
ax.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
ax.set_yscale("log")
ax.set_xlabel("writer processes P")
mb = statistics.median(float(r["MB_per_s"]) * float(r["wall_s"]) for r in rows if r["side"] != "floor")
files = round(mb * 1e6 / (24 * 181 * 360 * 4))
ax.set_ylabel(f"MB/s of decoded source data ({mb:.0f} MB)")
ax.set_title(f"{files} daily NetCDF-4 files -> one Zarr v2 store (blosc:lz4:5), whole pipeline", fontsize=10)
ax.text(0.01, 0.01, f"{cores} cores, load average {min(loads):.1f}-{max(loads):.1f}; medians of {rounds} rounds, bars: range",
        transform=ax.transAxes, fontsize=8, color="dimgray")
ax.grid(True, which="both", alpha=0.3)
ax.legend(fontsize=8, loc="center", bbox_to_anchor=(0.5, 0.66))
fig.tight_layout()
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
fig.savefig(out)
print(f"plot: {out}")
