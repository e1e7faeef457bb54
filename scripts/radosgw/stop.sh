#!/usr/bin/env bash
# Stops a cluster started by scripts/radosgw/start.sh <dir> and removes <dir>.
#   scripts/radosgw/stop.sh <dir>
# Only this cluster's daemons are signalled: processes whose command line names <dir>/ceph.conf (found through
# the pid files in <dir>/run and, for a daemon that died before writing one, through /proc).
set -uo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 <dir>" >&2
  exit 2
fi
[ -d "$1" ] || exit 0
dir=$(cd "$1" && pwd)
conf="$dir/ceph.conf"

# True when process $1 is alive (not a zombie) and was started with this cluster's config.
ours() {
  local cmdline state
  cmdline=$(tr "\0" " " 2>/dev/null <"/proc/$1/cmdline") || return 1
  [[ "$cmdline" == *"$conf"* ]] || return 1
  state=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)
  [ "$state" != "Z" ]
}

pids=()
for f in "$dir"/run/*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] && ours "$pid" && pids+=("$pid")
done
for p in /proc/[0-9]*; do
  pid=${p#/proc/}
  ours "$pid" && [[ " ${pids[*]} " != *" $pid "* ]] && pids+=("$pid")
done

# The data is throwaway (memstore): nothing to shut down cleanly, so SIGKILL, which takes effect at once
# (a SIGTERM'd OSD takes seconds to wind down).
for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
for _ in $(seq 1 50); do
  alive=false
  for pid in "${pids[@]}"; do ours "$pid" && alive=true; done
  $alive || break
  sleep 0.1
done
rm -rf "$dir"
