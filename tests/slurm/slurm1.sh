#!/usr/bin/env bash
# slurm1.sh up|down|status: a one-node Slurm cluster (slurmctld + slurmd on localhost, munge
# for authentication) on Debian 12, without systemd or cgroups; for tests and for trying
# docs/slurm.md on a laptop. Installs munge, slurmctld, slurmd and slurm-client when missing
# (needs root). After "up":  export SLURM_CONF=/tmp/slurm1/slurm.conf.  "down" stops the
# daemons and removes all state. Idempotent.
set -euo pipefail
ROOT=${SLURM1_ROOT:-/tmp/slurm1}
CONF=$ROOT/slurm.conf
HOST=$(hostname -s)
export SLURM_CONF=$CONF
alive() { [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
munge_ok() { munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; }

up() {
  local t0=$SECONDS p missing=()
  for p in munge slurmctld slurmd slurm-client; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} > 0)); then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
      { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive \
          apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
  fi
  if ! munge_ok; then
    [[ -s /etc/munge/munge.key ]] || mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
    install -d -o munge -g munge -m 0755 /run/munge
    runuser -u munge -- /usr/sbin/munged
    for _ in $(seq 50); do munge_ok && break; sleep 0.1; done
  fi
  mkdir -p "$ROOT"/{state,spool,log,run}
  # MpiDefault=pmix: Debian's OpenMPI is built against PMIx, not Slurm's PMI-2.
  cat >"$CONF" <<CONF
ClusterName=winnow
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=pmix
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=$ROOT/state
SlurmdSpoolDir=$ROOT/spool
SlurmctldPidFile=$ROOT/run/slurmctld.pid
SlurmdPidFile=$ROOT/run/slurmd.pid
SlurmctldLogFile=$ROOT/log/slurmctld.log
SlurmdLogFile=$ROOT/log/slurmd.log
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  alive "$ROOT/run/slurmctld.pid" || slurmctld -f "$CONF"
  alive "$ROOT/run/slurmd.pid" || slurmd -f "$CONF"
  for _ in $(seq 150); do
    if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)$'; then
      echo "slurm1 up in $((SECONDS - t0))s; export SLURM_CONF=$CONF"
      return
    fi
    sleep 0.2
  done
  echo "slurm1: node not idle; see $ROOT/log" >&2
  exit 1
}

down() {
  local f p
  for f in "$ROOT/run/slurmd.pid" "$ROOT/run/slurmctld.pid" /run/munge/munged.pid; do
    alive "$f" || continue
    p=$(cat "$f")
    kill "$p"
    for _ in $(seq 50); do ps -o stat= -p "$p" | grep -qv Z || break; sleep 0.1; done
  done
  rm -rf "$ROOT"
}

case ${1:-} in
  up) up ;;
  down) down ;;
  status) sinfo -N -l ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
