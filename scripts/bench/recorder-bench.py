#!/usr/bin/env python3
"""Benchmark: the recorder holding N camera streams, against `ffmpeg -c copy` recording the same
streams, N processes, in the same run. Not a test: it prints figures for docs/PERFORMANCE.md
and never fails on speed (it fails only when something does not run at all).

  scripts/bench/recorder-bench.py [--streams 60] [--seconds 60] [--build build/ci]
                                  [--size 1920x1080] [--bitrate 4M] [--work DIR]
                                  [--audio pcmu|pcma] [--bframes N]

The load: one pre-encoded H.264 file (made here by ffmpeg: a moving test picture at the given
size and bitrate, no B-frames unless --bframes N, a keyframe every 2 s, 25 frames/s) served by GStreamer's RTSP
server (tests/fixtures/rtsp_camera.py, `file:` mount: the file's frames pushed at their rate
as a live, looped camera) as one shared media that every client reads, so no video encoder runs
while the recorders are measured (with --audio, one live G.711 encoder at 8 kHz sends the
camera's sound beside it; the recorder converts it to AAC, and so does ffmpeg's reference with
`-c:a aac`). Each phase connects N clients to it:

  1. `exam-camera record --all` with a site of N cameras (one process, a thread per camera);
  2. N `ffmpeg -rtsp_transport tcp -i URI -map 0:v -c copy` processes writing fragmented MP4
     with one-second fragments (like the recorder's), without syncing them (the recorder
     fdatasyncs every fragment, and the kernel's writeback it starts counts as its time).

Once every stream of a phase has started, CPU time (user and system, every thread, from /proc)
is taken over --seconds and resident memory (VmRSS) is sampled every second. Frames: every
frame written (read back from the files with ffprobe) falls in a 40 ms slot of the camera's
media time; over each stream's span from its first to its last frame written, the server sent
one frame per slot, so an empty slot is a lost frame. A slot with two frames is GStreamer
sending a joining client's first keyframe again, written as it came.
"""
import argparse
import os
import pathlib
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
FPS = 25
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def fail(message):
    sys.exit(f"recorder-bench: {message}")


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)


def make_load(work, size, bitrate, seconds, bframes):
    """One file as long as a phase needs, encoded once like an IP camera's stream: no
    B-frames unless asked for (a camera's "smart" or high-compression mode)."""
    media = work / "camera.mp4"
    length = seconds + 60  # start-up and stop margins
    run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"testsrc2=size={size}:rate={FPS}", "-t", str(length), "-c:v", "libx264", "-preset",
         "ultrafast", "-bf", str(bframes), "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", bitrate,
         "-g", str(2 * FPS), "-pix_fmt", "yuv420p", str(media)])
    return media


def start_camera(work, media, audio):
    log = open(work / "rtsp.log", "w")
    camera = subprocess.Popen(["/usr/bin/python3", str(ROOT / "tests/fixtures/rtsp_camera.py"),
                               "--mount", f"cam=file:{media}"] +
                              (["--file-audio", audio] if audio else []),
                              stdout=subprocess.PIPE, stderr=log, text=True)
    line = camera.stdout.readline()
    if not line.startswith("READY "):
        camera.kill()
        fail(f"the RTSP camera did not start; see {work / 'rtsp.log'}")
    return camera, f"rtsp://127.0.0.1:{line.split()[1]}/cam"


def cpu_seconds(pid):
    """(user, system) CPU seconds of a process, every thread."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0, 0.0
    return int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS  # utime, stime


def rss_bytes(pid):
    try:
        for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    return 0


def wait_until(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    fail(f"timed out waiting for {what}")


def measure(pids, seconds):
    """CPU used by the processes over `seconds` (cores: user, system), and their summed RSS
    (mean, peak)."""
    before = [cpu_seconds(pid) for pid in pids]
    started = time.monotonic()
    samples = []
    while time.monotonic() - started < seconds:
        samples.append(sum(rss_bytes(pid) for pid in pids))
        time.sleep(1.0)
    elapsed = time.monotonic() - started
    after = [cpu_seconds(pid) for pid in pids]
    user = sum(a[0] - b[0] for a, b in zip(after, before)) / elapsed
    system = sum(a[1] - b[1] for a, b in zip(after, before)) / elapsed
    return (user, system), sum(samples) / len(samples), max(samples)


def frame_slots(path, offset_seconds):
    """The 40 ms slot of media time each frame of a file falls in."""
    times = run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                 "packet=dts_time", "-of", "csv=p=0", str(path)]).stdout.split()
    return [round((offset_seconds + float(t)) * FPS) for t in times if t != "N/A"]


def has_sound(path):
    return run(["ffprobe", "-v", "error", "-select_streams", "a", "-show_entries",
                "stream=index", "-of", "csv=p=0", str(path)]).stdout.strip() != ""


def count_frames(streams):
    """Frames written, frames the server sent over each stream's span, and the difference: slots
    without a frame are lost frames; a slot with two is the server sending one again (GStreamer
    repeats the keyframe a client joins on)."""
    written = served = missing = 0
    count = 0
    for slots in streams:
        if not slots:
            continue
        count += 1
        written += len(slots)
        span = max(slots) - min(slots) + 1
        served += span
        missing += span - len(set(slots))
    return {"written": written, "served": served, "missing": missing, "cameras": count}


def record_with_examkit(work, build, uri, streams, seconds):
    folder = work / "examkit"
    folder.mkdir()
    site = ["ppe_code = \"0001\"", "region = \"77\"", "name = \"Benchmark\"",
            "timezone = \"UTC\"",
            # A room station that keeps no journal: what is measured is the recorder.
            "[journal]", "keep = false", "[recording]", "segment = \"60s\"", "reserve = \"1GB\"", ""]
    for i in range(streams):
        if i % 2 == 0:
            site += ["[[room]]", f"id = \"r{i // 2:02}\""]
        site += ["[[room.camera]]", f"id = \"c{i:02}\"", f"uri = \"{uri}\"", ""]
    (folder / "site.toml").write_text("\n".join(site))
    log_path = folder / "record.log"
    with open(log_path, "w") as log:
        recorder = subprocess.Popen([str(build / "tools/exam-camera"), "--site",
                                     str(folder / "site.toml"), "record", "--all"],
                                    stdout=log, stderr=log)
    try:
        wait_until(lambda: log_path.read_text().count(": recording") >= streams, 60,
                   f"{streams} cameras to start recording (see {log_path})")
        (user, system), rss_mean, rss_peak = measure([recorder.pid], seconds)
    finally:
        recorder.send_signal(signal.SIGINT)
        status = recorder.wait(timeout=120)
    if status != 0:
        fail(f"exam-camera record ended with {status}; see {log_path}")
    index = sqlite3.connect(f"file:{folder / 'recordings/index.sqlite'}?mode=ro", uri=True)
    slots = {}
    for camera, file, media_start_ms in index.execute(
            "SELECT camera, file, media_start_ms FROM segments"):
        slots.setdefault(camera, []).extend(
            frame_slots(folder / "recordings" / file, media_start_ms / 1000))
    gaps = index.execute("SELECT count(*) FROM gaps").fetchone()[0]
    with_sound, files = index.execute(
        "SELECT count(audio), count(*) FROM segments").fetchone()
    first_segment = index.execute("SELECT min(started_ms) FROM segments").fetchone()[0] or 0
    for camera, started, ended, reason in index.execute(
            "SELECT camera, started_ms, ended_ms, reason FROM gaps ORDER BY started_ms"):
        # Every gap is shown: one before a camera's first segment is a slow start, one after
        # it a stream that broke while measured.
        print(f"  gap {camera}: {(ended - started) / 1000:.1f} s from "
              f"{(started - first_segment) / 1000:+.1f} s: {reason}", file=sys.stderr)
    return {"cpu": user + system, "user": user, "system": system, "rss_mean": rss_mean,
            "rss_peak": rss_peak, "gaps": gaps, "with_sound": with_sound, "files": files,
            **count_frames(slots.values())}


def record_with_ffmpeg(work, uri, streams, seconds, audio):
    folder = work / "ffmpeg"
    folder.mkdir()
    processes = []
    outputs = [folder / f"c{i:02}.mp4" for i in range(streams)]
    for output in outputs:
        processes.append(subprocess.Popen(
            ["ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "tcp", "-i", uri, "-map",
             "0:v"] + (["-map", "0:a", "-c:a", "aac"] if audio else []) +
            ["-c:v", "copy", "-f", "mp4", "-movflags", "+empty_moov+default_base_moof",
             "-frag_duration", "1000000", str(output)],
            stderr=open(folder / (output.stem + ".log"), "w")))
    try:
        wait_until(lambda: all(o.exists() and o.stat().st_size > 4096 for o in outputs), 60,
                   f"{streams} ffmpeg processes to start writing")
        (user, system), rss_mean, rss_peak = measure([p.pid for p in processes], seconds)
    finally:
        for process in processes:
            process.send_signal(signal.SIGINT)
        for process in processes:
            process.wait(timeout=120)
    return {"cpu": user + system, "user": user, "system": system, "rss_mean": rss_mean,
            "rss_peak": rss_peak, "gaps": 0,
            "with_sound": sum(1 for output in outputs if has_sound(output)), "files": streams,
            **count_frames(frame_slots(output, 0.0) for output in outputs)}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--streams", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--build", type=pathlib.Path, default=ROOT / "build/ci")
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--bitrate", default="4M")
    parser.add_argument("--audio", choices=["pcmu", "pcma"], default=None,
                        help="every camera sends G.711 sound too")
    parser.add_argument("--bframes", type=int, default=0,
                        help="B-frames between reference frames in the load (x264's -bf)")
    parser.add_argument("--work", type=pathlib.Path, default=None,
                        help="folder for the media and the recordings (default: a new one "
                             "under /var/tmp, removed at the end)")
    args = parser.parse_args()
    if not (args.build / "tools/exam-camera").exists():
        fail(f"no {args.build / 'tools/exam-camera'}; build first (scripts/test.sh)")
    for tool in ("ffmpeg", "ffprobe"):
        if shutil.which(tool) is None:
            fail(f"{tool} is not installed; run scripts/install-deps.sh")

    work = args.work or pathlib.Path(tempfile.mkdtemp(prefix="examkit-recorder-bench.",
                                                      dir="/var/tmp"))
    work.mkdir(parents=True, exist_ok=True)
    camera = None
    try:
        print(f"making the load: {args.size} H.264 at {args.bitrate}bit/s, {FPS} frames/s, "
              f"{args.bframes} B-frames, sound: {args.audio or 'none'}", flush=True)
        media = make_load(work, args.size, args.bitrate, args.seconds, args.bframes)
        camera, uri = start_camera(work, media, args.audio)
        print(f"{args.streams} streams from one shared media at {uri}, "
              f"{args.seconds:.0f} s measured per phase", flush=True)
        ours = record_with_examkit(work, args.build, uri, args.streams, args.seconds)
        theirs = record_with_ffmpeg(work, uri, args.streams, args.seconds, args.audio)
    except SystemExit:
        print(f"recorder-bench: the work folder is kept for a look: {work}", file=sys.stderr)
        raise
    else:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    finally:
        if camera is not None:
            camera.terminate()
            camera.wait(timeout=30)

    n = args.streams
    mib = 1024 * 1024
    for name, r in (("exam-camera record", ours), ("ffmpeg -c copy x N", theirs)):
        print(f"{name:20} CPU {100 * r['cpu'] / n:6.2f} % of a core per stream "
              f"({100 * r['cpu']:.0f} % in all: user {100 * r['user']:.0f}, system "
              f"{100 * r['system']:.0f})   RSS {r['rss_mean'] / n / mib:6.1f} MiB per "
              f"stream (mean of {r['rss_mean'] / mib:.0f} MiB in all, peak "
              f"{r['rss_peak'] / mib:.0f})   frames: {r['written']} written, {r['served']} served "
              f"over the streams' spans, {r['missing']} missing ({r['cameras']} streams "
              f"recorded, {r['gaps']} gaps)   files with sound: {r['with_sound']} of "
              f"{r['files']}")
    cpu_ratio = ours["cpu"] / theirs["cpu"] if theirs["cpu"] else float("nan")
    # Per stream both ways: the recorder's RSS / N against one ffmpeg process's (its sum / N).
    rss_ratio = ours["rss_mean"] / theirs["rss_mean"] if theirs["rss_mean"] else float("nan")
    print(f"recorder/ffmpeg      CPU per stream {cpu_ratio:.2f}x   RSS per stream "
          f"{rss_ratio:.3f}x of one ffmpeg process's")


if __name__ == "__main__":
    main()
