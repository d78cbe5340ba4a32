#!/usr/bin/env bash
# Template and planning benchmark: ours against the reference run side by side, alternating rounds.
#  - a template of 1,000,000 hourly time steps and 20 variables: ours (zarrpartition template from a JSON
#    spec) against xarray's to_zarr(compute=False), which xpartition and zarrio use; goal: ours < 3 s;
#  - a plan of 10,000,000 chunks into 10,000 partitions: ours (balanced, along time and lat) against
#    xpartition's per-rank region formula in Python; goal: ours < 1 s.
# Usage: bench/template-plan.sh [WORKDIR]   ROUNDS=3
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-$(mktemp -d)}
rounds=${ROUNDS:-3}
py=${ZARRPARTITION_PYTHON:-/usr/bin/python3}
mkdir -p "$work"
dotnet build "$here/ZarrPartition.Bench" -c Release -v q -nologo >/dev/null
bench="$here/ZarrPartition.Bench/bin/Release/net10.0/ZarrPartition.Bench.dll"
csv="$work/template-plan.csv"
echo "round,case,seconds" | tee "$csv"
for r in $(seq 1 "$rounds"); do
  {
    dotnet "$bench" plan "$work" 1
    "$py" "$here/template_plan_python.py" "$work" 1
  } | sed "s/^/$r,/" | tee -a "$csv"
done
"$py" - "$csv" <<'PY'
import csv, statistics, sys
from collections import defaultdict
rounds = defaultdict(dict)
for row in csv.DictReader(open(sys.argv[1])):
    rounds[row["round"]][row["case"].split(" ")[0] + " " + row["case"].split(" ")[1]] = float(row["seconds"])
def report(label, ours, ref, goal):
    o = statistics.median(r[ours] for r in rounds.values())
    x = statistics.median(r[ref] for r in rounds.values())
    print(f"{label}: ours {o:.3f} s (goal < {goal} s), reference {x:.3f} s, reference/ours = {x / o:.1f}x (median of {len(rounds)} rounds)")
report("template, 1M steps x 20 variables", "ours template", "xarray template", 3)
report("plan, 10M chunks into 10k partitions", "ours plan", "xpartition regions", 1)
PY
