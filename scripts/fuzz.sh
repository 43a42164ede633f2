#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan) and runs each on its
# corpus for SECONDS (default 60), two at a time. What each run finds new is kept in
# build/fuzz/corpus/TARGET; `--merge` minimises it together with the committed seeds into
# fuzz/corpus/TARGET, for committing by hand, so that the next run starts where this one ended.
# A crash leaves its input in build/fuzz/crashes/ and the script exits 1 naming the command
# that reproduces it. docs/SECURITY.md ("Fuzzing") says what each target reads.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 600 rtsp_session sdp
#   scripts/fuzz.sh --merge [TARGET...]
#   scripts/fuzz.sh --list
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

usage() {
  sed -n '9,11p' "$0" | sed 's/^#   /usage: /' >&2
  exit 64
}

merge=false
list=false
seconds=60
case "${1:-}" in
  --merge) merge=true; shift ;;
  --list) list=true; shift ;;
  -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  '' ) ;;
  -*) echo "fuzz.sh: unknown option $1" >&2; usage ;;
  *)
    if [[ "$1" =~ ^[0-9]+$ ]] && (($1 > 0)); then
      seconds=$1
      shift
    fi
    ;;
esac

all_targets=()
for source in fuzz/*_fuzz.cpp; do
  name="$(basename "$source" _fuzz.cpp)"
  all_targets+=("$name")
done
if $list; then
  printf '%s\n' "${all_targets[@]}"
  exit 0
fi
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=("${all_targets[@]}")
fi
for target in "${targets[@]}"; do
  if [[ ! -f "fuzz/${target}_fuzz.cpp" ]]; then
    echo "fuzz.sh: there is no fuzz target \"$target\"; the targets are: ${all_targets[*]}" >&2
    exit 64
  fi
done

"$root/scripts/install-deps.sh"
echo "fuzz.sh: building the fuzz targets (the 'fuzz' preset)" >&2
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --parallel "$(nproc)"

build="$root/build/fuzz"
mkdir -p "$build/corpus" "$build/crashes" "$build/logs"
# Leaks are reported by each target's own run; ASan's default of aborting on them stays.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

binary_of() { echo "$build/fuzz/$1_fuzz"; }

if $merge; then
  for target in "${targets[@]}"; do
    seeds="fuzz/corpus/$target"
    mkdir -p "$seeds" "$build/corpus/$target"
    merged="$(mktemp -d "$build/merge.XXXXXX")"
    "$(binary_of "$target")" -merge=1 "$merged" "$seeds" "$build/corpus/$target" \
      >"$build/logs/$target.merge.log" 2>&1
    rm -rf "$seeds"
    mv "$merged" "$seeds"
    echo "fuzz.sh: $target: $(find "$seeds" -type f | wc -l) inputs in $seeds"
  done
  exit 0
fi

# One target's run; its summary line on stdout, its log in build/fuzz/logs.
run_one() {
  local target="$1"
  local log="$build/logs/$target.log"
  mkdir -p "$build/corpus/$target" "fuzz/corpus/$target"
  local status=0
  "$(binary_of "$target")" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/crashes/$target-" \
    "$build/corpus/$target" "fuzz/corpus/$target" >"$log" 2>&1 || status=$?
  local runs
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  local took
  took="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)"
  local corpus
  corpus="$(find "$build/corpus/$target" "fuzz/corpus/$target" -type f | wc -l)"
  if ((status != 0)); then
    local crash
    crash="$(sed -n 's/^.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)"
    echo "FAIL $target after ${runs:-?} runs: $(grep -m1 -E 'ERROR|runtime error|fuzz:' "$log" || echo "exit $status")"
    echo "     reproduce: $(binary_of "$target") ${crash:-<input>}   (log: $log)"
    return 1
  fi
  echo "ok   $target: ${runs:-?} runs in ${took:-$seconds} s, $corpus inputs in its corpus"
}

failed=0
pids=()
running=0
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
for target in "${targets[@]}"; do
  (run_one "$target" >"$results/$target" 2>&1) &
  pids+=("$!")
  running=$((running + 1))
  if ((running >= $(nproc))); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true
for target in "${targets[@]}"; do
  cat "$results/$target"
  grep -q '^FAIL' "$results/$target" && failed=1
done
exit "$failed"
