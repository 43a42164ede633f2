#!/usr/bin/env python3
"""Soak: the journal appended to by several processes at once, one of them killed at random.

Each round starts APPENDERS shell loops, each appending ENTRIES equipment events through the
real `exam-journal event` (the ci build), one process per event as the desk and the tools do,
and writing each event's note to its own acknowledgement file once the command has returned 0.
At a random moment one loop is killed with SIGKILL together with the `exam-journal` it is
running, perhaps in the middle of an append. Then, every round:

  - the other loops finished with every append acknowledged (none refused, none lost to a
    busy database);
  - every acknowledged event is in the journal exactly once, and nothing is there twice;
  - the journal verifies (`exam-journal verify`: every leaf, the tree, every checkpoint).

Prints a line per round and the figures for docs/PERFORMANCE.md ("Reliability"); exits 1 when a
check fails. Run by hand from the project's root after `scripts/test.sh` built the ci preset:

  scripts/soak/journal-appenders.py [ROUNDS] [APPENDERS] [ENTRIES]   (default 50 6 60)
"""
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JOURNAL = os.path.join(ROOT, "build/ci/tools/exam-journal")
LOOP = ('for i in $(seq 1 "$2"); do "$0" event --kind other --note "$1-$i" >/dev/null '
        '|| exit 1; echo "$1-$i" >>"ack-$1"; done')


def fail(message):
    print(f"journal-appenders: FAIL: {message}", flush=True)
    sys.exit(1)


def main():
    given = [int(argument) for argument in sys.argv[1:4]]
    rounds, appenders, entries = given + [50, 6, 60][len(given):]
    if not os.path.exists(JOURNAL):
        fail(f"{JOURNAL} is not built: run scripts/test.sh first")
    folder = tempfile.mkdtemp(prefix="examkit-soak-journal-")
    print(f"journal-appenders: {rounds} rounds of {appenders} appenders in {folder} "
          "(left there when a check fails)", flush=True)
    site = os.path.join(folder, "site.toml")
    with open(site, "w", encoding="utf-8") as out:
        out.write('ppe_code = "0042"\nregion = "77"\nname = "Soak"\ntimezone = "Etc/UTC"\n')
    env = dict(os.environ, EXAM_SITE=site, EXAM_ACTOR="Soak")
    if subprocess.run([JOURNAL, "init"], cwd=folder, env=env, capture_output=True).returncode:
        fail("exam-journal init failed")
    acknowledged_total = 0
    killed_mid_append = 0
    started = time.monotonic()
    for number in range(1, rounds + 1):
        loops = {}
        for appender in range(appenders):
            name = f"r{number}p{appender}"
            loops[name] = subprocess.Popen(["sh", "-c", LOOP, JOURNAL, name, str(entries)],
                                           cwd=folder, env=env, start_new_session=True,
                                           stderr=subprocess.PIPE, text=True)
        victim = random.choice(list(loops))
        time.sleep(random.uniform(0.2, 2.0))  # the random moment of the kill: what this varies
        if loops[victim].poll() is None:
            os.killpg(loops[victim].pid, signal.SIGKILL)
            killed_mid_append += 1
        for name, loop in loops.items():
            loop.wait(timeout=300)
            if name != victim and loop.returncode != 0:
                fail(f"round {number}: appender {name} failed: {loop.stderr.read()}")
        database = sqlite3.connect(f"file:{os.path.join(folder, 'data/journal.sqlite')}?mode=ro",
                                   uri=True)
        notes = [row[0] for row in database.execute("SELECT note FROM entry WHERE note LIKE ?",
                                                     (f"r{number}p%",))]
        database.close()
        if len(notes) != len(set(notes)):
            fail(f"round {number}: an event is in the journal twice")
        acknowledged = []
        for name in loops:
            path = os.path.join(folder, f"ack-{name}")
            if os.path.exists(path):
                with open(path, encoding="utf-8") as acks:
                    acknowledged += acks.read().split()
        missing = set(acknowledged) - set(notes)
        if missing:
            fail(f"round {number}: acknowledged but not in the journal: {sorted(missing)[:5]}")
        expected = (appenders - 1) * entries
        if len([a for a in acknowledged if not a.startswith(victim + "-")]) != expected:
            fail(f"round {number}: the appenders not killed acknowledged fewer than {expected}")
        verified = subprocess.run([JOURNAL, "verify"], cwd=folder, env=env, capture_output=True,
                                  text=True)
        if verified.returncode != 0:
            fail(f"round {number}: the journal does not verify: {verified.stdout}")
        acknowledged_total += len(acknowledged)
        print(f"round {number}: {len(acknowledged)} acknowledged, {len(notes)} in the journal "
              f"({victim} killed), verifies", flush=True)
    seconds = time.monotonic() - started
    print(f"journal-appenders: {rounds} rounds, {appenders} processes appending at once, one "
          f"killed each round ({killed_mid_append} while still appending); "
          f"{acknowledged_total} acknowledged appends, none lost, none doubled; the journal "
          f"verifies after every round; {acknowledged_total / seconds:.0f} appends/s", flush=True)
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
