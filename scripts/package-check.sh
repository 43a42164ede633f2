#!/usr/bin/env bash
# Proves that the package's declared dependencies suffice: installs the .deb into a fresh
# Debian 12 made by debootstrap (a chroot holding nothing but Debian's minimal system, none of
# the -dev packages of this machine), with apt resolving only what the package declares, then
# runs the installed tools there: --version, exam-precheck schedule with the example site,
# exam-journal init and verify, exam-camera site, and the modules loaded on first use
# (recording the built-in test camera; a snapshot of it). Minutes (the download); run by hand, as
# root, before a release (docs/install.md).
#
#   scripts/package-check.sh [DEB]     (default: the one scripts/package.sh made, build/package)
#
# The chroot is kept in build/package-check/chroot between runs (remove it to start afresh);
# the package is purged from it at the end.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "${1:-}" in
  -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
deb="${1:-$(ls "$root"/build/package/examkit_*.deb 2>/dev/null | head -1)}"
if [[ -z $deb ]]; then
  echo "package-check.sh: no package in build/package: run scripts/package.sh first, or name the .deb" >&2
  exit 66
fi
if [[ ! -f $deb ]]; then
  echo "package-check.sh: \"$deb\" is not a file (expected a .deb, such as build/package/examkit_0.1.0_amd64.deb)" >&2
  exit 66
fi
[[ $(id -u) == 0 ]] || { echo "package-check.sh: run as root (debootstrap, chroot)" >&2; exit 77; }
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null

chroot_dir="$root/build/package-check/chroot"
mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
mirror="${mirror:-http://deb.debian.org/debian}"
if [[ ! -x $chroot_dir/usr/bin/apt-get ]]; then
  echo "package-check.sh: debootstrap bookworm from $mirror into $chroot_dir" >&2
  rm -rf "$chroot_dir"
  mkdir -p "$chroot_dir"
  debootstrap --variant=minbase bookworm "$chroot_dir" "$mirror" >"$chroot_dir.log" 2>&1 || {
    tail -20 "$chroot_dir.log" >&2
    exit 1
  }
fi

mounted=()
cleanup() {
  chroot "$chroot_dir" sh -c 'dpkg -s examkit >/dev/null 2>&1 && apt-get purge -y -qq examkit' \
    >/dev/null 2>&1 || true
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[i]}" || true; done
}
trap cleanup EXIT
for fs in proc sys dev; do
  mount --bind "/$fs" "$chroot_dir/$fs"
  mounted+=("$chroot_dir/$fs")
done

in_chroot() { chroot "$chroot_dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

cp "$deb" "$chroot_dir/tmp/"
name="$(basename "$deb")"
echo "package-check.sh: apt-get install ./$name in the chroot" >&2
in_chroot apt-get update -qq
in_chroot sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/$name" \
  >"$chroot_dir.install.log" 2>&1 || { tail -20 "$chroot_dir.install.log" >&2; exit 1; }
echo "package-check.sh: what apt installed besides examkit: $(grep '^Setting up' "$chroot_dir.install.log" | grep -vc '^Setting up examkit') packages" >&2

failed=0
check() {
  local what=$1
  shift
  if output="$(in_chroot "$@" 2>&1)"; then
    echo "  ok    $what"
  else
    echo "  FAIL  $what: $output" | head -5
    failed=1
  fi
}
echo "package-check.sh: the installed tools in a bare Debian 12:"
for tool in exam-precheck exam-camera exam-journal; do
  check "$tool --version" "$tool" --version
done
check "exam-precheck schedule with the example site" \
  exam-precheck --site /usr/share/examkit/site.toml schedule
check "exam-camera site" exam-camera --site /usr/share/examkit/site.toml site
check "exam-journal init (a copy of the example site in /tmp)" sh -c \
  'rm -rf /tmp/point && mkdir /tmp/point && sed "s|/var/lib/examkit|/tmp/point|; s|/etc/examkit/keys|/tmp/point/keys|" /usr/share/examkit/site.toml > /tmp/point/site.toml && cd /tmp/point && exam-journal --site site.toml init'
check "exam-journal event and verify" sh -c \
  'cd /tmp/point && EXAM_ACTOR=check exam-journal --site site.toml event --kind other --note check && exam-journal --site site.toml verify'
# The modules libexam loads on first use: libexam-recording (FFmpeg) records the built-in test
# camera; libexam-devices (OpenCV) takes a snapshot by opening it.
check "exam-camera record (libexam-recording)" sh -c \
  'cd /tmp/point && printf "ppe_code = \"0001\"\nregion = \"77\"\nname = \"Check\"\ntimezone = \"Europe/Moscow\"\n[paths]\nkeys = \"keys\"\n[recording]\nsegment = \"2s\"\nreserve = \"1MB\"\n[[room]]\nid = \"0101\"\n[[room.camera]]\nid = \"front\"\nuri = \"test:160x120@10\"\n" > test.toml && EXAM_ACTOR=check timeout -s INT 5 exam-camera --site test.toml record --all; ls recordings/0101/front/*.mp4'
check "exam-camera snapshot (libexam-devices)" sh -c \
  'cd /tmp/point && exam-camera --site test.toml snapshot --camera front -o front.jpg && test -s front.jpg'
if ((failed)); then
  echo "package-check.sh: FAILED in the chroot ($chroot_dir)" >&2
  exit 1
fi
echo "package-check.sh: the package's declared dependencies suffice"
