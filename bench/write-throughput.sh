#!/usr/bin/env bash
# Write-throughput benchmark (Zarr engine speed). Writes a 1 GiB in-memory float32 array (climate-like
# values) into a v2 file store in 4 MiB chunks with ZarrPartition and with Debian's zarr-python 2.13
# (z[:] = a), same codec and chunks, plus the plain-files floor. The two sides alternate for ROUNDS
# rounds so that drift in a shared machine's speed hits both; the summary gives median ratios with
# their range. Prints CSV (every round) and the ratios.
# Usage: bench/write-throughput.sh [WORKDIR] [T]   (T time steps of 1024x1024; default 256 = 1 GiB)
#        ROUNDS=5 (alternating rounds) REPEATS=5 (best of, within a round; the first writes of a process
#        pay for fresh page-cache pages on a VM, so fewer repeats compare cold writes) CODECS=blosc:lz4:5,zlib:1,none
#        BENCH_VERBOSE=1 prints the time of every repeat of our side on stderr
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$(mktemp -d)}
t=${2:-256}
rounds=${ROUNDS:-5}
repeats=${REPEATS:-5}
codecs=${CODECS:-blosc:lz4:5,zlib:1,none}
py=${ZARRPARTITION_PYTHON:-/usr/bin/python3}
shape="$t,1024,1024"
chunks="1,1024,1024"
mkdir -p "$work"
raw="$work/climate-$t.f32"
[ -f "$raw" ] || "$py" "$here/make_climate.py" "$raw" "$shape"
dotnet build "$here/ZarrPartition.Bench" -c Release -v q -nologo >/dev/null
csv="$work/write-throughput.csv"
echo "round,case,seconds,MB_per_s,stored_bytes" | tee "$csv"
for r in $(seq 1 "$rounds"); do
  {
    "$py" "$here/write_zarr_python.py" "$raw" "$shape" "$chunks" "$work" "$codecs" "$repeats"
    dotnet "$here/ZarrPartition.Bench/bin/Release/net10.0/ZarrPartition.Bench.dll" write "$raw" "$shape" "$chunks" "$work" "$codecs" "$repeats"
  } | sed "s/^/$r,/" | tee -a "$csv"
done
"$py" - "$csv" <<'PY'
import csv, statistics, sys
from collections import defaultdict
rounds = defaultdict(dict)
for row in csv.DictReader(open(sys.argv[1])):
    rounds[row["round"]][row["case"]] = float(row["MB_per_s"])
def ratios(a, b):
    return [r[a] / r[b] for r in rounds.values()]
def report(label, values, goal):
    med = statistics.median(values)
    print(f"{label} = {med:.2f}x median over {len(values)} rounds (range {min(values):.2f}-{max(values):.2f}; goal >= {goal}x)")
for codec, goal in [("blosc:lz4:5", 2.0), ("zlib:1", 5.0)]:
    if all(f"ours {codec}" in r and f"zarr-python {codec}" in r for r in rounds.values()):
        report(f"{codec}: ours/zarr-python", ratios(f"ours {codec}", f"zarr-python {codec}"), goal)
if all("ours none" in r for r in rounds.values()):
    report("none: ours/plain files", ratios("ours none", "plain files"), 0.8)
for case in sorted(next(iter(rounds.values()))):
    print(f"  {case}: median {statistics.median(r[case] for r in rounds.values()):.0f} MB/s")
PY
rm -rf "$work"/ours-* "$work"/zarr-python-* "$work"/plain
