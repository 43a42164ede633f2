#!/bin/sh
# Writes a tool's manual page (gzipped, as Debian ships them) or a shell completion, from the
# tool's own command definitions (its hidden `__reference` command), in English.
#   write_reference.sh TOOL man|bash|zsh OUTPUT
set -eu
tool=$1 format=$2 output=$3
mkdir -p "$(dirname "$output")"
LC_ALL=C.UTF-8 LANGUAGE= EXAM_LOCALE_DIR= "$tool" __reference "$format" > "$output.tmp"
if [ "$format" = man ]; then
  gzip -9n < "$output.tmp" > "$output"
  rm -f "$output.tmp"
else
  mv "$output.tmp" "$output"
fi
