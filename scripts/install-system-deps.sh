#!/usr/bin/env bash
# The system tools the tests need: checks each, installs the missing ones. Idempotent (nothing to do when all are
# there). `npm test` runs it first (the npm "pretest" script) and so does .ci/run.
#
#   bash scripts/install-system-deps.sh           install what is missing (needs root); without root, list it,
#                                                 print the one command that installs it and exit 1
#   bash scripts/install-system-deps.sh --check   only check: exit 1 with that command when something is missing
#
# To add a need, add a line to NEEDS: the command the tests run, how it is installed (apt or pip), the packages.
set -euo pipefail

NEEDS=(
  # command   installer  packages
  "radosgw    apt        radosgw ceph-mon ceph-osd ceph-common"  # S3 on 127.0.0.1 for the sink and end-to-end tests
  "cfn-lint   pip        cfn-lint"                               # lints the synthesized CloudFormation templates
  "javac      apt        openjdk-17-jdk-headless"                # the Flink job (a JDK, not only a JRE)
  "mvn        apt        maven"                                  # builds the Flink job
  "chromium   apt        chromium"                               # page tests in a headless browser
)

check_only=false
case "${1:-}" in
  --check) check_only=true ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

missing_apt=()
missing_pip=()
missing_tools=()
for need in "${NEEDS[@]}"; do
  read -r tool installer packages <<<"$need"
  command -v "$tool" >/dev/null 2>&1 && continue
  missing_tools+=("$tool")
  # shellcheck disable=SC2206 # packages are space-separated words on purpose
  case "$installer" in
    apt) missing_apt+=($packages) ;;
    pip) missing_pip+=($packages) ;;
    *) echo "install-system-deps: unknown installer '$installer' for $tool" >&2; exit 2 ;;
  esac
done

[ ${#missing_tools[@]} -eq 0 ] && exit 0

script_path="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
if $check_only || [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need system tools that are missing: ${missing_tools[*]}." >&2
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Install these (Debian/Ubuntu package names): ${missing_apt[*]:-} ${missing_pip[*]:+(pip) ${missing_pip[*]}}" >&2
  else
    echo "Install them with:  sudo bash $script_path" >&2
  fi
  exit 1
fi

echo "install-system-deps: installing what the tests need: ${missing_tools[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
if [ ${#missing_pip[@]} -gt 0 ] && ! python3 -m pip --version >/dev/null 2>&1; then
  missing_apt+=(python3-pip)
fi
if [ ${#missing_apt[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing_apt[@]}" >/dev/null
fi
if [ ${#missing_pip[@]} -gt 0 ]; then
  python3 -m pip install --quiet --break-system-packages "${missing_pip[@]}" 2>/dev/null || python3 -m pip install --quiet "${missing_pip[@]}"
fi
