#!/usr/bin/env bash
# Benchmark: a 30-check suite run in parallel, against the same checks run one by one.
# Not a test: it prints figures for docs/PERFORMANCE.md and never fails on speed.
#
#   scripts/bench/precheck-parallel.sh [build/ci]
#
# The suite is what a station's suite looks like: mostly quick checks (files, processes, disk,
# memory, packages, a loopback port) and a few that wait (scripts that take their time, a port
# that refuses, a server that never answers and is cut off at its timeout).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${1:-$root/build/ci}"
precheck="$build/tools/exam-precheck"
work="$(mktemp -d /tmp/examkit-precheck-bench.XXXXXX)"
trap 'kill "${silent_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

# A listener that accepts and never answers: Python's socket, kept until the end.
port_file="$work/port"
/usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(64)
open(sys.argv[1], "w").write(str(s.getsockname()[1])); time.sleep(600)' "$port_file" &
silent_pid=$!
for _ in $(seq 100); do [[ -s "$port_file" ]] && break; sleep 0.05; done
port="$(cat "$port_file")"

suite="$work/suite.toml"
: >"$suite"
add() { printf '[[check]]\n%s\n\n' "$1" >>"$suite"; }
for i in $(seq 1 9); do add "id = \"file-$i\"
type = \"file\"
path = \"/etc/passwd\""; done
for i in $(seq 1 4); do add "id = \"process-$i\"
type = \"process\"
name = \"bash\""; done
for i in $(seq 1 3); do add "id = \"disk-$i\"
type = \"disk\"
path = \"/\"
min_free = \"1%\""; done
add 'id = "memory"
type = "memory"
min_available = "1MB"'
add 'id = "load"
type = "cpu-load"
max_load = 1000'
for package in coreutils bash dpkg; do add "id = \"package-$package\"
type = \"package\"
name = \"$package\""; done
add 'id = "dns"
type = "dns"
name = "localhost"'
add "id = \"listener\"
type = \"tcp\"
address = \"127.0.0.1:$port\""
add 'id = "refused"
type = "tcp"
address = "127.0.0.1:1"'
for i in 1 2 3 4; do add "id = \"script-$i\"
type = \"command\"
run = \"sleep 0.$((i * 2))\""; done
add "id = \"never-answers\"
type = \"http\"
url = \"http://127.0.0.1:$port/\"
timeout = \"1s\""
add 'id = "slow-script"
type = "command"
run = "sleep 1.2"'

checks=$(grep -c '^\[\[check\]\]' "$suite")
now() { date +%s.%N; }

start=$(now)
"$precheck" run --suite "$suite" --report "json:$work/parallel.json" >/dev/null || true
parallel=$(echo "$(now) - $start" | bc)

sum=0
slowest=0
for id in $(grep '^id = ' "$suite" | sed 's/id = "\(.*\)"/\1/'); do
  start=$(now)
  "$precheck" run --suite "$suite" --only "$id" --report "json:$work/one.json" >/dev/null || true
  took=$(echo "$(now) - $start" | bc)
  sum=$(echo "$sum + $took" | bc)
  if (( $(echo "$took > $slowest" | bc) )); then slowest=$took; fi
done

printf 'precheck parallel run: %d checks, %d cores\n' "$checks" "$(nproc)"
printf '  parallel run (--jobs 8, default) %6.2f s\n' "$parallel"
printf '  one by one, sum                  %6.2f s   parallel is %.1fx faster\n' "$sum" "$(echo "$sum / $parallel" | bc -l)"
printf '  slowest single check (one run)   %6.2f s   parallel / slowest = %.2f\n' "$slowest" "$(echo "$parallel / $slowest" | bc -l)"
