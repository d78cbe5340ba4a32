#!/usr/bin/env bash
# The main job on the shipped sample data (four daily NetCDF-4 files of hourly 2 m temperature and
# precipitation): template -> plan -> four writer processes at once -> status -> finalize -> info.
# Usage: bash examples/sample-pipeline.sh [OUTDIR]   (default: out/)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-out}
dotnet build src/Cli -c Release -v q -nologo >/dev/null
zp() { dotnet src/Cli/bin/Release/net10.0/zarrpartition.dll "$@"; }
sources=(examples/data/netcdf/*.nc)
mkdir -p "$out"

# 1. the store's metadata and coordinates, once (no data chunks)
zp template "${sources[@]}" --store "$out/sample.zarr" --chunks time=24 --force
# 2. four partitions that each own whole chunks, with the files and slabs each one reads
zp plan --store "$out/sample.zarr" --ranks 4 --sources "${sources[@]}" --output "$out/plan.json"
# 3. four independent writers at once (on a cluster: one array task each, see examples/slurm/)
pids=()
for rank in 0 1 2 3; do
  zp write --plan "$out/plan.json" --rank "$rank" &
  pids+=("$!")
done
for pid in "${pids[@]}"; do
  wait "$pid"
done
# 4. every partition complete? (exit 1 if not), then consolidate and mark the store complete
zp status --store "$out/sample.zarr" --plan "$out/plan.json"
zp finalize --store "$out/sample.zarr" --plan "$out/plan.json"
zp info "$out/sample.zarr"
