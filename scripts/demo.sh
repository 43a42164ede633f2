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

[journal]
roster_exempt_roles = ["police"]

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

journal="$bin/exam-journal"
export EXAM_ACTOR="Demo technician"

step "The access journal: keys and journal (exam-journal init)"
"$journal" init | tee "$demo/public-key.txt"

step "Readiness checks of the server (exam-precheck run; the run goes into the journal too)"
set +e
"$bin/exam-precheck" run --suite "$root/docs/examples/server-suite.toml" --report text \
  --report "json:$demo/precheck-report.json"
precheck_status=$?
set -e
echo "exam-precheck exited with $precheck_status (0 all pass, 1 warnings only, 2 a critical failure, 3 could not check);"
echo "the JSON report is in $demo/precheck-report.json"

step "The staff list, form PPE-07 (exam-journal roster import)"
cat >"$demo/staff.csv" <<'CSV'
ФИО;Роль;Документ;Экзамен
Иванов Пётр Сергеевич;head;4506 123456;
Смирнова Анна Викторовна;commission;4507 654321;
Кузнецов Олег Игоревич;technician;4508 111222;
Попова Мария Андреевна;organizer-room;4509 333444;
CSV
"$journal" roster import "$demo/staff.csv"

step "Staff arrive (exam-journal enter; document numbers come on stdin, never as arguments)"
echo "4506123456" | "$journal" enter --name "Иванов Пётр Сергеевич" --role head
echo "4507 654321" | "$journal" enter --name "смирнова анна викторовна" --role commission
echo "4508-111222" | "$journal" enter --name "Кузнецов Олег Игоревич" --role technician
echo "4509333444" | "$journal" enter --name "Попова Мария Андреевна" --role organizer-room
echo "ПС 998877" | "$journal" enter --name "Сержант Петров" --role police

step "Someone not on the staff list is refused, and the refusal is recorded (exit code 2)"
if echo "4510 000000" | "$journal" enter --name "Посторонний Человек" --role observer; then
  echo "demo: error: a stranger was admitted" >&2
  exit 1
fi

step "The technician records an action on the equipment (exam-journal event)"
"$journal" event --kind operability-check --room 0101 --camera 0101-front --note "picture and sound checked"

step "Someone leaves (exam-journal exit) and who is inside now (exam-journal inside)"
"$journal" exit --name "Попова Мария Андреевна"
"$journal" inside

step "The journal (exam-journal list)"
"$journal" list

step "The auditor's check (exam-journal verify with the printed public key)"
"$journal" verify --public-key "$(cat "$demo/public-key.txt")"

step "The latest signed checkpoint (exam-journal checkpoint)"
"$journal" checkpoint | tee "$demo/checkpoint.txt"

step "Done"
echo "The demo exam point is in $demo (site file: $demo/site.toml)."
echo "The journal is $demo/data/journal.sqlite; its latest checkpoint is in $demo/checkpoint.txt."
echo "Try: EXAM_SITE=$demo/site.toml $bin/exam-journal desk"
echo "     EXAM_SITE=$demo/site.toml $bin/exam-precheck schedule --json"
