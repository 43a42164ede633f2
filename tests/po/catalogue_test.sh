#!/usr/bin/env bash
# The Russian catalogue is complete and keeps the English texts' placeholders: every
# user-facing text of the sources as they are now (extracted here by po/extract-texts.sh, as the
# `pot` target does, not read from the committed po/examkit.pot, which may be stale) has a
# translation in po/ru.po that is neither missing nor fuzzy, and whose {} fields are those of
# the English text, in the same order (the program fills them by position).
#
#   tests/po/catalogue_test.sh SOURCE_DIR          (CTest runs it)
set -euo pipefail
source_dir=$(cd "${1:?usage: catalogue_test.sh SOURCE_DIR}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$source_dir"
/bin/sh po/extract-texts.sh . "$work/sources.pot"
msgmerge --quiet --no-fuzzy-matching po/ru.po "$work/sources.pot" -o "$work/ru.po"
msgfmt --check --statistics -o /dev/null "$work/ru.po" 2>"$work/statistics"
if grep -Eq 'fuzzy|untranslated' "$work/statistics"; then
  echo "catalogue_test: po/ru.po lacks translations: $(cat "$work/statistics")" >&2
  msgattrib --untranslated --no-obsolete "$work/ru.po" | grep -A1 '^msgid' | head -40 >&2
  msgattrib --only-fuzzy --no-obsolete "$work/ru.po" | grep -A1 '^msgid' | head -40 >&2
  echo "catalogue_test: translate them in po/ru.po (msgmerge it with the pot target's po/examkit.pot)" >&2
  exit 1
fi
/usr/bin/python3 - "$work/ru.po" <<'PYTHON'
import re
import sys

def unquote(lines):
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', lines))

def fields(text):
    # A translation may write a number in its people's way: {:.1Lf} for the English {:.1f}.
    found = re.findall(r"\{[^{}]*\}", text.replace("{{", "").replace("}}", ""))
    return [re.sub(r"L(?=[aAeEfFgGd]?\}$)", "", field) for field in found]

wrong = []
for entry in open(sys.argv[1], encoding="utf-8").read().split("\n\n"):
    if entry.lstrip().startswith("#~"):
        continue  # obsolete
    parts = {m.group(1): unquote(m.group(2)) for m in re.finditer(
        r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', entry, re.M)}
    if not parts.get("msgid"):
        continue
    for key, text in parts.items():
        if not key.startswith("msgstr"):
            continue
        english = [parts["msgid"], parts.get("msgid_plural", parts["msgid"])]
        if fields(text) not in [fields(e) for e in english]:
            wrong.append(f"  {parts['msgid']!r}\n    {key}: {text!r}")
if wrong:
    print("catalogue_test: placeholders differ from the English text in po/ru.po:", file=sys.stderr)
    print("\n".join(wrong), file=sys.stderr)
    sys.exit(1)
PYTHON
echo "catalogue_test: po/ru.po: $(cat "$work/statistics")"
