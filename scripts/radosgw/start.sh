#!/usr/bin/env bash
# Starts a throwaway Ceph cluster with an S3 endpoint (radosgw) on 127.0.0.1, for tests and local runs.
#
#   scripts/radosgw/start.sh <dir> <port> [mon-port]
#
# <dir> is created and holds everything: ceph.conf, the mon store, logs, pid files, admin sockets and
# credentials.json ({"endpoint","accessKeyId","secretAccessKey","region"}). One ceph-mon, one OSD on memstore
# (data lives in RAM and vanishes with the process), one radosgw with the beast frontend on 127.0.0.1:<port>.
# Authentication between the daemons is off (auth none); S3 requests are still signed and checked against
# the user this script creates. No systemd (tested as root, as CI runs it).
# Several instances can run side by side: each has its own dir, S3 port and mon port (a free one is picked
# when [mon-port] is not given); OSDs pick free ports themselves.
# Stop with scripts/radosgw/stop.sh <dir>. Exit status 0 once S3 answers; otherwise non-zero, with the
# tail of each daemon log on stderr, the daemons it started killed and <dir> left in place for inspection.
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 <dir> <port> [mon-port]" >&2
  exit 2
fi
dir=$1
port=$2
mon_port=${3:-}
access_key=${RADOSGW_ACCESS_KEY:-STREAMINGANALYTICS0}
secret_key=${RADOSGW_SECRET_KEY:-streaming-analytics-local-secret-key}
# Seconds to wait for each step (the machine may be busy with other test processes).
wait_s=${RADOSGW_START_TIMEOUT:-90}

for tool in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "radosgw start: '$tool' is not installed; run scripts/install-system-deps.sh (Debian packages radosgw ceph-mon ceph-osd ceph-common)" >&2
    exit 3
  fi
done

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
mkdir -p "$dir/run" "$dir/log" "$dir/mon" "$dir/osd" "$dir/rgw"
conf="$dir/ceph.conf"
started_ns=$(date +%s%N)

fail() {
  # Kill this cluster's daemons first: printing the logs below can be cut short (a closed pipe).
  for p in /proc/[0-9]*; do
    if ours "${p#/proc/}"; then kill -KILL "${p#/proc/}" 2>/dev/null || true; fi
  done
  echo "radosgw start: $*" >&2
  for f in "$dir"/log/*.log "$dir"/log/*.out; do
    [ -s "$f" ] || continue
    echo "----- last lines of $f -----" >&2
    tail -n 25 "$f" >&2
  done
  exit 1
}

# Elapsed time of each step, for tuning: <dir>/log/phases.out.
phase() { echo "$(( ($(date +%s%N) - started_ns) / 1000000 )) ms $*" >>"$dir/log/phases.out"; }

# True when process $1 is alive (not a zombie) and was started with this cluster's config.
ours() {
  local cmdline state
  cmdline=$(tr "\0" " " 2>/dev/null <"/proc/$1/cmdline") || return 1
  [[ "$cmdline" == *"$conf"* ]] || return 1
  state=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)
  [ "$state" != "Z" ]
}

# True when something accepts connections on 127.0.0.1:$1.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ -z "$mon_port" ]; then
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 12000))  # below the ephemeral range (32768+)
    if [ "$candidate" != "$port" ] && ! listening "$candidate"; then mon_port=$candidate; break; fi
  done
  [ -n "$mon_port" ] || fail "found no free port for the monitor"
fi
if listening "$port"; then fail "port $port on 127.0.0.1 is already in use"; fi

fsid=$(cat /proc/sys/kernel/random/uuid)
cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
mon initial members = a
public addr = 127.0.0.1
public network = 127.0.0.1/32
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
# radosgw asks for a "secure" mon connection by default, which auth none cannot provide: allow crc.
ms mon client mode = crc
# Fail in seconds, not the default 5 minutes, when a daemon cannot reach the monitor.
client mount timeout = 30
run dir = $dir/run
pid file = $dir/run/\$name.pid
admin socket = $dir/run/\$name.asok
log file = $dir/log/\$name.log
mon cluster log file = $dir/log/cluster.log
keyring = /dev/null
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon allow pool delete = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
mgr initial modules =

[mon]
mon data = $dir/mon/\$cluster-\$id
# A one-monitor throwaway cluster: commit map changes at once instead of batching them for a second.
paxos propose interval = 0.05
paxos min wait = 0.01
# Data lives in RAM: the monitor's disk-space guards (which stop it below 5% free) do not apply.
mon data avail warn = 1
mon data avail crit = 0

[osd]
osd data = $dir/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 1073741824
osd max object name len = 460
osd max object namespace len = 64

[client.rgw.local]
ms mon client mode = crc
auth client required = none
rgw frontends = beast endpoint=127.0.0.1:$port
rgw data = $dir/rgw
rgw dns name = localhost
rgw enable usage log = false
CONF

ceph_() { timeout 30 ceph -c "$conf" --connect-timeout 15 "$@"; }

# --- monitor
monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >"$dir/log/monmaptool.out" 2>&1 \
  || fail "monmaptool failed"
ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" >"$dir/log/mon-mkfs.out" 2>&1 || fail "ceph-mon --mkfs failed"
ceph-mon -c "$conf" -i a >"$dir/log/mon.out" 2>&1 || fail "ceph-mon did not start"
deadline=$(( $(date +%s) + wait_s ))
until ceph_ mon stat >/dev/null 2>&1; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "the monitor did not answer within ${wait_s}s"
  sleep 0.3
done

phase "monitor up"

# --- one OSD on memstore. Its first start can lose a race against the monitor's map ("wrong fsid"):
# the OSD then exits; a second mkfs+start succeeds, so try a few times.
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$(ceph_ osd new "$osd_uuid" 2>"$dir/log/osd-new.out") || fail "'ceph osd new' failed"
osd_data="$dir/osd/ceph-$osd_id"
osd_up=false
osd_is_up() { ceph_ osd dump 2>/dev/null | grep -q "^osd\.$osd_id up"; }
for attempt in 1 2 3 4 5; do
  rm -f "$dir/run/osd.$osd_id.pid"
  rm -rf "$osd_data"; mkdir -p "$osd_data"
  if ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" >"$dir/log/osd-mkfs-$attempt.out" 2>&1 \
     && ceph-osd -c "$conf" -i "$osd_id" >"$dir/log/osd-start-$attempt.out" 2>&1; then
    # The daemon forked; wait for the monitor to report it up, or for it to die (or never write its pid file).
    attempt_deadline=$(( $(date +%s) + 20 ))
    until osd_is_up; do
      pid=$(cat "$dir/run/osd.$osd_id.pid" 2>/dev/null || true)
      if [ -n "$pid" ] && ! ours "$pid"; then break; fi
      if [ -z "$pid" ] && [ "$(date +%s)" -ge "$attempt_deadline" ]; then break; fi
      [ "$(date +%s)" -lt "$deadline" ] || fail "the OSD did not come up within ${wait_s}s"
      sleep 0.3
    done
    if osd_is_up; then osd_up=true; break; fi
  fi
  echo "radosgw start: OSD start attempt $attempt failed, retrying" >>"$dir/log/start.out"
  pid=$(cat "$dir/run/osd.$osd_id.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && ours "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  sleep 0.5
done
$osd_up || fail "the OSD did not start after 5 attempts"
phase "OSD up (attempt $attempt)"

# --- the pools radosgw uses, created in one go so their placement groups come up together (radosgw would
# otherwise create them one by one, and the bucket pools only at the first bucket: seconds into a test).
pools=(.rgw.root default.rgw.log default.rgw.control default.rgw.meta default.rgw.buckets.index default.rgw.buckets.data)
{
  for pool in "${pools[@]}"; do
    echo "osd pool create $pool 8 8"
  done
} | timeout 60 ceph -c "$conf" --connect-timeout 15 >"$dir/log/pools.out" 2>&1 || fail "creating the rgw pools failed"

phase "pools created"

# --- radosgw
radosgw -c "$conf" -n client.rgw.local >"$dir/log/rgw.out" 2>&1 || fail "radosgw did not start"
deadline=$(( $(date +%s) + wait_s ))
until listening "$port"; do
  pid=$(cat "$dir/run/client.rgw.local.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && ! ours "$pid"; then fail "radosgw exited"; fi
  [ "$(date +%s)" -lt "$deadline" ] || fail "radosgw did not listen on 127.0.0.1:$port within ${wait_s}s"
  sleep 0.3
done

phase "radosgw listening"

# --- an S3 user with known keys
timeout 60 radosgw-admin -c "$conf" -n client.rgw.local user create --uid=streaming-analytics \
  --display-name="streaming-analytics tests" --access-key="$access_key" --secret-key="$secret_key" \
  >"$dir/log/user-create.out" 2>&1 || fail "radosgw-admin user create failed"

phase "user created"

# S3 answers: an anonymous GET / returns an XML listing (or an error document) with an HTTP status line.
until status=$( (exec 3<>"/dev/tcp/127.0.0.1/$port"; printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3; head -n 1 <&3) 2>/dev/null ) \
      && [[ "$status" == HTTP/* ]]; do
  [ "$(date +%s)" -lt "$deadline" ] || fail "radosgw did not answer HTTP within ${wait_s}s"
  sleep 0.3
done

phase "S3 answers"

cat >"$dir/credentials.json" <<JSON
{"endpoint":"http://127.0.0.1:$port","accessKeyId":"$access_key","secretAccessKey":"$secret_key","region":"us-east-1","monPort":$mon_port}
JSON
elapsed_ms=$(( ($(date +%s%N) - started_ns) / 1000000 ))
echo "radosgw: http://127.0.0.1:$port (dir $dir, mon 127.0.0.1:$mon_port, started in ${elapsed_ms} ms)"
