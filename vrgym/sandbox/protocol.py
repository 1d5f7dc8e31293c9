"""Length-prefixed JSON frames between an executor and its fork-server (stdlib only).

A frame is a 4-byte big-endian payload length followed by that many bytes of UTF-8 JSON. The
fork-server (`server.py`) loads this file by path when it runs standalone (on the host or inside
a container), so it must import nothing but the standard library and nothing from vrgym.

Messages (all JSON objects):
  server -> executor, once at start:  {"hello": {"pid", "python", "features": {...}}}
  executor -> server:                 {"op": "run", "job": {argv, files, stdin, limits}}
                                      {"op": "ping"}  -> {"pong": true}
  server -> executor, per run:        {"result": {status, exit_code, signal, stdout, stderr,
                                                  truncated, wall_seconds, detail}}
Reads on the executor's side take a deadline (a watchdog above every blocking read): a server
that hangs is detected, never waited on forever.

Also here, because this is the one stdlib-only module both sides load: `parent_pids()`, the
process tree as /proc shows it (the executor finds a worker's descendants with it, the server the
orphans of a job).
"""

from __future__ import annotations

import json
import os
import select
import struct
import time
from typing import Any

HEADER = struct.Struct(">I")
MAX_FRAME_BYTES = 256 * 1024 * 1024
PROTOCOL_VERSION = 1


class ProtocolError(Exception):
    """The other side sent something that is not a frame, or the channel broke."""


class FrameTimeout(ProtocolError):
    """No complete frame arrived before the deadline."""


def encode_frame(message: Any) -> bytes:
    """Serialise one message to a frame (header + compact JSON); raises ProtocolError if too big."""
    payload = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    if len(payload) > MAX_FRAME_BYTES:
        raise ProtocolError(f"frame of {len(payload)} bytes exceeds the {MAX_FRAME_BYTES}-byte limit")
    return HEADER.pack(len(payload)) + payload


def decode_payload(payload: bytes) -> Any:
    """Parse a frame's payload; raises ProtocolError on malformed JSON."""
    try:
        return json.loads(payload.decode("utf-8", "surrogatepass"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(f"malformed frame payload: {exc}") from None


def write_frame(fd: int, message: Any) -> None:
    """Write one frame to a (blocking) file descriptor, looping over partial writes."""
    data = memoryview(encode_frame(message))
    while data:
        try:
            written = os.write(fd, data)
        except InterruptedError:
            continue
        except OSError as exc:
            raise ProtocolError(f"cannot write frame: {exc}") from None
        data = data[written:]


def _read_exact(fd: int, size: int, deadline: float | None, allow_eof: bool) -> bytes | None:
    chunks: list[bytes] = []
    remaining = size
    while remaining:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise FrameTimeout("no complete frame before the deadline")
            try:
                ready, _, _ = select.select([fd], [], [], left)
            except InterruptedError:
                continue
            if not ready:
                raise FrameTimeout("no complete frame before the deadline")
        try:
            chunk = os.read(fd, min(remaining, 1 << 20))
        except InterruptedError:
            continue
        except OSError as exc:
            raise ProtocolError(f"cannot read frame: {exc}") from None
        if not chunk:
            if allow_eof and remaining == size:
                return None
            raise ProtocolError("channel closed in the middle of a frame" if chunks or remaining != size else "channel closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, deadline: float | None = None, *, allow_eof: bool = False) -> Any:
    """Read one frame from `fd` and return its message.

    `deadline` is a `time.monotonic()` instant; past it FrameTimeout is raised (the executor's
    watchdog). With `allow_eof`, a clean end of stream before a frame starts returns None (the
    server's normal shutdown); any other EOF or garbage raises ProtocolError.
    """
    header = _read_exact(fd, HEADER.size, deadline, allow_eof)
    if header is None:
        return None
    (length,) = HEADER.unpack(header)
    if length > MAX_FRAME_BYTES:
        raise ProtocolError(f"announced frame of {length} bytes exceeds the {MAX_FRAME_BYTES}-byte limit")
    payload = _read_exact(fd, length, deadline, False) or b""
    return decode_payload(payload)


def parent_pids() -> dict[int, int]:
    """{pid: parent pid} of every process in /proc (empty if /proc cannot be listed).

    The parent is the second field after the command name, which ends at the *last* ')' of
    /proc/PID/stat (a name may itself hold ')' or spaces); processes that exit meanwhile are left out.
    """
    parents: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return parents
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 1:
            parents[int(entry)] = int(fields[1])
    return parents
