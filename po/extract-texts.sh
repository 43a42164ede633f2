#!/bin/sh
# Extracts every user-facing text of the sources into a .pot file: the one place that says which
# calls mark a text for translation (_, _f, _rf and _n with its plural). The `pot` target, the
# catalogue test and the tests' translate-everything catalogue all call it, so they can never
# disagree about what is a user-facing text.
#   po/extract-texts.sh SOURCE_DIR OUTPUT.pot [XGETTEXT OPTION...]
set -eu
source_dir=${1:?usage: extract-texts.sh SOURCE_DIR OUTPUT.pot [XGETTEXT OPTION...]}
output=${2:?usage: extract-texts.sh SOURCE_DIR OUTPUT.pot [XGETTEXT OPTION...]}
shift 2
case $output in /*) ;; *) output=$PWD/$output ;; esac
files=$(mktemp)
trap 'rm -f "$files"' EXIT
cd "$source_dir"
find libexam tools \( -name '*.cpp' -o -name '*.hpp' \) -print | LC_ALL=C sort >"$files"
xgettext --language=C++ --from-code=UTF-8 \
  --keyword=_ --keyword=_f --keyword=_rf --keyword=_n:1,2 \
  --files-from="$files" "$@" -o "$output"
