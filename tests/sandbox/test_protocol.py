"""The fork-server framing: round trips, clean EOF, broken frames and the read deadline."""

from __future__ import annotations

import os
import time

import pytest

from vrgym.sandbox import protocol


@pytest.fixture()
def pipe():
    r, w = os.pipe()
    yield r, w
    for fd in (r, w):
        try:
            os.close(fd)
        except OSError:
            pass


def test_round_trip_keeps_unicode_and_nesting(pipe):
    r, w = pipe
    message = {"op": "run", "job": {"argv": ["python", "-c", "print('é ☃')"], "stdin": "a\x00b", "n": [1, 2.5, None, True]}}
    protocol.write_frame(w, message)
    assert protocol.read_frame(r, time.monotonic() + 1) == message


def test_several_frames_in_one_stream(pipe):
    r, w = pipe
    for i in range(3):
        protocol.write_frame(w, {"i": i})
    assert [protocol.read_frame(r)["i"] for _ in range(3)] == [0, 1, 2]


def test_clean_eof_returns_none_only_when_allowed(pipe):
    r, w = pipe
    os.close(w)
    assert protocol.read_frame(r, allow_eof=True) is None
    with pytest.raises(protocol.ProtocolError, match="closed"):
        protocol.read_frame(r)


def test_eof_inside_a_frame_is_an_error(pipe):
    r, w = pipe
    os.write(w, protocol.encode_frame({"x": 1})[:-2])
    os.close(w)
    with pytest.raises(protocol.ProtocolError, match="middle of a frame"):
        protocol.read_frame(r, allow_eof=True)


def test_deadline_raises_frame_timeout(pipe):
    r, w = pipe
    os.write(w, protocol.HEADER.pack(10) + b"{")  # a frame that never completes
    start = time.monotonic()
    with pytest.raises(protocol.FrameTimeout):
        protocol.read_frame(r, time.monotonic() + 0.2)
    assert time.monotonic() - start < 1.0


def test_oversized_announcement_and_garbage_are_rejected(pipe):
    r, w = pipe
    os.write(w, protocol.HEADER.pack(protocol.MAX_FRAME_BYTES + 1))
    with pytest.raises(protocol.ProtocolError, match="exceeds"):
        protocol.read_frame(r, time.monotonic() + 1)
    os.write(w, protocol.HEADER.pack(3) + b"\xff{]")
    with pytest.raises(protocol.ProtocolError, match="malformed"):
        protocol.read_frame(r, time.monotonic() + 1)


def test_protocol_module_is_stdlib_only():
    """The server loads protocol.py standalone (host or container): no vrgym or third-party imports."""
    source = open(protocol.__file__, encoding="utf-8").read()  # noqa: SIM115
    imports = {line.split()[1].split(".")[0] for line in source.splitlines() if line.startswith(("import ", "from "))}
    assert imports <= {"__future__", "json", "os", "select", "struct", "time", "typing"}


def test_parent_pids_sees_a_child_whose_name_has_spaces_and_parens():
    """The parent field is read after the *last* ')' of /proc/PID/stat: a command name like 'a) b' must not shift it."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "import ctypes, sys, time; "
                              "ctypes.CDLL(None).prctl(15, b'odd) name (x', 0, 0, 0); sys.stdout.write('ok\\n'); "
                              "sys.stdout.flush(); time.sleep(30)"], stdout=subprocess.PIPE)
    try:
        assert child.stdout is not None and child.stdout.readline() == b"ok\n"
        with open(f"/proc/{child.pid}/comm", "rb") as fh:
            assert fh.read().startswith(b"odd) name")
        parents = protocol.parent_pids()
        assert parents[child.pid] == os.getpid()
        assert parents[os.getpid()] == os.getppid()
    finally:
        child.kill()
        child.wait()
