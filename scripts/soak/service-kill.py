#!/usr/bin/env python3
"""Soak: the recording service killed (SIGKILL, as a power cut) at random moments, many times.

Runs the real `exam-camera service` (the ci build) on two cameras of GStreamer's RTSP fixture —
one H.264 with B-frames, one with AAC sound — and, each cycle, waits until both record, lets
them record for a random 0.3 to 4 seconds, kills the service with SIGKILL and starts it again,
which resumes the cameras from its wanted state. After the last cycle it stops the cameras and
judges what is left:

  - no `.partial` file remains: every segment open at a kill was recovered and indexed;
  - every indexed file is there, has the SHA-256 the index holds, and decodes with
    `ffmpeg -v error` without a word; every segment file on disk is in the index;
  - the index passes SQLite's integrity check, and every camera has one gap per kill, none
    longer than the restart that caused it plus one segment (what the unsynced tail of the
    open segment may cost);
  - the journal verifies (`exam-journal verify`).

Prints a line per cycle and the figures for docs/PERFORMANCE.md ("Reliability"); exits 1 when
anything above fails. Run by hand (minutes: about 8 s a cycle), as root, from the project's
root after `scripts/test.sh` has built the ci preset:

  scripts/soak/service-kill.py [CYCLES]        (default 100)
"""
import json
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
BIN = os.path.join(ROOT, "build/ci/tools")
CAMERA = os.path.join(BIN, "exam-camera")
JOURNAL = os.path.join(BIN, "exam-journal")
NOBODY = 65534
CAMERAS = [("0101", "front", "bframes"), ("0101", "back", "aac")]
SEGMENT_MS = 2000


def fail(message):
    print(f"service-kill: FAIL: {message}", flush=True)
    sys.exit(1)


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    fail(f"{what} within {seconds} s")


class Soak:
    def __init__(self, folder):
        self.folder = folder
        self.site = os.path.join(folder, "site.toml")
        self.env = dict(os.environ, EXAM_SITE=self.site, EXAM_ACTOR="Soak")
        self.service = None
        self.fixture = None

    def tool(self, program, *args):
        return subprocess.run([program, *args], cwd=self.folder, env=self.env,
                              capture_output=True, text=True, timeout=120)

    def start_fixture(self):
        command = ["/usr/bin/python3", os.path.join(ROOT, "tests/fixtures/rtsp_camera.py")]
        for _, camera, mount in CAMERAS:
            command += ["--mount", f"{camera}={mount}"]
        self.fixture = subprocess.Popen(command, stdout=subprocess.PIPE, text=True,
                                        stderr=subprocess.DEVNULL)
        line = self.fixture.stdout.readline()
        if not line.startswith("READY"):
            fail("the camera fixture did not start")
        return int(line.split()[1])

    def write_site(self, port):
        rooms = '[[room]]\nid = "0101"\nlabel = "Аудитория 0101"\n'
        for _, camera, _ in CAMERAS:
            rooms += f'[[room.camera]]\nid = "{camera}"\nuri = "rtsp://127.0.0.1:{port}/{camera}"\n'
        with open(self.site, "w", encoding="utf-8") as out:
            out.write('ppe_code = "0042"\nregion = "77"\nname = "Soak"\ntimezone = "Etc/UTC"\n'
                      '[[exam]]\nid = "2027-01-15-math"\ndate = 2027-01-15\n'
                      'subject = "Mathematics"\nstart = "10:00"\nduration = "1h"\n'
                      f'[recording]\nsegment = "{SEGMENT_MS // 1000}s"\nreserve = "1MB"\n'
                      '[service]\ncontrol_group = "nogroup"\n' + rooms)
        result = self.tool(JOURNAL, "init")
        if result.returncode != 0:
            fail(f"exam-journal init: {result.stderr}")
        os.makedirs(os.path.join(self.folder, "recordings"))
        # The service, started by root, becomes the recordings' owner: nobody here.
        for path, folders, files in os.walk(self.folder):
            for name in [path] + [os.path.join(path, f) for f in folders + files]:
                os.lchown(name, NOBODY, NOBODY)
        os.chmod(self.folder, 0o755)

    def states(self):
        result = self.tool(CAMERA, "status", "--json")
        if result.returncode != 0:
            return {}
        return {c["camera"]: c["state"] for c in json.loads(result.stdout)["cameras"]}

    def start_service(self):
        log = open(os.path.join(self.folder, "service.log"), "a")
        self.service = subprocess.Popen([CAMERA, "--site", self.site, "service"], cwd=self.folder,
                                        env=self.env, stdout=log, stderr=log)
        wait_for(lambda: self.states() != {}, 20, "the service did not answer")

    def all_recording(self):
        states = self.states()
        return len(states) == len(CAMERAS) and all(s == "recording" for s in states.values())

    def kill_service(self):
        self.service.send_signal(signal.SIGKILL)
        self.service.wait(timeout=20)

    def stop(self):
        if self.service and self.service.poll() is None:
            self.service.terminate()
            self.service.wait(timeout=60)
        if self.fixture:
            self.fixture.terminate()
            self.fixture.wait(timeout=10)


def judge(soak, cycles, restarts_ms, recorded_s):
    recordings = os.path.join(soak.folder, "recordings")
    partial = [os.path.join(d, f) for d, _, fs in os.walk(recordings) for f in fs
               if f.endswith(".partial")]
    if partial:
        fail(f"{len(partial)} .partial file(s) left, e.g. {partial[0]}")
    index = sqlite3.connect(f"file:{os.path.join(recordings, 'index.sqlite')}?mode=ro", uri=True)
    if index.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        fail("the index fails SQLite's integrity check")
    segments = index.execute("SELECT file, sha256, recovered FROM segments").fetchall()
    indexed = {file for file, _, _ in segments}
    on_disk = [os.path.relpath(os.path.join(d, f), recordings) for d, _, fs in os.walk(recordings)
               for f in fs if f.endswith(".mp4")]
    orphans = [file for file in on_disk if file not in indexed]
    if orphans:
        fail(f"{len(orphans)} segment file(s) on disk but not in the index, e.g. {orphans[0]}")
    for file, sha256, _ in segments:
        path = os.path.join(recordings, file)
        if not os.path.exists(path):
            fail(f"{file} is indexed but missing")
        digest = subprocess.run(["sha256sum", path], capture_output=True, text=True).stdout.split()[0]
        if digest != sha256:
            fail(f"{file}: SHA-256 {digest}, the index says {sha256}")
        decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "null", "-"],
                                 capture_output=True, text=True)
        if decoded.returncode != 0 or decoded.stderr.strip():
            fail(f"{file} does not decode cleanly: {decoded.stderr.strip()[:300]}")
    worst_ms = 0
    for _, camera, _ in CAMERAS:
        gaps = index.execute("SELECT started_ms, ended_ms FROM gaps WHERE camera = ? "
                             "ORDER BY started_ms", (camera,)).fetchall()
        if len(gaps) != cycles:
            fail(f"camera {camera}: {len(gaps)} gaps after {cycles} kills")
        for (started, ended), restart in zip(gaps, restarts_ms):
            excess = (ended - started) - restart
            worst_ms = max(worst_ms, excess)
            if excess > SEGMENT_MS:
                fail(f"camera {camera}: a gap of {ended - started} ms after a restart of "
                     f"{restart} ms")
    recovered = sum(1 for _, _, r in segments if r)
    verified = soak.tool(JOURNAL, "verify")
    if verified.returncode != 0:
        fail(f"the journal does not verify: {verified.stdout}{verified.stderr}")
    print(f"service-kill: {cycles} kills survived; {len(segments)} segments "
          f"({recovered} recovered after a kill), every one decodes and matches its SHA-256; "
          f"{recorded_s:.0f} s recorded per camera; restarts {min(restarts_ms)}-"
          f"{max(restarts_ms)} ms (median {sorted(restarts_ms)[len(restarts_ms) // 2]}); each "
          f"gap at most {worst_ms} ms longer than its restart; journal verifies", flush=True)


def main():
    cycles = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    if os.geteuid() != 0:
        fail("run as root: the service becomes the recordings' owner (nobody here)")
    if not os.path.exists(CAMERA):
        fail(f"{CAMERA} is not built: run scripts/test.sh first")
    folder = tempfile.mkdtemp(prefix="examkit-soak-")
    print(f"service-kill: {cycles} cycles in {folder} (left there when a check fails)", flush=True)
    soak = Soak(folder)
    try:
        soak.write_site(soak.start_fixture())
        soak.start_service()
        result = soak.tool(CAMERA, "start", "--all")
        if result.returncode != 0:
            fail(f"exam-camera start --all: {result.stderr}")
        restarts_ms = []
        recorded_s = 0.0
        for cycle in range(1, cycles + 1):
            wait_for(soak.all_recording, 60, f"cycle {cycle}: the cameras did not record")
            moment = random.uniform(0.3, 4.0)
            time.sleep(moment)  # the random moment of the kill: what this soak varies
            recorded_s += moment
            soak.kill_service()
            killed = time.monotonic()
            soak.start_service()
            wait_for(soak.all_recording, 60, f"cycle {cycle}: the cameras did not resume")
            restarts_ms.append(round((time.monotonic() - killed) * 1000))
            print(f"cycle {cycle}: killed after {moment:.1f} s, recording again after "
                  f"{restarts_ms[-1]} ms", flush=True)
        result = soak.tool(CAMERA, "stop", "--all")
        if result.returncode != 0:
            fail(f"exam-camera stop --all: {result.stderr}")
        soak.stop()
        judge(soak, cycles, restarts_ms, recorded_s)
    finally:
        soak.stop()
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
