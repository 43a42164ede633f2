#!/bin/sh
# Reports the system clock's year as the observed value; a clock before 2024 is surely wrong
# (a flat CMOS battery), which breaks signatures and recording times.
year=$(date -u +%Y)
if [ "$year" -ge 2024 ]; then status=pass; else status=fail; fi
echo "{\"status\": \"$status\", \"message\": \"the clock says $(date -u +%Y-%m-%dT%H:%M:%SZ)\", \"observed\": {\"value\": $year, \"unit\": \"year\"}, \"expected\": \"a year of 2024 or later\"}"
