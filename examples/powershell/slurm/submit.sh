#!/usr/bin/env bash
# Submits the three SLURM steps of the main job, each running pwsh with the ZarrPartition module:
# prepare (template + plan) -> an array of writers, one per partition -> finish (check + complete).
# Usage: bash submit.sh SOURCE_DIR STORE WORKERS
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$1 store=$2 workers=$3
# the plan decides how many partitions there are, so the array is sized after it
prep=$(sbatch --parsable --job-name=zp-prepare --wrap "pwsh -NoProfile -NonInteractive -File '$here/prepare.ps1' -Source '$source_dir' -Store '$store' -Workers $workers")
echo "prepare: job $prep (waiting for the plan)"
while squeue -h -j "$prep" | grep -q .; do sleep 10; done
count=$(cat "$store.partitions")
array=$(sbatch --parsable --array=0-$((count - 1)) --export=ALL,PLAN="$store.plan.json",ZP_EXAMPLES="$here" "$here/write.sbatch")
finish=$(sbatch --parsable --dependency=afterok:"$array" --job-name=zp-finish --wrap "pwsh -NoProfile -NonInteractive -File '$here/finish.ps1' -Store '$store'")
echo "writers: array job $array (0-$((count - 1))); finish: job $finish"
