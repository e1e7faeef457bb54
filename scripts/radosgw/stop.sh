#!/usr/bin/env bash
# Stops a cluster started by scripts/radosgw/start.sh <dir> and removes <dir>.
#   scripts/radosgw/stop.sh <dir>
# Only the daemons whose pid files are in <dir>/run are signalled; nothing else on the machine is touched.
set -uo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 <dir>" >&2
  exit 2
fi
dir=$1
[ -d "$dir" ] || exit 0
pids=()
for f in "$dir"/run/*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] && pids+=("$pid")
done
# radosgw first, then the OSD, then the monitor would be the polite order; the data is throwaway, so a
# TERM to all and a KILL to stragglers is enough.
for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for _ in $(seq 1 50); do
  alive=false
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
  $alive || break
  sleep 0.1
done
for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
rm -rf "$dir"
