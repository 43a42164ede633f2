#!/bin/sh
# No print job is stuck in the station's queue before the exam materials are printed: a
# leftover rehearsal job would print first, and in the wrong room. Observed: the job count.
# PRINTER names the queue (default: all queues); CUPS_SERVER is honoured by lpstat itself.
if ! command -v lpstat >/dev/null 2>&1; then
  echo '{"status": "error", "message": "lpstat is not installed (apt-get install cups-client)"}'
  exit 0
fi
if ! jobs=$(LC_ALL=C lpstat -o ${PRINTER:+"$PRINTER"} 2>&1); then
  message=$(printf '%s' "$jobs" | head -n 1 | sed 's/\\/\\\\/g; s/"/\\"/g')
  echo "{\"status\": \"error\", \"message\": \"lpstat failed: $message\"}"
  exit 0
fi
count=$(printf '%s' "$jobs" | grep -c . || true)
if [ "$count" -eq 0 ]; then status=pass; else status=fail; fi
echo "{\"status\": \"$status\", \"message\": \"$count job(s) waiting in the print queue\", \"observed\": {\"value\": $count, \"unit\": \"jobs\"}, \"expected\": \"an empty queue\"}"
