#!/usr/bin/env bash
# Installs what is missing, builds with the `ci` preset (warnings as errors) and runs every
# test. `--asan` does the same with the `asan` preset (AddressSanitizer + UBSan).
# Exits non-zero when anything fails.
set -euo pipefail

usage() {
  echo "usage: scripts/test.sh [--asan]" >&2
  exit 64
}

preset=ci
case "${1:-}" in
  "") ;;
  --asan) preset=asan ;;
  -h|--help) echo "usage: scripts/test.sh [--asan]"; exit 0 ;;
  *) usage ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/install-deps.sh"

jobs="$(nproc)"
echo "test.sh: configuring and building with the '$preset' preset" >&2
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" --parallel "$jobs"
echo "test.sh: running the tests" >&2
ctest --preset "$preset" --parallel "$jobs"
