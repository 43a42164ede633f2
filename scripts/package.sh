#!/usr/bin/env bash
# Builds examkit's Debian package from this checkout: the `release` preset (installed under
# /usr), `cpack -G DEB`, then lintian, which must report no error and no warning
# (docs/install.md explains the informational tags left). Prints the package's path.
#
#   scripts/package.sh [OUTPUT_DIR]        (default: build/package)
#
# Then, as root: apt-get install ./build/package/examkit_*.deb   (docs/install.md)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-}" in
  -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  -*) echo "package.sh: unknown option $1 (usage: scripts/package.sh [OUTPUT_DIR])" >&2; exit 64 ;;
esac
output="$(mkdir -p "${1:-$root/build/package}" && cd "${1:-$root/build/package}" && pwd)"
cd "$root"

"$root/scripts/install-deps.sh"
echo "package.sh: building the release preset" >&2
cmake --preset release >/dev/null
cmake --build --preset release --parallel "$(nproc)"

echo "package.sh: making the package" >&2
rm -f "$output"/examkit_*.deb
cpack -G DEB --config "$root/build/release/CPackConfig.cmake" -B "$output" >"$output/cpack.log" 2>&1 || {
  cat "$output/cpack.log" >&2
  exit 1
}
rm -rf "$output/_CPack_Packages"
deb="$(ls "$output"/examkit_*.deb)"

echo "package.sh: lintian" >&2
lintian_ok=true
lintian --fail-on error,warning "$deb" >"$output/lintian.log" 2>&1 || lintian_ok=false
# (lintian grumbles when run as root; the package is only read)
grep -v "running with root privileges" "$output/lintian.log" >&2 || true
if ! $lintian_ok; then
  echo "package.sh: lintian found errors or warnings (above): the package is not fit to ship" >&2
  exit 1
fi
echo "$deb"
