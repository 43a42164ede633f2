#!/bin/sh
# exam-camera export against the two-pass way a technician copies by hand (cp, sync, then
# sha256sum of the copies) and against a floor: a plain synced write of the same bytes
# (dd conv=fsync) plus a cold read of them. The page cache is dropped before each, so each
# reads the recordings from the disk. Prints seconds, GB/s and ratios to the floor; never fails
# on speed. Needs root (drop_caches). docs/PERFORMANCE.md records the figures.
#
#   sudo scripts/bench/export-bench.sh [BUILD_DIR]    (GB=2 SEGMENT_MB=64 WORK=/var/tmp/...)
set -eu

build=${1:-build/ci}
gb=${GB:-2}
segment_mb=${SEGMENT_MB:-64}
work=${WORK:-/var/tmp/examkit-export-bench}
camera="$build/tools/exam-camera"
journal="$build/tools/exam-journal"
fixture="$build/tests/bench/exam-export-bench-fixture"

[ "$(id -u)" = 0 ] || { echo "export-bench: run as root (it drops the page cache)" >&2; exit 64; }
for binary in "$camera" "$journal" "$fixture"; do
    [ -x "$binary" ] || { echo "export-bench: $binary is not built" >&2; exit 64; }
done

rm -rf "$work"
mkdir -p "$work"
count=$(( gb * 1024 / segment_mb ))
bytes=$(( count * segment_mb * 1048576 ))
cat > "$work/site.toml" <<SITE
ppe_code = "0001"
region = "77"
name = "Bench"
timezone = "Europe/Moscow"
[[room]]
id = "0101"
[[room.camera]]
id = "front"
uri = "test:"
SITE
export EXAM_SITE="$work/site.toml" EXAM_ACTOR=bench
"$journal" init >/dev/null 2>&1
"$fixture" "$work/recordings" "$count" $(( segment_mb * 1048576 )) 2026-06-01T07:00:00.000Z
sources=$(find "$work/recordings/0101/front" -name '*.mp4' | sort)

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches; }
seconds_since() { echo "$(date +%s.%N) - $1" | bc -l; }

# 1. exam-camera export: one read of each source, hashed as it is copied, synced, read back.
drop_caches
start=$(date +%s.%N)
"$camera" export --from 2026-06-01T06:59:00Z --to 2026-06-02T00:00:00Z --all \
    --out "$work/export" >/dev/null 2>"$work/export.log"
t_export=$(seconds_since "$start")

# 2. cp + sync + sha256sum of the copies.
drop_caches
start=$(date +%s.%N)
mkdir -p "$work/cp"
cp $sources "$work/cp/"
sync
(cd "$work/cp" && sha256sum -- *.mp4 >/dev/null)
t_cp=$(seconds_since "$start")

# 3. The floor: dd conv=fsync of the same bytes, then a cold read of the copies.
drop_caches
start=$(date +%s.%N)
mkdir -p "$work/dd"
for source in $sources; do
    dd if="$source" of="$work/dd/$(basename "$source")" bs=8M conv=fsync status=none
done
t_write=$(seconds_since "$start")
drop_caches
start=$(date +%s.%N)
cat "$work"/dd/*.mp4 >/dev/null
t_floor=$(echo "$t_write + $(seconds_since "$start")" | bc -l)

rate() { printf %.2f "$(echo "$bytes / $1 / 1000000000" | bc -l)"; }
ratio() { printf %.2f "$(echo "$1 / $2" | bc -l)"; }
printf 'bytes: %d in %d files of %d MiB; %s, %s\n' "$bytes" "$count" "$segment_mb" \
    "$(uname -n)" "$(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-36s %8s s %6s GB/s  %5s x floor\n' \
    "floor: dd conv=fsync + cold read" "$(printf %.2f "$t_floor")" "$(rate "$t_floor")" 1.00 \
    "exam-camera export (verified)" "$(printf %.2f "$t_export")" "$(rate "$t_export")" \
    "$(ratio "$t_export" "$t_floor")" \
    "cp + sync + sha256sum" "$(printf %.2f "$t_cp")" "$(rate "$t_cp")" "$(ratio "$t_cp" "$t_floor")"
printf 'export vs cp + sync + sha256sum: %sx faster\n' "$(ratio "$t_cp" "$t_export")"
rm -rf "$work"
