#!/usr/bin/env bash
# Seeds for the fuzz targets that read whole files made by examkit itself, made by the real
# tools of the ci build (run scripts/test.sh first): a journal with a roster, admissions,
# equipment events and signed checkpoints (journal_verify), and an export package of a few
# seconds recorded from the camera fixture (package_verify, in its "path, %%, bytes" layout;
# manifest, its manifest.json; checkpoint, its signed checkpoint).
#
#   fuzz/make_file_seeds.sh [CORPUS_FOLDER]      (default fuzz/corpus)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="$(realpath -m "${1:-$root/fuzz/corpus}")"
camera="$root/build/ci/tools/exam-camera"
journal="$root/build/ci/tools/exam-journal"
for tool in "$camera" "$journal"; do
  [[ -x "$tool" ]] || { echo "make_file_seeds: $tool is not built: run scripts/test.sh" >&2; exit 1; }
done

work="$(mktemp -d /tmp/examkit-seeds.XXXXXX)"
fixture_pid=""
cleanup() { [[ -n "$fixture_pid" ]] && kill "$fixture_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"

/usr/bin/python3 "$root/tests/fixtures/rtsp_camera.py" --width 160 --height 90 --fps 10 \
  --mount front=live >cameras.log 2>/dev/null &
fixture_pid=$!
for _ in $(seq 1 100); do grep -q '^READY ' cameras.log && break; sleep 0.1; done
port="$(awk '/^READY /{print $2; exit}' cameras.log)"
[[ -n "$port" ]] || { echo "make_file_seeds: the camera fixture did not start" >&2; exit 1; }

cat >site.toml <<SITE
ppe_code = "0042"
region = "77"
name = "Seeds"
timezone = "Etc/UTC"
[recording]
segment = "2s"
reserve = "1MB"
[[room]]
id = "0101"
[[room.camera]]
id = "front"
uri = "rtsp://127.0.0.1:$port/front"
SITE
export EXAM_SITE="$work/site.toml" EXAM_ACTOR="Seeds"
"$journal" init >/dev/null 2>&1
printf 'ФИО;Должность;Паспорт\r\nИванов Пётр;technician;4506 123456\r\n' >staff.csv
"$journal" roster import staff.csv >/dev/null
"$journal" event --kind other --note "seed" >/dev/null
echo "4506 123456" | "$journal" enter --name "Иванов Пётр" --role technician >/dev/null
"$journal" exit --name "Иванов Пётр" >/dev/null

from="$(date -u +%FT%TZ)"
timeout -s INT 5 "$camera" record --all >record.log 2>&1 || true
sleep 1
to="$(date -u -d '+1 min' +%FT%TZ)"
"$camera" export --from "$from" --to "$to" --all --out package >export.log 2>&1

mkdir -p "$corpus"/{journal_verify,package_verify,manifest,checkpoint}
cp data/journal.sqlite "$corpus/journal_verify/journal-with-admissions"
cp package/manifest.json "$corpus/manifest/package-manifest.json"
# The package as one input: each file's path, the marker line, its bytes, the marker line.
(cd package && find . -type f | sort | sed 's|^\./||' | while read -r file; do
  printf '%s\n%%%%\n' "$file"
  cat "$file"
  printf '\n%%%%\n'
done) >"$corpus/package_verify/package"
checkpoint="$(find package -name '*checkpoint*' -type f | head -1)"
[[ -n "$checkpoint" ]] && cp "$checkpoint" "$corpus/checkpoint/from-package"
echo "make_file_seeds: seeds written under $corpus: $(du -sh "$corpus/package_verify/package" | cut -f1) package, $(du -sh "$corpus/journal_verify/journal-with-admissions" | cut -f1) journal"
