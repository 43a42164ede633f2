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
# The demo site takes this machine's timezone, so that the clock check compares like with
# like (a real site names its own, and the check fails on a station set to another).
zone="$(readlink -f /etc/localtime 2>/dev/null | sed -n 's|.*/zoneinfo/||p')"
zone="${zone:-Europe/Moscow}"
today="$(TZ="$zone" date +%F)"

if [[ -t 1 && -z "${NO_COLOR:-}" ]]; then
  step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
else
  step() { printf '\n== %s\n' "$*"; }
fi

# Stand-ins for the exam point's equipment, on loopback: four cameras served by GStreamer's
# RTSP server (a moving test picture each) and the regional centre's NTP server. Both are
# stopped, by process id, when the demo ends.
fixtures="$root/tests/fixtures"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
# Starts a fixture in the background (in this shell, so that its process id is ours to stop)
# and waits for its "READY PORT" line; the port is then in $fixture_port.
start_fixture() {
  local log="$1"; shift
  "$@" >"$log" 2>"$log.err" &
  pids+=("$!")
  for _ in $(seq 1 100); do
    if grep -q '^READY ' "$log"; then
      fixture_port="$(awk '/^READY /{print $2; exit}' "$log")"
      return
    fi
    sleep 0.1
  done
  echo "demo: error: $* did not start; see $log.err" >&2
  exit 1
}
start_fixture "$demo/cameras.log" /usr/bin/python3 "$fixtures/rtsp_camera.py" \
  --width 640 --height 360 --fps 15 \
  --mount 0101-front=live --mount 0101-back=live --mount 0102-front=live --mount 0102-back=live
camera_port="$fixture_port"
start_fixture "$demo/ntp.log" python3 "$fixtures/sntp_server.py"
ntp_port="$fixture_port"

# The demo exam point: the site file is all the toolkit needs to know about it.
cat >"$demo/site.toml" <<SITE
# Demo exam point written by scripts/demo.sh; see docs/site-file.md for every key.
ppe_code = "0042"
region = "77"
name = "Demo school No. 42"
timezone = "$zone"

[journal]
roster_exempt_roles = ["police"]

[time]
ntp_server = "127.0.0.1:$ntp_port"

[recording]
after_end = "30m"
reserve = "1GB"
segment = "3s"      # short for the demo; a minute in real life

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
  uri = "rtsp://127.0.0.1:$camera_port/0101-front"
  width = 640
  height = 360
  fps = 15
  bitrate = "1Mbit/s"
  label = "0101 front"

  [[room.camera]]
  id = "0101-back"
  uri = "rtsp://127.0.0.1:$camera_port/0101-back"
  width = 640
  height = 360
  fps = 15
  bitrate = "1Mbit/s"
  label = "0101 back"

[[room]]
id = "0102"
label = "Аудитория 0102"
kind = "exam"

  [[room.camera]]
  id = "0102-front"
  uri = "rtsp://127.0.0.1:$camera_port/0102-front"
  width = 640
  height = 360
  fps = 15
  bitrate = "1Mbit/s"
  label = "0102 front"

  [[room.camera]]
  id = "0102-back"
  uri = "rtsp://127.0.0.1:$camera_port/0102-back"
  width = 640
  height = 360
  fps = 15
  bitrate = "1Mbit/s"
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

step "Readiness checks of the server: cameras, clock, storage, journal (exam-precheck run)"
# The checks are due from 08:00; --at pretends it is 08:30 on the exam day, as a rehearsal.
export PATH="$bin:$PATH"  # the journal-verify check script calls exam-journal
set +e
"$bin/exam-precheck" run --suite "$root/docs/examples/server-suite.toml" --station server \
  --at 08:30 --report text --report "json:$demo/server.json" --report "html:$demo/server.html"
precheck_status=$?
set -e
echo "exam-precheck exited with $precheck_status (0 all pass, 1 warnings only, 2 a critical failure, 3 could not check)"

step "A room station's checks (this machine has no printer: the printer checks say so)"
set +e
"$bin/exam-precheck" run --suite "$root/docs/examples/station-suite.toml" --station room-0101 \
  --at 08:35 --report "json:$demo/room-0101.json" --report text
set -e

step "The exam point's readiness from every station's report (exam-precheck summary)"
set +e
"$bin/exam-precheck" summary "$demo/server.json" "$demo/room-0101.json" \
  --report text --report "html:$demo/readiness.html"
set -e

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

step "Recording every camera for a few seconds (exam-camera record; Ctrl-C stops it)"
"$bin/exam-camera" record --all --exam "$today-math" &
recorder=$!
pids+=("$recorder")
sleep 3  # a demo, not a test: let the cameras connect, then keep a stretch of time
range_from="$(date -u +%FT%TZ)"
sleep 9
range_to="$(date -u +%FT%TZ)"
kill -INT "$recorder"
wait "$recorder" || true
echo "segments in the index ($demo/recordings/index.sqlite):"
sqlite3 -column -header "$demo/recordings/index.sqlite" \
  "SELECT camera, file, ended_ms - started_ms AS wall_ms, frames, substr(sha256, 1, 16) AS sha256 FROM segments ORDER BY camera, started_ms"
(cd "$demo/recordings" && sqlite3 index.sqlite "SELECT sha256 || '  ' || file FROM segments" | sha256sum -c --quiet) \
  && echo "sha256sum -c: every segment matches its indexed hash"

step "How much of that stretch every camera recorded (exam-camera coverage)"
"$bin/exam-camera" coverage --from "$range_from" --to "$range_to"

step "The commission's archive: export it, then verify it with the printed public key"
"$bin/exam-camera" export --from "$range_from" --to "$range_to" --all --concat --out "$demo/archive"
"$bin/exam-camera" verify "$demo/archive" --public-key "$(cat "$demo/public-key.txt")"
(cd "$demo/archive" && sha256sum -c --quiet SHA256SUMS) && echo "sha256sum -c SHA256SUMS: every file of the package matches"

step "The recording service: start every camera, its status, a snapshot, stop"
# What a systemd unit runs (docs/examples/exam-camera.service); in the background here. The
# service never records as root: as an exam point's installation gives the folders to its
# examkit user, the demo run as root gives them to nobody.
if [[ "$(id -u)" == 0 ]]; then
  chmod 755 "$demo"
  chown -R nobody:nogroup "$demo/recordings" "$demo/data" "$demo/keys"
fi
"$bin/exam-camera" service 2>"$demo/service.log" &
pids+=("$!")
for _ in $(seq 1 100); do
  "$bin/exam-camera" status >/dev/null 2>&1 && break
  sleep 0.1
done
"$bin/exam-camera" start --all
sleep 4  # a demo, not a test: a few seconds recorded, so that status has bytes to show
"$bin/exam-camera" status
"$bin/exam-camera" snapshot --camera 0101-front -o "$demo/snapshot-0101-front.jpg"
# Inside today's exam window (09:00 to 30 minutes after its end) a stop needs a reason, which
# goes into the journal; outside it the reason is not needed and not asked for.
"$bin/exam-camera" stop --all --force --reason "the demo ends"
kill -TERM "${pids[-1]}"
wait "${pids[-1]}" || true
"$journal" list | tail -n 12

step "Done"
echo "The demo exam point is in $demo (site file: $demo/site.toml)."
echo "The journal is $demo/data/journal.sqlite; its latest checkpoint is in $demo/checkpoint.txt."
echo "The server's readiness protocol (print on A4 and sign): $demo/server.html"
echo "The exam point's readiness protocol: $demo/readiness.html"
echo "The recordings and their index: $demo/recordings (docs/recording-format.md)"
echo "The commission's archive: $demo/archive; open $demo/archive/README.html (docs/export-format.md)"
echo "A stamped snapshot of camera 0101-front: $demo/snapshot-0101-front.jpg; the service's log: $demo/service.log"
echo "Try: EXAM_SITE=$demo/site.toml $bin/exam-journal desk"
echo "     EXAM_SITE=$demo/site.toml $bin/exam-precheck schedule --json"
