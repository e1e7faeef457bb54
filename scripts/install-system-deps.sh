#!/usr/bin/env bash
# Installs the system packages the tests need, when they are missing. Idempotent; needs root (CI runs as root).
set -euo pipefail
need_apt=()
command -v radosgw >/dev/null 2>&1 || need_apt+=(radosgw ceph-mon ceph-osd ceph-common)
# The studio's browser tests drive Debian's chromium (headless) with playwright-core.
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if ! command -v cfn-lint >/dev/null 2>&1; then
  python3 -m pip install --quiet --break-system-packages cfn-lint 2>/dev/null || python3 -m pip install --quiet cfn-lint
fi
