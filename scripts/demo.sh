#!/usr/bin/env bash
# The exam day in one command: installs what is missing, builds, writes a demo exam point
# (site file, two rooms with two cameras each, one exam today) into a temporary folder and
# drives the tools against it. Each part of the toolkit adds its step here.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/install-deps.sh"
echo "demo: building (ci preset)" >&2
cmake --preset ci >/dev/null
cmake --build --preset ci --parallel "$(nproc)" >/dev/null

bin="$root/build/ci/tools"
demo="$(mktemp -d /tmp/examkit-demo.XXXXXX)"
zone="Europe/Moscow"
today="$(TZ="$zone" date +%F)"

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
  step() { printf '\n== %s\n' "$*"; }
fi

# The demo exam point: the site file is all the toolkit needs to know about it.
cat >"$demo/site.toml" <<SITE
# Demo exam point written by scripts/demo.sh; see docs/site-file.md for every key.
ppe_code = "0042"
region = "77"
name = "Demo school No. 42"
timezone = "$zone"

[paths]
data = "data"
recordings = "recordings"
journal = "data/journal.sqlite"
keys = "keys"

[[exam]]
id = "$today-math"
date = $today
subject = "Mathematics (profile level)"
start = "10:00"
duration = "3h55m"
check_lead = "2h"

[[room]]
id = "0101"
label = "Аудитория 0101"
kind = "exam"

  [[room.camera]]
  id = "0101-front"
  uri = "rtsp://127.0.0.1:8554/0101-front"
  label = "0101 front"

  [[room.camera]]
  id = "0101-back"
  uri = "rtsp://127.0.0.1:8554/0101-back"
  label = "0101 back"

[[room]]
id = "0102"
label = "Аудитория 0102"
kind = "exam"

  [[room.camera]]
  id = "0102-front"
  uri = "rtsp://127.0.0.1:8554/0102-front"
  label = "0102 front"

  [[room.camera]]
  id = "0102-back"
  uri = "rtsp://127.0.0.1:8554/0102-back"
  label = "0102 back"
SITE
export EXAM_SITE="$demo/site.toml"

step "The demo exam point (exam-precheck site)"
"$bin/exam-precheck" site

step "Today's schedule (exam-precheck schedule)"
"$bin/exam-precheck" schedule

step "Done"
echo "The demo exam point is in $demo (site file: $demo/site.toml)."
echo "Try: EXAM_SITE=$demo/site.toml $bin/exam-precheck schedule --json"
