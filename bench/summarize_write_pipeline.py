"""Summary of bench/write-pipeline.sh's CSV: medians per case, the ratios per P (computed round by round, then the
median and range), how far the pipeline is from the floor, and the goals at P=2 with the shortfall. Ends with the
same figures as a Markdown table (for docs/benchmarks.md).
Usage: python3 summarize_write_pipeline.py CSV [CORES]"""
import csv
import os
import statistics
import sys
from collections import defaultdict

rows = list(csv.DictReader(open(sys.argv[1])))
cores = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
med = statistics.median
by = defaultdict(dict)  # (side, P, threads) -> round -> row
for row in rows:
    by[(row["side"], int(row["P"]), row["threads"])][row["round"]] = row


def main_threads(p):
    return str(max(1, cores // p))


def values(key, name):
    return [float(r[name]) for r in by[key].values()]


def ratio(a, b, name):
    """b/a round by round (a and b are case keys), for the rounds both ran."""
    return [float(by[b][k][name]) / float(by[a][k][name]) for k in by[a] if k in by[b]]


def span(v, fmt="{:.2f}"):
    return f"{fmt.format(min(v))}-{fmt.format(max(v))}"


loads = [float(r["load1"]) for r in rows]
rounds = len({r["round"] for r in rows})
print(f"medians over {rounds} rounds; load average (1 min) at the start of the cases: {min(loads):.1f}-{max(loads):.1f}"
      f" (median {med(loads):.1f}) on {cores} cores")
print("side, P, threads per writer: wall s (range) | MB/s | writer peak RSS MB, max over writers (range) | CPU s of all processes")
for key in sorted(by, key=lambda k: (k[1], k[0], k[2])):
    side, p, t = key
    w = values(key, "wall_s")
    line = f"  {side:6} P={p} threads={t:7}: {med(w):6.2f} s ({span(w)}) | {med(values(key, 'MB_per_s')):6.0f} MB/s"
    if side != "floor":
        rss = values(key, "writer_rss_max_MB")
        line += f" | {med(rss):4.0f} MB ({span(rss, '{:.0f}')}) | {med(values(key, 'cpu_s')):4.1f} s"
    print(line)

table = []
for p in sorted({k[1] for k in by}):
    ours, other, ref, floor = ("ours", p, main_threads(p)), None, ("xarray", p, "-"), ("floor", p, str(p))
    other = next((k for k in by if k[0] == "ours" and k[1] == p and k != ours), None)
    if not (by[ours] and by[ref]):
        continue
    speed, cpu, rss = ratio(ours, ref, "wall_s"), ratio(ours, ref, "cpu_s"), ratio(ref, ours, "writer_rss_max_MB")
    f = med(values(floor, "wall_s")) if by[floor] else float("nan")
    o = med(values(ours, "wall_s"))
    print(f"P={p} (ours --threads {main_threads(p)}): reference/ours wall = {med(speed):.2f}x (range {span(speed)}); "
          f"reference/ours CPU = {med(cpu):.2f}x (range {span(cpu)}); ours/reference writer peak RSS = {med(rss):.2f} "
          f"(range {span(rss)}); floor {f:.2f} s: the pipeline takes {o / f:.1f}x the floor ({100 * f / o:.0f}% of its rate)")
    if p == 2:
        s, m = med(speed), med(rss)
        print(f"goal, P=2, ours >= 4x faster (wall): {'met' if s >= 4 else f'MISSED: {s:.2f}x, short by a factor {4 / s:.2f}'}")
        print(f"goal, P=2, ours writer peak RSS <= 0.5 x the reference's: "
              f"{'met' if m <= 0.5 else f'MISSED: {m:.2f}x, {m / 0.5:.2f} times the allowance'}")
    for key, label in [(ours, f"ZarrPartition, --threads {main_threads(p)}"), (other, f"ZarrPartition, {'no --threads (' + str(cores) + ' per writer)' if other and other[2] == 'default' else '--threads ' + (other[2] if other else '')}"),
                       (ref, "xarray + dask + zarr 2.13"), (floor, f"floor: our reader, {p} thread(s)")]:
        if not key or not by[key]:
            continue
        w = values(key, "wall_s")
        cells = [str(p), label, f"{med(w):.2f} ({span(w)})", f"{med(values(key, 'MB_per_s')):.0f}"]
        if key[0] == "floor":
            cells += ["—", "—", "—"]
        else:
            rss = values(key, "writer_rss_max_MB")
            cells += [f"{med(rss):.0f} ({span(rss, '{:.0f}')})", f"{med(values(key, 'cpu_s')):.1f}",
                      f"{med(ratio(key, ref, 'wall_s')):.2f}×" if key[0] == "ours" else "1"]
        table.append(cells)

print()
print("| P | pipeline | wall s, median (range) | MB/s | writer peak RSS MB, median (range) | CPU s, all processes | reference/this, wall |")
print("|---|---|---|---|---|---|---|")
for cells in table:
    print("| " + " | ".join(cells) + " |")
