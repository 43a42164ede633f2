#!/bin/sh
# The access journal is whole before the exam starts: exam-journal verify recomputes every
# entry, the Merkle tree and every signed checkpoint. Reports the entry count as the observed
# value (docs/check-scripts.md). Needs EXAM_SITE (or --site) like every examkit tool.
if ! command -v exam-journal >/dev/null 2>&1; then
  echo '{"status": "error", "message": "exam-journal is not on PATH: install examkit or add its bin folder to PATH"}'
  exit 0
fi
output=$(exam-journal verify 2>&1)
code=$?
# The message is in the user's language; the count is the first number of its first line
# ("journal verified: 41 entries", "журнал проверен: записей — 41").
entries=$(printf '%s\n' "$output" | sed -n '1s/^[^0-9]*\([0-9][0-9]*\).*/\1/p')
first_line=$(printf '%s\n' "$output" | head -n 1 | sed 's/\\/\\\\/g; s/"/\\"/g')
case $code in
  0) echo "{\"status\": \"pass\", \"message\": \"$first_line\", \"observed\": {\"value\": ${entries:-0}, \"unit\": \"entries\"}, \"expected\": \"the journal verifies\"}" ;;
  2) echo "{\"status\": \"fail\", \"message\": \"$first_line\", \"expected\": \"the journal verifies\"}" ;;
  *) echo "{\"status\": \"error\", \"message\": \"exam-journal verify exited with $code: $first_line\"}" ;;
esac
