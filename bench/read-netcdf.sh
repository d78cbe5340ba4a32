#!/usr/bin/env bash
# Reader benchmark (NetCDF/HDF5 reader speed), ours against Debian's netCDF4-python on the same files,
# alternating for ROUNDS rounds; prints CSV and the median ratios.
#  - a 625 MB float32 variable stored as deflate 1 + shuffle chunks: whole, slab by slab, and slabs on two threads;
#  - 3,000 small NetCDF-4 files: open, read one variable, close.
# Usage: bench/read-netcdf.sh [WORKDIR]   ROUNDS=3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$(mktemp -d)}
rounds=${ROUNDS:-3}
py=${ZARRPARTITION_PYTHON:-/usr/bin/python3}
mkdir -p "$work"
[ -f "$work/big.nc" ] || "$py" "$here/make_read_files.py" big "$work/big.nc"
[ -d "$work/many" ] || "$py" "$here/make_read_files.py" many "$work/many" 3000
dotnet build "$here/ZarrPartition.Bench" -c Release -v q -nologo >/dev/null
bench="$here/ZarrPartition.Bench/bin/Release/net10.0/ZarrPartition.Bench.dll"
csv="$work/read-netcdf.csv"
echo "round,case,seconds,rate" | tee "$csv"
for r in $(seq 1 "$rounds"); do
  {
    "$py" "$here/read_netcdf4_python.py" big "$work/big.nc" 1
    dotnet "$bench" read big "$work/big.nc" 1
    "$py" "$here/read_netcdf4_python.py" many "$work/many" 1
    dotnet "$bench" read many "$work/many" 1
  } | sed "s/^/$r,/" | tee -a "$csv"
done
"$py" - "$csv" <<'PY'
import csv, statistics, sys
from collections import defaultdict
rounds = defaultdict(dict)
for row in csv.DictReader(open(sys.argv[1])):
    rounds[row["round"]][row["case"]] = float(row["rate"].split()[0])
def report(label, a, b, goal):
    vals = [r[a] / r[b] for r in rounds.values()]
    print(f"{label} = {statistics.median(vals):.2f}x median over {len(vals)} rounds (range {min(vals):.2f}-{max(vals):.2f}; goal >= {goal}x)")
report("whole read, ours/netCDF4-python", "ours whole", "netCDF4-python whole", 1.0)
report("slab by slab, ours/netCDF4-python", "ours slabs", "netCDF4-python slabs", 1.0)
report("two threads, ours 2 threads/ours 1 thread", "ours slabs 2 threads", "ours slabs", 1.7)
report("3,000 small files, ours/netCDF4-python", "ours many", "netCDF4-python many", 2.0)
for case in sorted(next(iter(rounds.values()))):
    print(f"  {case}: median {statistics.median(r[case] for r in rounds.values()):.1f}")
PY
