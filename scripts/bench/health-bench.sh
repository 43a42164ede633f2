#!/bin/sh
# Picture health while recording: what decoding and judging one 1080p H.264 keyframe costs
# (exam-health-bench: decode_keyframe scaled to 640 wide, grey, + KeyframeHealth::judge), and
# what that is per camera and for 60 cameras at one keyframe every INTERVAL seconds — beside
# references measured in the same run on the same clip: ffmpeg decoding only its keyframes
# (-skip_frame nokey), and ffmpeg's stream copy (-c copy) of it, the CPU the recorder's bar is
# set against. Prints ms of CPU and ratios; never fails on speed. docs/PERFORMANCE.md records
# the figures.
#
#   scripts/bench/health-bench.sh [BUILD_DIR]     (SECONDS_OF_VIDEO=60 INTERVAL=30 CAMERAS=60)
set -eu

build=${1:-build/ci}
length=${SECONDS_OF_VIDEO:-60}
interval=${INTERVAL:-30}
cameras=${CAMERAS:-60}
bench="$build/tests/bench/exam-health-bench"
work=$(mktemp -d /var/tmp/examkit-health-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

[ -x "$bench" ] || { echo "health-bench: $bench is not built" >&2; exit 64; }

# A camera's stream: 1080p H.264 at 4 Mbit/s, 25 frames/s, a keyframe every 2 s, no B-frames.
clip="$work/camera.mp4"
ffmpeg -v error -f lavfi -i "testsrc2=size=1920x1080:rate=25" -t "$length" -c:v libx264 \
    -preset veryfast -b:v 4M -maxrate 4M -bufsize 8M -g 50 -bf 0 -pix_fmt yuv420p "$clip"
keyframes=$(ffprobe -v error -select_streams v -skip_frame nokey -show_entries frame=pict_type \
    -of csv=p=0 "$clip" | wc -l)

# CPU seconds (user + system) of a command, children included.
cpu_of() {
    /usr/bin/time -f '%U %S' -o "$work/time" "$@" >/dev/null 2>&1
    awk '{ printf "%.4f", $1 + $2 }' "$work/time"
}

ours=$("$bench" "$clip" 5)
health_ms=$(echo "$ours" | awk '/^health_ms/ { print $2 }')
snapshot_ms=$(echo "$ours" | awk '/^snapshot_decode_ms/ { print $2 }')
decode_s=$(cpu_of ffmpeg -v error -threads 1 -skip_frame nokey -i "$clip" -an -f null -)
copy_s=$(cpu_of ffmpeg -v error -i "$clip" -c copy -f null -)

bc_() { echo "scale=6; $1" | bc -l; }
ffmpeg_key_ms=$(bc_ "$decode_s * 1000 / $keyframes")
# Per camera: a share of one core (%).
health_share=$(bc_ "$health_ms / ($interval * 1000) * 100")
copy_share=$(bc_ "$copy_s / $length * 100")

printf 'clip: %ss of 1080p H.264 at 4 Mbit/s, %s keyframes; %s cameras, a keyframe each every %ss\n' \
    "$length" "$keyframes" "$cameras" "$interval"
echo "$ours" | head -1 | sed 's/^/exam-health-bench: /'
printf 'health (decode 640 wide, grey, + judge)    %8.2f ms CPU per keyframe\n' "$health_ms"
printf 'snapshot decode (full size, BGR)           %8.2f ms CPU per keyframe\n' "$snapshot_ms"
printf 'ffmpeg -skip_frame nokey (decode only)     %8.2f ms CPU per keyframe\n' "$ffmpeg_key_ms"
printf 'health / ffmpeg keyframe decode            %8.2fx\n' "$(bc_ "$health_ms / $ffmpeg_key_ms")"
printf 'health per camera                          %8.4f %% of a core\n' "$health_share"
printf 'health for %s cameras                      %8.3f %% of a core\n' "$cameras" \
    "$(bc_ "$health_share * $cameras")"
printf 'ffmpeg -c copy per camera (file, no RTSP)  %8.4f %% of a core\n' "$copy_share"
printf 'ffmpeg -c copy for %s cameras              %8.3f %% of a core\n' "$cameras" \
    "$(bc_ "$copy_share * $cameras")"
printf 'health / ffmpeg -c copy, per camera        %8.3fx\n' "$(bc_ "$health_share / $copy_share")"
