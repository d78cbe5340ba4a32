#!/usr/bin/env bash
# A throwaway single-node SLURM for the tests (Debian 12, slurm-wlm 22.05), run as root.
#
#   tests/slurm/cluster.sh up       install if missing, configure, start; prints 'export SLURM_CONF=...'
#   tests/slurm/cluster.sh down     cancel jobs, stop the daemons, delete the state folder
#   tests/slurm/cluster.sh status   sinfo and squeue of the cluster (exit 1 when it is not up)
#
#   eval "$(tests/slurm/cluster.sh up)" && sbatch --wait --wrap 'hostname' ; tests/slurm/cluster.sh down
#
# Both verbs can be repeated: 'up' reuses a healthy cluster and restarts a broken one; 'down' with
# nothing running does nothing. After 'down' no process this script started is left.
#
# What it sets up:
#   - packages: apt-get install --no-install-recommends slurm-wlm munge (munge is a dependency of
#     the packages even though it is not used), with 'apt-get update' only if the install fails;
#   - authentication: auth/none and cred/none, so no munged. That means NO authentication: anyone
#     who can reach the ports can run jobs as any user. Hence the daemons listen on loopback only
#     (when the host name resolves to a 127.x address; otherwise they bind every interface and a
#     warning is printed). Never use this on a shared machine;
#   - everything else (slurm.conf, state, spool, logs, pid files) in one folder, $ZP_SLURM_DIR;
#   - the node line as 'slurmd -C' reports the machine; ports 6817/6818 or the next free ones.
#
# Settings (environment):
#   ZP_SLURM_DIR            the folder (default ${TMPDIR:-/tmp}/zarrpartition-slurm)
#   ZP_SLURM_READY_TIMEOUT  seconds to wait for the controller and an idle node (default 60)
#   ZP_SLURM_CPUS           CPUs to advertise instead of the real count (e.g. 4 on a 2-core box)
#   ZP_SLURM_KEEP=1         'down' keeps the folder (logs) instead of deleting it
#   ZP_SLURM_NO_INSTALL=1   never call apt-get
set -euo pipefail

DIR=${ZP_SLURM_DIR:-${TMPDIR:-/tmp}/zarrpartition-slurm}
READY_TIMEOUT=${ZP_SLURM_READY_TIMEOUT:-60}
CONF=$DIR/slurm.conf
# Every daemon we start carries this variable; slurmd passes it on to its slurmstepd children.
# 'down' uses it to find (by PID) anything of ours that outlived its pid file.
OWNER_MARK="ZP_SLURM_OWNER=$DIR"

say() { printf '[cluster.sh] %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

# --- processes: we only ever signal PIDs we started ------------------------------------------

running() {   # PID: exists and has not exited (a zombie waiting for a late reaper counts as gone)
  local state
  state=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

pid_of() {    # NAME: the PID in our pid file for NAME, if that process is alive and still NAME
  local file=$DIR/run/$1.pid pid
  [ -s "$file" ] || return 1
  pid=$(tr -cd '0-9' <"$file")
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$1" ] && running "$pid" || return 1
  echo "$pid"
}

stop_pid() {  # PID NAME: SIGTERM, up to 10 s, then SIGKILL
  local pid=$1 name=$2
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 100); do running "$pid" || return 0; sleep 0.1; done
  say "$name ($pid) still running after SIGTERM, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

ours() {      # PIDs of processes carrying OWNER_MARK in their environment
  local env_file pid
  for env_file in /proc/[0-9]*/environ; do
    pid=${env_file#/proc/}; pid=${pid%/environ}
    [ "$pid" != $$ ] || continue
    grep -qzxF "$OWNER_MARK" "$env_file" 2>/dev/null && running "$pid" && echo "$pid"
  done
  return 0
}

port_busy() { (: <>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- install -----------------------------------------------------------------------------------

installed() {
  local c
  for c in slurmctld slurmd sbatch scontrol squeue scancel sinfo; do
    command -v "$c" >/dev/null || return 1
  done
}

install() {
  installed && return 0
  [ "${ZP_SLURM_NO_INSTALL:-0}" != 1 ] || fail "SLURM is not installed and ZP_SLURM_NO_INSTALL=1"
  [ "$(id -u)" = 0 ] || fail "SLURM is not installed and installing it needs root (apt-get install slurm-wlm munge)"
  command -v apt-get >/dev/null || fail "SLURM is not installed and there is no apt-get to install it"
  say "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get install -y -q --no-install-recommends slurm-wlm munge)
  if ! "${apt[@]}" >"$DIR/apt.log" 2>&1; then
    say "apt-get install failed; running apt-get update and trying again"
    { apt-get update -q && "${apt[@]}"; } >>"$DIR/apt.log" 2>&1 || { tail -n 20 "$DIR/apt.log" >&2; fail "could not install slurm-wlm"; }
  fi
  installed || fail "slurm-wlm installed but its commands are not on PATH ($PATH)"
}

# --- configure ---------------------------------------------------------------------------------

write_conf() {
  local host address ip node name memory cpus comm overrides="" ctld_port=6817 slurmd_port
  host=$(hostname -s)
  compgen -G "/usr/lib/*/slurm-wlm/auth_none.so" >/dev/null \
    || fail "this SLURM build has no auth/none plugin (auth_none.so); cluster.sh only supports auth/none"

  # Loopback only. slurmctld resolves its own name when told not to bind every address
  # (NoCtldInAddrAny) and dies if the name does not resolve, so do that only when the name
  # resolves to a loopback address, and pin exactly that address everywhere.
  address=127.0.0.1
  comm="# CommunicationParameters unset: '$host' does not resolve to 127.x, daemons bind every interface"
  ip=$(getent ahostsv4 "$host" 2>/dev/null | awk 'NR == 1 { print $1 }') || true
  if [[ $ip == 127.* ]]; then
    address=$ip
    comm="CommunicationParameters=NoInAddrAny,NoCtldInAddrAny"
  else
    say "warning: '$host' does not resolve to a 127.x address; slurmctld and slurmd listen on every interface (auth/none!)"
  fi

  # The node as slurmd sees the hardware; the node name must be the short host name.
  node=$(slurmd -C 2>/dev/null | grep -m1 '^NodeName=' || true)
  name=$host
  memory=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
  cpus=$(nproc)
  if [ -n "$node" ]; then
    name=${node%% *}
    name=${name#NodeName=}
    memory=$(grep -o 'RealMemory=[0-9]*' <<<"$node" | cut -d= -f2 || echo "$memory")
  fi
  if [ -n "${ZP_SLURM_CPUS:-}" ]; then
    node="NodeName=$name CPUs=$ZP_SLURM_CPUS RealMemory=$memory"
    overrides="SlurmdParameters=config_overrides"   # let slurmd advertise more CPUs than it has
  elif [ -z "$node" ]; then
    node="NodeName=$name CPUs=$cpus RealMemory=$memory"
  fi

  while port_busy "$ctld_port"; do ctld_port=$((ctld_port + 2)); done
  slurmd_port=$((ctld_port + 1))
  while port_busy "$slurmd_port"; do slurmd_port=$((slurmd_port + 2)); done

  cat >"$CONF" <<EOF
# single-node test cluster written by tests/slurm/cluster.sh; deleted by 'cluster.sh down'
ClusterName=zptest
SlurmctldHost=$host($address)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
$comm
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/run/slurmctld.pid
SlurmdPidFile=$DIR/run/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
# no /bin/mail on these machines
MailProg=/bin/true
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdTimeout=60
# finished jobs stay visible to 'scontrol show job' for 5 minutes; cancelled jobs die 5 s after SIGTERM
MinJobAge=300
KillWait=5
$overrides
$node NodeAddr=$address State=UNKNOWN
PartitionName=debug Nodes=$name Default=YES MaxTime=INFINITE State=UP
EOF
}

# --- up / down ---------------------------------------------------------------------------------

healthy() {
  local state
  [ -s "$CONF" ] && pid_of slurmctld >/dev/null && pid_of slurmd >/dev/null \
    && SLURM_CONF=$CONF scontrol ping 2>/dev/null | grep -q 'is UP' \
    && state=$(SLURM_CONF=$CONF sinfo -h -o %T 2>/dev/null) \
    && [[ $state =~ ^(idle|mixed|allocated|completing)$ ]]
}

logs() {
  local f
  for f in "$DIR"/log/*; do
    [ -f "$f" ] && { echo "--- last lines of $f"; tail -n 25 "$f"; }
  done >&2
}

wait_until() {  # DEADLINE WHAT COMMAND...
  local deadline=$1 what=$2
  shift 2
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || { logs; fail "$what after ${READY_TIMEOUT}s"; }
    sleep 0.2
  done
}

ctld_up() { scontrol ping 2>/dev/null | grep -q 'is UP'; }
node_idle() { [ "$(sinfo -h -o %T 2>/dev/null)" = idle ]; }

up() {
  [ "$(id -u)" = 0 ] || fail "needs root: the daemons run as root (SlurmUser=root), and installing uses apt-get"
  mkdir -p "$DIR"
  install
  if healthy; then
    say "cluster already up ($CONF)"
    echo "export SLURM_CONF=$CONF"
    return 0
  fi
  stop   # whatever is left of an earlier cluster in this folder
  rm -rf "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/run"
  mkdir -p "$DIR/state" "$DIR/spool" "$DIR/log" "$DIR/run"
  write_conf
  export SLURM_CONF=$CONF
  local deadline=$((SECONDS + READY_TIMEOUT))
  # Both daemons fork into the background themselves and write their pid files. Their standard
  # streams go to files, so that no caller reading our output waits for the daemons to exit.
  env "$OWNER_MARK" slurmctld -f "$CONF" </dev/null >>"$DIR/log/slurmctld.out" 2>&1 || { logs; fail "slurmctld did not start"; }
  wait_until "$deadline" "slurmctld is not answering" ctld_up
  env "$OWNER_MARK" slurmd -f "$CONF" </dev/null >>"$DIR/log/slurmd.out" 2>&1 || { logs; fail "slurmd did not start"; }
  wait_until "$deadline" "the node is not idle" node_idle
  say "cluster up: $(grep -m1 '^NodeName=' "$CONF" | cut -d' ' -f1-3), ports $(grep -o 'Port=[0-9]*' "$CONF" | cut -d= -f2 | paste -sd/)"
  echo "export SLURM_CONF=$CONF"
}

stop() {
  local pid jobs name
  if pid_of slurmctld >/dev/null && [ -s "$CONF" ]; then
    jobs=$(SLURM_CONF=$CONF squeue -h -o %A 2>/dev/null | sort -u | paste -sd' ') || true
    if [ -n "$jobs" ]; then
      say "cancelling jobs $jobs"
      # shellcheck disable=SC2086  # a list of job ids
      SLURM_CONF=$CONF scancel $jobs 2>/dev/null || true
      for _ in $(seq 100); do
        [ -z "$(SLURM_CONF=$CONF squeue -h -o %A 2>/dev/null)" ] && break
        sleep 0.1
      done
    fi
  fi
  for name in slurmd slurmctld; do
    if pid=$(pid_of "$name"); then stop_pid "$pid" "$name"; fi
    rm -f "$DIR/run/$name.pid"
  done
  for pid in $(ours); do   # slurmstepd of a job that would not die, a daemon whose pid file is gone
    say "stopping leftover $(cat "/proc/$pid/comm" 2>/dev/null || echo process) ($pid)"
    stop_pid "$pid" leftover
  done
}

down() {
  stop   # also when the folder is gone: the sweep by OWNER_MARK still finds our processes
  local left
  left=$(ours)
  [ -z "$left" ] || fail "processes still running after down: $left"
  if [ "${ZP_SLURM_KEEP:-0}" = 1 ]; then say "stopped; kept $DIR"
  elif [ -d "$DIR" ]; then rm -rf "$DIR"; say "stopped; removed $DIR"
  fi
}

status() {
  healthy || { echo "no cluster running in $DIR"; return 1; }
  SLURM_CONF=$CONF sinfo
  SLURM_CONF=$CONF squeue
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2 ;;
esac
