#!/usr/bin/env python3
"""Soak: hostile cameras beside healthy ones; the healthy ones must lose no frame.

Runs the real `exam-camera record --all` for SECONDS on a site of two rooms. Room 0101 holds
three healthy cameras of GStreamer's RTSP fixture (tests/fixtures/rtsp_camera.py): H.264,
H.264 with B-frames, H.264 with AAC sound. Room 0102 holds the hostile ones: a camera whose
codec changes at every session (H.264, then H.265, ...; its picture ends after a few seconds
each time, so it is reconnected again and again), a port where nothing listens, and one camera
per mode of tests/fixtures/hostile_camera.py — one that never answers, one that hangs up, one
that answers garbage, one that streams garbage after a good set-up, two that flood with
pictures that never end, and those whose replies are endless, absurdly long or video. The
recorder's memory is read from /proc all along. When the time is up it is stopped (SIGTERM)
and the result judged:

  - the recorder ended by itself, with 0 or 69 (a camera never gave a picture), not a crash;
  - every healthy camera lost no frame: no gap and no damage in the index; its segments, in
    order, are continuous (each starts one frame, 40 ms, after the last ended, by the camera's
    own timestamps) and each holds exactly the frames its time span does (the last may lack the
    B-frames the camera had not sent yet when the recorder stopped); ffprobe counts the
    same frames in each file, `ffmpeg -v error` decodes it without a word, and its SHA-256 is
    the index's; together they cover the run but for its first seconds (the connection);
  - every hostile camera that never gave a picture has gaps saying why; the codec-changing
    camera was recorded in both codecs, each of its segments decoding cleanly;
  - the recorder's anonymous memory stayed under --memory-bound-mb;
  - the journal verifies (`exam-journal verify`).

Prints the figures for docs/PERFORMANCE.md ("Reliability"); exits 1 when anything above fails
(the run's folder, /tmp/hostile-cameras.*, is then kept with its logs and recordings for a
look; it is removed after a run that passed), 2 on bad usage. Run by hand for the long run (from the project's root, after `scripts/test.sh`
has built the ci preset); CTest runs it for 25 s as a test with the build's own tools:

  scripts/soak/hostile-cameras.py [SECONDS] [--tools DIR] [--memory-bound-mb MB] [--seed N]
                                  (defaults: 300 s, build/ci/tools, 120 MB, 1)
"""
import argparse
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FRAME_MS = 40  # the fixture's 25 pictures a second
REORDER_DEPTH = 2  # the B-frame camera's B-frames between references
HEALTHY = [("front", "bframes"), ("back", "aac"), ("door", "live")]
SWITCHING = "codec-switch"
REFUSED = "refused"
HOSTILE_MODES = ["silent", "hangs-up", "garbage", "garbage-stream", "endless-fragment",
                 "never-marked", "frames-before-describe", "endless-head", "huge-body",
                 "huge-timeout"]
# Cameras that give a picture at some point, and so need not have a gap to show for it.
PICTURE_AT_TIMES = {SWITCHING, "huge-timeout"}


def fail(message):
    print(f"hostile-cameras: FAIL: {message}", flush=True)
    sys.exit(1)


def wait_for_ready(process, what):
    line = process.stdout.readline()
    if not line.startswith("READY "):
        fail(f"the {what} did not start: {line!r}")
    return int(line.split()[1])


def allocated_memory_kb(pid):
    """RssAnon: the memory the process has allocated and touched (its code's pages aside)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Soak:
    def __init__(self, folder, arguments):
        self.folder = folder
        self.arguments = arguments
        self.tools = os.path.abspath(arguments.tools)
        self.site = os.path.join(folder, "site.toml")
        self.env = dict(os.environ, EXAM_SITE=self.site, EXAM_ACTOR="Soak")
        # Under ASan freed memory waits in a 256 MB quarantine and would count as the
        # recorder's own; a small one keeps the bound about the recorder (no effect otherwise).
        self.env["ASAN_OPTIONS"] = os.environ.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=16"
        self.processes = []

    def start(self, command, log_name):
        log = open(os.path.join(self.folder, log_name), "w")
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True,
                                   cwd=self.folder)
        self.processes.append(process)
        return process

    def tool(self, name, *args):
        return subprocess.run([os.path.join(self.tools, name), *args], cwd=self.folder,
                              env=self.env, capture_output=True, text=True, timeout=300)

    def write_site(self, healthy_port, hostile_port):
        site = ('ppe_code = "0042"\nregion = "77"\nname = "Soak"\ntimezone = "Etc/UTC"\n'
                '[recording]\nsegment = "2s"\nwatchdog = "3s"\nreserve = "1MB"\n'
                '[[room]]\nid = "0101"\n')
        for camera, mount in HEALTHY:
            site += (f'[[room.camera]]\nid = "{camera}"\n'
                     f'uri = "rtsp://127.0.0.1:{healthy_port}/{camera}"\n')
        site += '[[room]]\nid = "0102"\n'
        site += (f'[[room.camera]]\nid = "{SWITCHING}"\n'
                 f'uri = "rtsp://127.0.0.1:{healthy_port}/{SWITCHING}"\n')
        # Port 1 on loopback: nothing listens there, the connection is refused.
        site += f'[[room.camera]]\nid = "{REFUSED}"\nuri = "rtsp://127.0.0.1:1/x"\n'
        for mode in HOSTILE_MODES:
            site += (f'[[room.camera]]\nid = "{mode}"\n'
                     f'uri = "rtsp://127.0.0.1:{hostile_port}/{mode}"\n')
        with open(self.site, "w", encoding="utf-8") as out:
            out.write(site)
        result = self.tool("exam-journal", "init")
        if result.returncode != 0:
            fail(f"exam-journal init: {result.stderr}")

    def stop_all(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def index_rows(folder, query):
    database = sqlite3.connect(f"file:{folder}/recordings/index.sqlite?mode=ro", uri=True)
    try:
        return database.execute(query).fetchall()
    finally:
        database.close()


def run(command, timeout=120):
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def judge_file(folder, name, sha256):
    path = os.path.join(folder, "recordings", name)
    with open(path, "rb") as content:
        if hashlib.sha256(content.read()).hexdigest() != sha256:
            fail(f"{name}: its SHA-256 is not the index's")
    decoded = run(["ffmpeg", "-v", "error", "-i", path, "-f", "null", "-"])
    if decoded.returncode != 0 or decoded.stderr.strip():
        fail(f"{name} does not decode cleanly: {decoded.stderr.strip()[:500]}")
    probe = run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
                 "-show_entries", "stream=codec_name,nb_read_packets", "-of", "csv=p=0", path])
    codec, packets = probe.stdout.strip().split(",")
    return codec, int(packets)


def judge_healthy(folder, camera, seconds):
    """The number of frames and segments of a healthy camera, after checking it lost none."""
    gaps = index_rows(folder, f"SELECT reason FROM gaps WHERE camera = '{camera}'")
    if gaps:
        fail(f"the healthy camera {camera} has gaps: {gaps}")
    damage = index_rows(folder, f"SELECT * FROM damage WHERE camera = '{camera}'")
    if damage:
        fail(f"the healthy camera {camera} has damage rows: {damage}")
    segments = index_rows(folder, "SELECT file, media_start_ms, media_end_ms, frames, sha256 "
                          f"FROM segments WHERE camera = '{camera}' ORDER BY media_start_ms")
    if not segments:
        fail(f"the healthy camera {camera} recorded nothing")
    frames = 0
    previous_end = None
    for number, (name, start, end, count, sha256) in enumerate(segments):
        spanned = round((end - start) / FRAME_MS) + 1
        # The stop cuts the stream where it is: the last segment may end with a reference
        # picture whose B-frames (shown before it, sent after it) the camera had not yet sent.
        unsent = REORDER_DEPTH if number == len(segments) - 1 else 0
        if not spanned - unsent <= count <= spanned:
            fail(f"{camera}: {name} holds {count} frames but spans {spanned} ({start}..{end} ms)")
        if previous_end is not None and abs(start - previous_end - FRAME_MS) > 1:
            fail(f"{camera}: {name} starts at {start} ms, the segment before ended at "
                 f"{previous_end} ms: {round((start - previous_end) / FRAME_MS) - 1} frames lost")
        _, packets = judge_file(folder, name, sha256)
        if packets != count:
            fail(f"{camera}: ffprobe counts {packets} frames in {name}, the index {count}")
        previous_end = end
        frames += count
    covered = frames * FRAME_MS / 1000
    # The first seconds go to connecting and to waiting for a keyframe (the B-frame camera
    # sends one every two seconds); the open segment at the stop is closed, not lost.
    if covered < seconds - 8:
        fail(f"{camera}: {covered:.1f} s recorded of a {seconds} s run")
    return frames, len(segments)


def judge_hostile(folder):
    reasons = {}
    for camera, reason in index_rows(folder, "SELECT camera, reason FROM gaps WHERE room = '0102'"):
        reasons.setdefault(camera, []).append(reason)
    for camera in HOSTILE_MODES + [REFUSED]:
        if camera not in PICTURE_AT_TIMES and not reasons.get(camera):
            fail(f"the hostile camera {camera} has no gap")
    codecs = {}
    for name, sha256 in index_rows(folder, "SELECT file, sha256 FROM segments "
                                   f"WHERE camera = '{SWITCHING}'"):
        codec, _ = judge_file(folder, name, sha256)
        codecs[codec] = codecs.get(codec, 0) + 1
    if set(codecs) != {"h264", "hevc"}:
        fail(f"the codec-changing camera was recorded as {codecs or 'nothing'}, not H.264 and H.265")
    return reasons, codecs


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("seconds", nargs="?", type=int, default=300)
    parser.add_argument("--tools", default=os.path.join(ROOT, "build/ci/tools"),
                        help="the folder of exam-camera and exam-journal")
    parser.add_argument("--memory-bound-mb", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1, help="of the garbage cameras")
    arguments = parser.parse_args()
    if arguments.seconds < 15:
        parser.error("SECONDS: at least 15, to see the codec change and the segments")
    for tool in ("exam-camera", "exam-journal"):
        if not os.access(os.path.join(arguments.tools, tool), os.X_OK):
            parser.error(f"no {tool} in {arguments.tools}: build first (scripts/test.sh) or "
                         "give --tools DIR")

    folder = tempfile.mkdtemp(prefix="hostile-cameras.")
    soak = Soak(folder, arguments)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        mounts = [arg for camera, mount in HEALTHY for arg in ("--mount", f"{camera}={mount}")]
        healthy = soak.start(["/usr/bin/python3", os.path.join(ROOT, "tests/fixtures/rtsp_camera.py"),
                              "--width", "320", "--height", "180", *mounts,
                              "--mount", f"{SWITCHING}=switch:4"], "healthy.log")
        hostile = soak.start(["/usr/bin/python3", os.path.join(ROOT, "tests/fixtures/hostile_camera.py"),
                              "--rate", "20", "--seed", str(arguments.seed)], "hostile.log")
        soak.write_site(wait_for_ready(healthy, "camera fixture"),
                        wait_for_ready(hostile, "hostile camera fixture"))

        log = open(os.path.join(folder, "record.log"), "w")
        recorder = subprocess.Popen([os.path.join(soak.tools, "exam-camera"), "--site", soak.site,
                                     "record", "--all"], cwd=folder, env=soak.env,
                                    stdout=log, stderr=log)
        soak.processes.append(recorder)
        peak_kb = 0
        deadline = time.monotonic() + arguments.seconds
        while time.monotonic() < deadline and recorder.poll() is None:
            peak_kb = max(peak_kb, allocated_memory_kb(recorder.pid))
            time.sleep(0.1)
        if recorder.poll() is not None:
            fail(f"the recorder ended by itself after less than {arguments.seconds} s, "
                 f"with {recorder.returncode}: see {folder}/record.log")
        recorder.terminate()
        try:
            status = recorder.wait(timeout=60)
        except subprocess.TimeoutExpired:
            fail("the recorder did not stop within 60 s of SIGTERM")
        if status not in (0, 69):
            fail(f"the recorder exited with {status}: see {folder}/record.log")

        healthy_figures = {camera: judge_healthy(folder, camera, arguments.seconds)
                           for camera, _ in HEALTHY}
        reasons, codecs = judge_hostile(folder)
        if peak_kb > arguments.memory_bound_mb * 1024:
            fail(f"the recorder grew to {peak_kb // 1024} MB, past {arguments.memory_bound_mb} MB")
        verified = soak.tool("exam-journal", "verify")
        if verified.returncode != 0:
            fail(f"exam-journal verify: {verified.stdout}{verified.stderr}")
    finally:
        soak.stop_all()

    with open(os.path.join(folder, "hostile.log"), encoding="utf-8") as hostile_log:
        flooded = {line.split()[1]: int(line.split()[2]) // (1024 * 1024)
                   for line in hostile_log if line.startswith("TOTAL ")}
    print(f"hostile-cameras: {arguments.seconds} s beside {len(HOSTILE_MODES) + 2} hostile cameras; "
          "every healthy camera lost no frame:")
    for camera, mount in HEALTHY:
        frames, segments = healthy_figures[camera]
        print(f"  {camera} ({mount}): {frames} frames in {segments} segments, continuous, "
              "each decodes and matches its SHA-256")
    print(f"  {SWITCHING}: segments by codec {codecs}, each decodes")
    for camera in [REFUSED] + HOSTILE_MODES:
        said = sorted(set(reasons.get(camera, [])))
        print(f"  {camera}: {len(reasons.get(camera, []))} gaps; "
              f"{said[0][:90] if said else '-'}")
    print(f"  MiB the hostile cameras sent: {flooded or 'none'}")
    print(f"  recorder's peak memory {peak_kb // 1024} MB (bound {arguments.memory_bound_mb}); "
          "the journal verifies")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
