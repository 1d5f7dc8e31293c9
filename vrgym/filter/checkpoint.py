"""Append-only JSON-lines checkpoints: kill the process at any instant and lose nothing written.

A filter run appends every sample and every score to a jsonl log the moment it exists. A process
killed (even with SIGKILL) can leave at most one torn line at the end of a log: the reader ignores
an unterminated last line, and `AppendLog` cuts it off before appending again, so the next run
starts on a clean line boundary. Records already in the log are never rewritten, and the pipeline
skips the keys a log already holds, so a restarted run neither loses nor duplicates work.

Durability: each `append` writes and flushes (the data is then in the kernel, which survives the
death of the process); `os.fsync` runs at most every `fsync_every` seconds and on close, which also
covers a machine crash without paying an fsync per sample. An exclusive `flock` on the log stops
two processes from appending to the same file (use shards for parallel workers).

Corruption anywhere but the last line is not a crash artefact: it raises `DataFileError`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from vrgym.errors import DataFileError


def read_log(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Records of a checkpoint log in file order; a torn (unterminated) last line is ignored."""
    path = Path(path)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read ({exc.strerror or exc}); check its permissions") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.endswith(b"\n"):
                return  # torn by a kill mid-write: the record was never complete
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except ValueError:
                raise DataFileError(
                    f"{path}, line {number}: not valid JSON in the middle of a checkpoint log (the file was edited "
                    "or damaged, not just cut short); fix the line or start a new run directory"
                ) from None
            if not isinstance(record, dict):
                raise DataFileError(f"{path}, line {number}: expected a JSON object per line")
            yield record


class AppendLog:
    """An exclusively locked, append-only jsonl log (see the module docstring)."""

    def __init__(self, path: str | os.PathLike[str], fsync_every: float = 1.0) -> None:
        self.path = Path(path)
        self.fsync_every = fsync_every
        self.count = 0
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DataFileError(f"{self.path}: cannot be opened for appending ({exc.strerror or exc})") from None
        try:
            self._lock()
            self._cut_torn_tail()
        except BaseException:
            os.close(self._fd)
            raise
        os.lseek(self._fd, 0, os.SEEK_END)
        self._last_sync = time.monotonic()
        self._dirty = False

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, the documented one-writer rule still applies
            return
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataFileError(
                f"{self.path}: another process is writing this log; wait for it to finish, or run "
                "parallel workers as shards (--shard I/N)"
            ) from None

    def _cut_torn_tail(self) -> None:
        """Truncate an unterminated last line left by a killed writer."""
        size = os.lseek(self._fd, 0, os.SEEK_END)
        if size == 0:
            return
        os.lseek(self._fd, size - 1, os.SEEK_SET)
        if os.read(self._fd, 1) == b"\n":
            return
        position, chunk = size, 65536
        while position > 0:
            start = max(0, position - chunk)
            os.lseek(self._fd, start, os.SEEK_SET)
            block = os.read(self._fd, position - start)
            newline = block.rfind(b"\n")
            if newline >= 0:
                os.ftruncate(self._fd, start + newline + 1)
                return
            position = start
        os.ftruncate(self._fd, 0)

    def append(self, records: Iterable[dict[str, Any]]) -> int:
        """Append records (one write call, so a kill tears at most the last line); return how many."""
        lines = [json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n" for record in records]
        if not lines:
            return 0
        data = "".join(lines).encode("utf-8")
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        self.count += len(lines)
        self._dirty = True
        if time.monotonic() - self._last_sync >= self.fsync_every:
            self.sync()
        return len(lines)

    def sync(self) -> None:
        """fsync the log now."""
        if self._dirty:
            os.fsync(self._fd)
            self._dirty = False
        self._last_sync = time.monotonic()

    def close(self) -> None:
        """Sync, unlock and close (safe to call twice)."""
        if self._fd < 0:
            return
        try:
            self.sync()
        finally:
            os.close(self._fd)  # closing releases the flock
            self._fd = -1

    def __enter__(self) -> AppendLog:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
