#!/usr/bin/env bash
# Partition-write pipeline benchmark: 96 daily NetCDF-4 files (t2m 24x181x360 float32, deflate 1 + shuffle, 600 MB
# decoded) into one Zarr v2 store (blosc:lz4:5, time chunks of 24) by P writer processes started at once, P = 1, 2, 4.
#  - ours: zarrpartition template + plan --ranks P --sources + P x write + finalize; each writer gets
#    --threads max(1, cores/P) so that P x threads is about the core count; a second ours row per P tries the other
#    setting (--threads 1 at P=1, no --threads, i.e. all cores per writer, at P>1);
#  - reference: what an xarray user writes today (Debian's xarray 2023.01 + dask + zarr 2.13): template with
#    open_mfdataset(...).to_zarr(compute=False), then P processes writing their files with to_zarr(region=, mode="r+");
#  - floor: our reader alone decoding t2m of every file, P threads in one process (no writing, no process start).
# Wall time of the whole pipeline (process starts included), MB/s of decoded source data, peak RSS per writer
# process (/usr/bin/time -v), CPU time of all its processes. The sides alternate (order flipped every round), store
# removed and `sync` before each case; ROUNDS rounds, medians (summarize_write_pipeline.py). Goals at P=2: ours
# >= 4x faster than the reference and writer peak RSS <= half of the reference's; a missed goal says by how much.
# Writes WORK/write-pipeline.csv, WORK/write-pipeline-summary.txt and docs/benchmarks-write-pipeline.png.
# Usage: bench/write-pipeline.sh [WORKDIR]   ROUNDS=3 FILES=96 PARTS="1 2 4" PLOT=docs/benchmarks-write-pipeline.png
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${1:-$(mktemp -d)}
rounds=${ROUNDS:-3}
files=${FILES:-96}
parts=${PARTS:-1 2 4}
plot=${PLOT:-$root/docs/benchmarks-write-pipeline.png}
py=${ZARRPARTITION_PYTHON:-/usr/bin/python3}
cores=$(nproc)
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
mkdir -p "$work"
work=$(cd "$work" && pwd)
src="$work/daily-$files"
[ -f "$src/t2m_$(printf %03d $((files - 1))).nc" ] || "$py" "$here/make_daily_files.py" "$src" "$files"
# ours as users install it: published, precompiled (ReadyToRun) for this machine
dotnet publish "$root/src/Cli" -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$work/cli" -v q -nologo >/dev/null
dotnet build "$here/ZarrPartition.Bench" -c Release -v q -nologo >/dev/null
cli="$work/cli/zarrpartition.dll"
bench="$here/ZarrPartition.Bench/bin/Release/net10.0/ZarrPartition.Bench.dll"
csv="$work/write-pipeline.csv"
echo "round,side,P,threads,wall_s,MB_per_s,template_s,plan_s,write_s,finalize_s,writer_rss_max_MB,writer_rss_mean_MB,template_rss_MB,cpu_s,stored_bytes,load1" | tee "$csv"
one() { # side P threads
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  "$py" "$here/write_pipeline_run.py" "$1" "$2" "$3" "$work" "$src" "$cli" "$bench" | sed "s/^/$r,/; s/\$/,$load/" | tee -a "$csv"
}
for r in $(seq 1 "$rounds"); do
  for p in $parts; do
    t=$((cores / p)); [ "$t" -ge 1 ] || t=1
    if [ "$p" -eq 1 ]; then other=1; else other=default; fi
    if [ $((r % 2)) -eq 1 ]; then
      one xarray "$p" -; one ours "$p" "$t"; one ours "$p" "$other"; one floor "$p" "$p"
    else
      one floor "$p" "$p"; one ours "$p" "$other"; one ours "$p" "$t"; one xarray "$p" -
    fi
  done
done
# the last stores of both sides hold the same values (NaN pattern included)
"$py" - "$work/ours.zarr" "$work/xarray.zarr" <<'PY'
import sys
import numpy as np
import xarray as xr
a, b = (xr.open_zarr(p, consolidated=True) for p in sys.argv[1:3])
same = np.array_equal(a.t2m.values, b.t2m.values, equal_nan=True) and np.array_equal(a.time.values, b.time.values)
print(f"check: ours and the reference stores decode to the same t2m and time: {same}")
sys.exit(0 if same else 1)
PY
"$py" "$here/summarize_write_pipeline.py" "$csv" "$cores" | tee "$work/write-pipeline-summary.txt"
"$py" "$here/plot_write_pipeline.py" "$csv" "$plot" "$cores"
rm -rf "$work/ours.zarr" "$work/xarray.zarr" "$work/ours-plan.json"
