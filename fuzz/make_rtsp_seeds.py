#!/usr/bin/python3
"""Seeds for the camera fuzz targets, recorded from the real camera fixture.

Starts tests/fixtures/rtsp_camera.py (GStreamer's RTSP server; run with Debian's /usr/bin/python3)
with cameras of each shape the field has (H.264, H.265, B-frames, AAC, G.711), and speaks to
each as the recorder does: OPTIONS, DESCRIBE, SETUP of the video and the sound over the RTSP
connection, PLAY, then a second of the stream. What the camera said is written as seeds:

  rtsp_session/NAME  the replies and the stream, parts separated by a line "%%"
  rtsp_reply/NAME-N  each reply alone
  sdp/NAME           the session description
  rtp_video/NAME     the video's RTP packets (one byte: codec and payload type; then each
                     packet after its two-byte length), rtp_audio/NAME the sound's likewise

Usage: fuzz/make_rtsp_seeds.py [CORPUS_FOLDER]   (default fuzz/corpus)
"""
import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MARKER = b"\n%%\n"
STREAM_BYTES = 48 * 1024
CAMERAS = ["live", "live265", "bframes", "bframes265", "aac", "pcmu", "pcma"]


def read_reply(sock, buffer):
    """One RTSP reply (head and body) off the socket, and what came after it."""
    while b"\r\n\r\n" not in buffer:
        buffer += sock.recv(65536)
    head, rest = buffer.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"(?im)^content-length:\s*(\d+)", head).group(1)) \
        if re.search(rb"(?im)^content-length:", head) else 0
    while len(rest) < length:
        rest += sock.recv(65536)
    return head + b"\r\n\r\n" + rest[:length], rest[length:]


def header(reply, name):
    found = re.search(rb"(?im)^" + name.encode() + rb":\s*([^\r\n]*)", reply)
    return found.group(1).decode() if found else ""


def record(port, name):
    url = f"rtsp://127.0.0.1:{port}/{name}"
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    replies = []
    buffer = b""
    sequence = 0

    def ask(method, target, extra=""):
        nonlocal buffer, sequence
        sequence += 1
        request = f"{method} {target} RTSP/1.0\r\nCSeq: {sequence}\r\n{extra}\r\n"
        sock.sendall(request.encode())
        reply, buffer = read_reply(sock, buffer)
        replies.append(reply)
        return reply

    ask("OPTIONS", url)
    described = ask("DESCRIBE", url, "Accept: application/sdp\r\n")
    sdp = described.split(b"\r\n\r\n", 1)[1]
    controls = re.findall(rb"(?m)^m=(video|audio).*?(?:\r?\n(?!m=).*)*?a=control:([^\r\n]*)",
                          sdp)
    base = header(described, "Content-Base") or url + "/"
    session = ""
    channel = 0
    for _, control in controls:
        control = control.decode()
        target = control if control.startswith("rtsp://") else base.rstrip("/") + "/" + control
        extra = f"Transport: RTP/AVP/TCP;unicast;interleaved={channel}-{channel + 1}\r\n"
        if session:
            extra += f"Session: {session}\r\n"
        reply = ask("SETUP", target, extra)
        session = session or header(reply, "Session").split(";")[0]
        channel += 2
    ask("PLAY", url, f"Session: {session}\r\nRange: npt=0.000-\r\n")
    stream = buffer
    while len(stream) < STREAM_BYTES:
        stream += sock.recv(65536)
    sock.close()
    return replies, sdp, stream[:STREAM_BYTES], len(controls) > 1


def packets_of(stream, wanted_channel):
    packets = []
    at = 0
    while at + 4 <= len(stream) and stream[at] == 0x24:
        channel, length = stream[at + 1], int.from_bytes(stream[at + 2:at + 4], "big")
        if channel == wanted_channel and at + 4 + length <= len(stream):
            packets.append(stream[at + 4:at + 4 + length])
        at += 4 + length
    return packets


def length_prefixed(first, packets):
    return first + b"".join(len(p).to_bytes(2, "big") + p for p in packets)


def write(folder, name, data):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as out:
        out.write(data)


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "corpus")
    command = ["/usr/bin/python3", os.path.join(ROOT, "tests/fixtures/rtsp_camera.py"),
               "--width", "320", "--height", "180"]
    for name in CAMERAS:
        command += ["--mount", f"{name}={name}"]
    camera = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        port = None
        while port is None and time.monotonic() < deadline:
            line = camera.stdout.readline()
            if line.startswith("READY"):
                port = int(line.split()[1])
        if port is None:
            sys.exit("make_rtsp_seeds: the camera fixture did not start")
        for name in CAMERAS:
            replies, sdp, stream, with_sound = record(port, name)
            write(f"{corpus}/rtsp_session", name, MARKER.join(replies + [stream]))
            for number, reply in enumerate(replies):
                write(f"{corpus}/rtsp_reply", f"{name}-{number}", reply)
            write(f"{corpus}/sdp", name, sdp)
            codec = 1 if "265" in name else 0
            video = packets_of(stream, 0)
            payload_type = video[0][1] & 0x7F if video else 96
            write(f"{corpus}/rtp_video", name,
                  length_prefixed(bytes([codec | ((payload_type - 96) & 3) << 1]), video))
            if with_sound:
                sound = packets_of(stream, 2)
                kind = {"aac": 0, "pcmu": 1, "pcma": 2}[name]
                write(f"{corpus}/rtp_audio", name, length_prefixed(bytes([kind, 0]), sound))
            print(f"make_rtsp_seeds: {name}: {len(replies)} replies, {len(stream)} bytes of stream")
    finally:
        camera.terminate()
        camera.wait(timeout=10)


if __name__ == "__main__":
    main()
