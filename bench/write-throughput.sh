#!/usr/bin/env bash
# Write-throughput benchmark (issue: Zarr engine speed). Writes a 1 GiB in-memory float32 array into a
# v2 file store in 4 MiB chunks with ZarrPartition and with Debian's zarr-python 2.13 (z[:] = a), same
# codec and chunks, side by side in one run, plus the plain-files floor. Prints CSV and the ratios.
# Usage: bench/write-throughput.sh [WORKDIR] [T]   (T time steps of 1024x1024; default 256 = 1 GiB)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$(mktemp -d)}
t=${2:-256}
py=${ZARRPARTITION_PYTHON:-/usr/bin/python3}
shape="$t,1024,1024"
chunks="1,1024,1024"
codecs="blosc:lz4:5,zlib:1,none"
mkdir -p "$work"
raw="$work/climate.f32"
[ -f "$raw" ] || "$py" "$here/make_climate.py" "$raw" "$shape"
dotnet build "$here/ZarrPartition.Bench" -c Release -v q -nologo >/dev/null
{
  echo "case,seconds,MB_per_s,stored_bytes"
  "$py" "$here/write_zarr_python.py" "$raw" "$shape" "$chunks" "$work" "$codecs" 3
  dotnet "$here/ZarrPartition.Bench/bin/Release/net10.0/ZarrPartition.Bench.dll" write "$raw" "$shape" "$chunks" "$work" "$codecs" 3
} | tee "$work/write-throughput.csv"
"$py" - "$work/write-throughput.csv" <<'PY'
import csv, sys
rows = {r["case"]: float(r["MB_per_s"]) for r in csv.DictReader(open(sys.argv[1]))}
for codec, goal in [("blosc:lz4:5", 2.0), ("zlib:1", 5.0)]:
    ratio = rows[f"ours {codec}"] / rows[f"zarr-python {codec}"]
    print(f"{codec}: ours/zarr-python = {ratio:.2f}x (goal >= {goal}x)")
print(f"none: ours/plain files = {rows['ours none'] / rows['plain files']:.2f}x (goal >= 0.8x)")
PY
rm -rf "$work"/ours-* "$work"/zarr-python-* "$work"/plain
