#!/usr/bin/env bash
# Submit a whole conversion to SLURM as three jobs that start one after the other:
#
#   1. template.sbatch   one task: the store's metadata and coordinates, and the plan
#   2. write.sbatch      an array of ZP_RANKS tasks, one partition each, all at once
#                        (starts when 1 succeeded: --dependency=afterok)
#   3. finalize.sbatch   one task: check every partition, consolidate, mark complete
#                        (starts when every task of 2 succeeded)
# If a step fails, the steps after it are cancelled (--kill-on-invalid-dep=yes).
#
# Usage:
#   ZP_SOURCES='/data/era5/t2m_*.nc' ZP_STORE=/scratch/t2m.zarr ZP_RANKS=16 ./submit.sh [options]
#
# Options:
#   --wait           wait for the finalize job; exit 0 if it succeeded, else non-zero
#                    (its exit code, 1 if it was cancelled because an earlier step failed)
#   --timeout SEC    with --wait: cancel the jobs and exit 124 after SEC seconds
#   --resume         skip the template job: run the writers and finalize again for an existing
#                    store and plan (after failures; finished partitions are skipped)
#   --dry-run        print the sbatch commands instead of running them
#   -h, --help       this text
#
# Variables (environment):
#   ZP_SOURCES   one glob of the source files, quoted, e.g. '/data/era5/t2m_*.nc'      (required)
#   ZP_STORE     the Zarr store to create                                             (required)
#   ZP_PLAN      the plan file (default: next to the store, STORE.plan.json)
#   ZP_RANKS     number of writer tasks (default 4)
#   ZP_CHUNKS    chunk sizes, e.g. time=24 (default: computed by 'template')
#   ZP_CLI       how to run zarrpartition on the nodes (default: zarrpartition),
#                e.g. "dotnet /opt/zarrpartition/zarrpartition.dll"
#   ZP_LOG_DIR   folder for the jobs' output files (default: ./zarrpartition-logs)
#   ZP_SBATCH_ARGS  extra sbatch options for all three jobs, e.g. "--account=abc --partition=short"
#   ZP_POLL_SECONDS  with --wait: seconds between looks at the queue (default 10)
#   ZP_FORCE, ZP_RETRIES, ZP_TEMPLATE_ARGS, ZP_WRITE_ARGS: see template.sbatch and write.sbatch
# Relative paths are made absolute here, so the jobs find them wherever they start.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "submit.sh: $*" >&2; exit 2; }

wait=0 timeout=0 resume=0 dry_run=0
while [ $# -gt 0 ]; do
  case $1 in
    --wait) wait=1 ;;
    --timeout) [ $# -ge 2 ] || die "--timeout needs a number of seconds"; timeout=$2; shift ;;
    --timeout=*) timeout=${1#*=} ;;
    --resume) resume=1 ;;
    --dry-run) dry_run=1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument '$1'" ;;
  esac
  shift
done
[[ $timeout =~ ^[0-9]+$ ]] || die "--timeout '$timeout' is not a number of seconds"

# --- the settings, checked before anything is submitted ---------------------------------------
absolute() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
[ -n "${ZP_STORE:-}" ] || die "set ZP_STORE to the store to create (see --help)"
ZP_STORE=$(absolute "${ZP_STORE%/}")
ZP_PLAN=$(absolute "${ZP_PLAN:-$ZP_STORE.plan.json}")
ZP_RANKS=${ZP_RANKS:-4}
ZP_CLI=${ZP_CLI:-zarrpartition}
ZP_LOG_DIR=$(absolute "${ZP_LOG_DIR:-zarrpartition-logs}")
[[ $ZP_RANKS =~ ^[1-9][0-9]*$ ]] || die "ZP_RANKS='$ZP_RANKS' is not a positive number"
if [ "$resume" = 1 ]; then
  [ -f "$ZP_PLAN" ] || die "--resume: there is no plan $ZP_PLAN"
else
  [ -n "${ZP_SOURCES:-}" ] || die "set ZP_SOURCES to a glob of the source files, e.g. '/data/t2m_*.nc' (see --help)"
  ZP_SOURCES=$(absolute "$ZP_SOURCES")
  compgen -G "$ZP_SOURCES" >/dev/null || die "ZP_SOURCES='$ZP_SOURCES' matches no file"
  if [ -e "$ZP_STORE" ] && [ "${ZP_FORCE:-0}" != 1 ]; then
    die "$ZP_STORE exists: use --resume to finish it, or ZP_FORCE=1 to replace it"
  fi
fi
export ZP_SOURCES ZP_STORE ZP_PLAN ZP_RANKS ZP_CLI ZP_LOG_DIR
read -r -a site_args <<<"${ZP_SBATCH_ARGS:-}"
if [ "$dry_run" = 0 ]; then
  command -v sbatch >/dev/null || die "sbatch not found: run this on a SLURM login node"
  mkdir -p "$ZP_LOG_DIR"
fi

# --- submission --------------------------------------------------------------------------------
submitted=()
cancel_submitted() { [ "${#submitted[@]}" -eq 0 ] || scancel "${submitted[@]}" 2>/dev/null || true; }

# submit NAME SBATCH-OPTIONS... SCRIPT: sets job_id. --export=ALL hands the ZP_* variables to the
# job even where the site's default is not to; --parsable makes sbatch print just the id.
job_id=""
submit() {
  local name=$1
  shift
  local cmd=(sbatch --parsable --export=ALL --job-name="zp-$name" "${site_args[@]}" "$@")
  if [ "$dry_run" = 1 ]; then
    printf '%q ' "${cmd[@]}" >&2; echo >&2
    job_id="dry-run-$name"
    return 0
  fi
  if ! job_id=$("${cmd[@]}"); then
    echo "submit.sh: sbatch failed for the $name job; cancelling the jobs already submitted" >&2
    cancel_submitted
    exit 1
  fi
  job_id=${job_id%%;*}   # "id;cluster" on multi-cluster sites
  submitted+=("$job_id")
}

template_job="" after=()
if [ "$resume" = 0 ]; then
  submit template --output="$ZP_LOG_DIR/%x-%j.out" "$here/template.sbatch"
  template_job=$job_id
  after=(--dependency="afterok:$template_job" --kill-on-invalid-dep=yes)
fi
submit write --array="0-$((ZP_RANKS - 1))" "${after[@]}" --output="$ZP_LOG_DIR/%x-%A_%a.out" "$here/write.sbatch"
write_job=$job_id
submit finalize --dependency="afterok:$write_job" --kill-on-invalid-dep=yes --output="$ZP_LOG_DIR/%x-%j.out" "$here/finalize.sbatch"
finalize_job=$job_id

# The ids, as lines a shell can eval; the jobs' output goes to ZP_LOG_DIR.
echo "ZP_TEMPLATE_JOB=$template_job"
echo "ZP_WRITE_JOB=$write_job"
echo "ZP_FINALIZE_JOB=$finalize_job"
echo "submit.sh: ${template_job:+template $template_job, }writers $write_job (array 0-$((ZP_RANKS - 1))), finalize $finalize_job; output in $ZP_LOG_DIR" >&2
[ "$wait" = 1 ] && [ "$dry_run" = 0 ] || exit 0

# --- --wait: follow the finalize job until it ends ----------------------------------------------
# One line per job record (per task for an array): ID STATE EXITCODE REASON. 'scontrol' knows
# jobs until MinJobAge after they end; 'sacct' (where accounting is kept) knows them longer.
records() {
  local out
  if out=$(scontrol show job -o "$1" 2>/dev/null) && [ -n "$out" ]; then
    awk '{ id = ""; array = ""; task = ""; state = ""; code = ""; reason = ""
           for (i = 1; i <= NF; i++) {
             eq = index($i, "="); key = substr($i, 1, eq - 1); value = substr($i, eq + 1)
             if (key == "JobId") id = value; else if (key == "ArrayJobId") array = value
             else if (key == "ArrayTaskId") task = value; else if (key == "JobState") state = value
             else if (key == "ExitCode") code = value; else if (key == "Reason") reason = value }
           if (array != "" && task != "") id = array "_" task
           print id, state, code, reason }' <<<"$out"
  elif out=$(sacct -n -X -P -j "$1" -o JobID,State,ExitCode 2>/dev/null) && [ -n "$out" ]; then
    awk -F'|' '{ split($2, s, " "); print $1, s[1], $3, "-" }' <<<"$out"
  else
    echo "$1 UNKNOWN - -"
  fi
}

final_state() { records "$1" | awk 'NR == 1 { print $2 }'; }
finished() {
  case $1 in
    PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED* | RESIZING | SIGNALING | STAGE_OUT) return 1 ;;
    *) return 0 ;;
  esac
}

poll=${ZP_POLL_SECONDS:-10}
start=$SECONDS
echo "submit.sh: waiting for finalize job $finalize_job (polling every ${poll}s$([ "$timeout" = 0 ] || echo ", timeout ${timeout}s"))" >&2
unknown=0
while :; do
  state=$(final_state "$finalize_job")
  # UNKNOWN: the controller did not answer, or forgot the job and there is no accounting.
  # Give a busy controller a few chances before giving up.
  if [ "$state" = UNKNOWN ]; then unknown=$((unknown + 1)); else unknown=0; fi
  { [ "$state" != UNKNOWN ] || [ "$unknown" -ge 5 ]; } && finished "$state" && break
  if [ "$state" = PENDING ] && records "$finalize_job" | grep -q 'DependencyNeverSatisfied'; then
    # an earlier step failed and this SLURM does not cancel dependants by itself
    scancel "$finalize_job" 2>/dev/null || true
  fi
  if [ "$timeout" -gt 0 ] && [ $((SECONDS - start)) -ge "$timeout" ]; then
    echo "submit.sh: not finished after ${timeout}s; cancelling the jobs" >&2
    cancel_submitted
    exit 124
  fi
  sleep "$poll"
done

# A summary of every step, then the finalize job's result as the exit status.
{
  echo "submit.sh: finished after $((SECONDS - start))s:"
  [ -z "$template_job" ] || records "$template_job" | sed 's/^/  template /'
  records "$write_job" | sed 's/^/  write    /'
  records "$finalize_job" | sed 's/^/  finalize /'
} >&2
read -r _ state code _ < <(records "$finalize_job")
if [ "$state" = COMPLETED ] && [ "$code" = 0:0 ]; then
  echo "submit.sh: done: $ZP_STORE" >&2
  exit 0
fi
status=${code%%:*}
[[ $status =~ ^[1-9][0-9]*$ ]] || status=1
echo "submit.sh: the finalize job ended $state (exit code $code); see the output files in $ZP_LOG_DIR" >&2
if [ -n "$template_job" ] && [ "$(final_state "$template_job")" != COMPLETED ]; then
  echo "submit.sh: the template job did not succeed: fix that, then submit again (with ZP_FORCE=1 if it left a store)" >&2
elif [ "$state" = CANCELLED ]; then
  echo "submit.sh: a writer did not succeed (see above), or someone cancelled the job: fix that, then run again with --resume" >&2
fi
exit "$status"
