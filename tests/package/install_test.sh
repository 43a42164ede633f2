#!/usr/bin/env bash
# The Debian package, installed on this machine as an exam point's technician would: built
# with cpack from the build tree given, judged by lintian (no error, no warning), installed
# with apt-get, the installed tools run against the packaged example site, the first-time
# setup of docs/install.md followed (site file, journal init, an operator appending), the
# unit checked with systemd-analyze verify, then purged — and the purge must leave the
# recordings, the journal, the keys and the site file exactly as they were.
#
#   tests/package/install_test.sh BUILD_DIR          (as root; CTest runs it for the ci build)
#
# It refuses to run on a machine where examkit is installed or has its folders: that may be a
# real exam point, whose evidence a test must never touch.
set -euo pipefail
unset EXAM_SITE EXAM_ACTOR  # the installed site, /etc/examkit/site.toml, as on an exam point

build=$(cd "${1:?usage: install_test.sh BUILD_DIR}" && pwd)
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }
step() { echo "install_test: $*"; }

[[ $(id -u) == 0 ]] || fail "must run as root (apt-get install); CI does"
if dpkg-query -W -f='${Status}' examkit 2>/dev/null | grep -q installed; then
  fail "examkit is installed on this machine: purge it first (its data stays)"
fi
for folder in /var/lib/examkit /etc/examkit; do
  [[ ! -e $folder ]] || fail "$folder exists: this may be an exam point; the test will not touch it"
done
user_existed=false
getent passwd examkit >/dev/null && user_existed=true

work=$(mktemp -d /tmp/examkit-package-test.XXXXXX)
cleanup() {
  dpkg-query -W -f='${Status}' examkit 2>/dev/null | grep -q installed &&
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq examkit >/dev/null 2>&1
  # Made by this test alone (checked above), so removed by it.
  rm -rf /var/lib/examkit /etc/examkit "$work"
  if ! $user_existed && getent passwd examkit >/dev/null; then
    userdel examkit || true
    getent group examkit >/dev/null && groupdel examkit || true
  fi
}
trap cleanup EXIT

step "building the package (cpack) from $build"
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
  fail "cpack: $(tail -5 "$work/cpack.log")"
deb=$(ls "$work"/examkit_*.deb)

step "lintian"
lintian --fail-on error,warning "$deb" >"$work/lintian.log" 2>&1 ||
  fail "lintian: $(grep -E '^(E|W):' "$work/lintian.log")"

step "apt-get install $deb"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" \
  >"$work/install.log" 2>&1 || fail "apt-get install: $(tail -5 "$work/install.log")"

step "the installed tools, their manuals and completions"
for tool in exam-precheck exam-camera exam-journal; do
  [[ $(command -v "$tool") == /usr/bin/$tool ]] || fail "$tool is not /usr/bin/$tool"
  "$tool" --version | grep -q examkit || fail "$tool --version"
  man -w "$tool" >/dev/null || fail "no manual page for $tool"
  [[ -f /usr/share/bash-completion/completions/$tool ]] || fail "no bash completion for $tool"
  [[ -f /usr/share/zsh/vendor-completions/_$tool ]] || fail "no zsh completion for $tool"
done
ldd /usr/bin/exam-camera | grep -q "/usr/lib/x86_64-linux-gnu/examkit/libexam.so" ||
  ldd /usr/bin/exam-camera | grep -q "examkit/libexam.so" ||
  fail "exam-camera does not find its private libexam: $(ldd /usr/bin/exam-camera | grep exam)"
exam-precheck --site /usr/share/examkit/site.toml schedule >"$work/schedule.txt" ||
  fail "exam-precheck schedule with the example site"
grep -q "Exam point 0001" "$work/schedule.txt" || fail "schedule: $(cat "$work/schedule.txt")"

step "the service's user, group and folders"
getent passwd examkit >/dev/null || fail "no examkit user"
[[ $(stat -c '%a %U %G' /var/lib/examkit/data) == "2770 examkit examkit" ]] ||
  fail "/var/lib/examkit/data is $(stat -c '%a %U %G' /var/lib/examkit/data)"
[[ $(stat -c '%a %U %G' /var/lib/examkit/recordings) == "750 examkit examkit" ]] ||
  fail "/var/lib/examkit/recordings is $(stat -c '%a %U %G' /var/lib/examkit/recordings)"

step "first-time setup (docs/install.md): the site file, the journal, an operator appending"
cp /usr/share/examkit/site.toml /etc/examkit/site.toml
(cd "$work" && exam-journal init >"$work/public-key.txt" 2>"$work/init.log") ||
  fail "exam-journal init: $(cat "$work/init.log")"
[[ $(stat -c '%a %G' /etc/examkit/keys) == "750 examkit" ]] ||
  fail "keys folder $(stat -c '%a %G' /etc/examkit/keys)"
[[ $(stat -c '%a %G' /etc/examkit/keys/journal-signing.key) == "640 examkit" ]] ||
  fail "signing key $(stat -c '%a %G' /etc/examkit/keys/journal-signing.key)"
# The service's user is an operator: it appends and signs.
su -s /bin/sh examkit -c "cd / && EXAM_ACTOR=test exam-journal event --kind other --note 'package test'" \
  >"$work/event.log" 2>&1 || fail "the examkit user cannot append: $(cat "$work/event.log")"
# Someone outside the group reads no key and writes no journal.
if su -s /bin/sh nobody -c "cat /etc/examkit/keys/journal-signing.key" >/dev/null 2>&1; then
  fail "nobody can read the signing key"
fi
if su -s /bin/sh nobody -c "cd / && exam-journal event --kind other --note x" >/dev/null 2>&1; then
  fail "nobody can append to the journal"
fi
exam-journal verify >"$work/verify.log" 2>&1 || fail "exam-journal verify: $(cat "$work/verify.log")"

if command -v systemd-analyze >/dev/null; then
  step "systemd-analyze verify exam-camera.service"
  systemd-analyze verify /usr/lib/systemd/system/exam-camera.service >"$work/unit.log" 2>&1 ||
    fail "the unit: $(cat "$work/unit.log")"
else
  step "SKIPPED: systemd-analyze is not on this machine; the unit was not verified"
fi

step "apt-get purge: the evidence stays"
# A recording, as the service would leave one.
printf 'segment' >/var/lib/examkit/recordings/segment.mp4
evidence=(/var/lib/examkit/recordings/segment.mp4 /var/lib/examkit/data/journal.sqlite
  /etc/examkit/keys/journal-signing.key /etc/examkit/keys/document-secret.key
  /etc/examkit/site.toml)
sha256sum "${evidence[@]}" >"$work/evidence.sha256"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq examkit >"$work/purge.log" 2>&1 ||
  fail "apt-get purge: $(tail -5 "$work/purge.log")"
[[ ! -e /usr/bin/exam-camera ]] || fail "/usr/bin/exam-camera is still there after the purge"
sha256sum --quiet -c "$work/evidence.sha256" || fail "the purge changed or removed evidence"
step "ok: installed, set up, verified, purged; the evidence is untouched"
