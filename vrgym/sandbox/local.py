"""`LocalExecutor`: the embedded sandbox — a small pool of fork-servers on this host.

Each worker is `server.py` started with `sys.executable -I -S` through subprocess (never a fork of
the caller, which may be a multi-threaded trainer). A job goes to an idle worker (a thread-safe
queue in front); the worker forks the job and supervises it as described in `server.py`. Every
read from a worker has a deadline: a worker that dies or hangs is killed with all its processes,
the job is reported as SANDBOX_ERROR (never as the model's failure) and a fresh worker replaces it.

Isolation on this host, honestly:
  * always: own session and process group per job, child subreaper (daemonised grandchildren are
    found and killed), rlimits (address space, CPU, file size, open files, no core; processes by
    RLIMIT_NPROC unless the server has a pids cgroup of its own, see below),
    a private work dir removed afterwards, clean environment, every inherited fd closed, wall
    clock enforced from outside, output caps;
  * as root: the job runs as `nobody` (it cannot write anything but its work dir and world-writable
    dirs such as /tmp, nor signal other users' processes) in a fresh PID namespace (killing the
    job's init kills every process it made) inside the server's network namespace (no network:
    one empty namespace per server, shared by its jobs one after another); its processes are
    bounded by the server's own pids cgroup, so a fork bomb cannot starve a concurrent job of
    another worker the way a per-uid RLIMIT_NPROC would; a private mount namespace only
    re-exposes the interpreter if it lives under an unreadable home such as /root;
  * as a normal user with unprivileged user namespaces: network + PID namespaces, capabilities
    dropped, RLIMIT_NPROC, but the job keeps your uid (it can read and write your files);
  * otherwise: no network isolation and the job runs as you — use the Docker executor for
    untrusted code at scale.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import IO, Any

from vrgym.sandbox import protocol
from vrgym.sandbox.executor import Executor
from vrgym.sandbox.types import ExecResult, Job, Limits

SERVER_PATH = str(Path(__file__).with_name("server.py"))
WATCHDOG_GRACE = 10.0
"""Seconds beyond a job's wall limit before its worker counts as hung (the server kills the job at its wall limit)."""


class WorkerStartError(RuntimeError):
    """A fork-server could not be started (reported to callers as SANDBOX_ERROR)."""


class _Worker:
    """One fork-server process and its pipes; used by one thread at a time (the pool's queue)."""

    def __init__(self, config: dict[str, Any], startup_timeout: float) -> None:
        self.log: IO[bytes] = tempfile.TemporaryFile(prefix="vrgym-sandbox-log-")  # noqa: SIM115
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-S", SERVER_PATH, json.dumps(config)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.log,
                start_new_session=True,
                close_fds=True,
            )
        except OSError as exc:
            self.log.close()
            raise WorkerStartError(f"cannot start the fork-server {SERVER_PATH}: {exc}") from None
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.to_server = self.proc.stdin.fileno()
        self.from_server = self.proc.stdout.fileno()
        try:
            hello = protocol.read_frame(self.from_server, time.monotonic() + startup_timeout)
        except protocol.ProtocolError as exc:
            tail = self.log_tail()
            self.kill()
            raise WorkerStartError(f"the fork-server did not start ({exc}){': ' + tail if tail else ''}") from None
        if not isinstance(hello, dict) or not isinstance(hello.get("hello"), dict):
            self.kill()
            raise WorkerStartError(f"the fork-server sent {str(hello)[:200]!r} instead of its hello frame")
        self.features: dict[str, Any] = hello["hello"]
        self.jobs = 0

    def alive(self) -> bool:
        return self.proc.poll() is None

    def request(self, job: Job) -> ExecResult:
        """Send one job and wait for its result under the watchdog; failures raise ProtocolError."""
        self.jobs += 1
        protocol.write_frame(self.to_server, {"op": "run", "job": job.model_dump(mode="json")})
        deadline = time.monotonic() + job.limits.wall_seconds + WATCHDOG_GRACE
        reply = protocol.read_frame(self.from_server, deadline)
        if not isinstance(reply, dict) or not isinstance(reply.get("result"), dict):
            raise protocol.ProtocolError(f"unexpected reply {str(reply)[:200]!r}")
        return ExecResult.model_validate(reply["result"])

    def log_tail(self, size: int = 1500) -> str:
        try:
            self.log.seek(0, os.SEEK_END)
            end = self.log.tell()
            self.log.seek(max(0, end - size))
            return self.log.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""

    def stop(self, patience: float = 2.0) -> None:
        """Ask the server to exit (close its stdin); kill it and its processes if it lingers."""
        try:
            self.proc.stdin.close()  # type: ignore[union-attr]
        except OSError:
            pass
        try:
            self.proc.wait(timeout=patience)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    def kill(self) -> None:
        """SIGKILL the server and every process below it, reap it, remove its base dir."""
        for pid in descendants(self.proc.pid) if self.proc.poll() is None else []:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        features = getattr(self, "features", {})
        base = features.get("base_dir")
        if base and os.path.basename(base).startswith("vrgym-sandbox-"):
            shutil.rmtree(base, ignore_errors=True)
        cgroup = features.get("pids_cgroup")
        if cgroup and os.path.basename(cgroup).startswith("vrgym-sandbox-"):
            _remove_cgroup(cgroup)
        try:
            self.log.close()
        except OSError:
            pass

    def abandon(self) -> None:
        """In a forked child: drop our copies of the parent's pipes without touching its processes."""
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    os.close(stream.fileno())
            except (OSError, ValueError):
                pass
        self.proc.returncode = 0  # keep Popen.__del__ from tracking a process that is not ours


def _remove_cgroup(path: str, patience: float = 2.0) -> None:
    """Remove a dead server's pids cgroup (a killed server cannot); it empties as its processes exit."""
    deadline = time.monotonic() + patience
    while True:
        try:
            os.rmdir(path)
            return
        except FileNotFoundError:
            return
        except OSError:  # still busy: the server's SIGKILL is being delivered
            if time.monotonic() > deadline:
                return
            time.sleep(0.005)


def descendants(root: int) -> list[int]:
    """Every pid below `root` in the process tree (from /proc), children first."""
    parents: dict[int, list[int]] = {}
    for pid, parent in protocol.parent_pids().items():
        parents.setdefault(parent, []).append(pid)
    found, todo = [], [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _stop_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        worker.stop()
    workers.clear()


class LocalExecutor(Executor):
    """A pool of `workers` fork-servers on this host (see the module docstring for the isolation).

    `limits` are the defaults for jobs that do not set their own. `namespaces=False` skips the
    network/PID namespaces, `drop_user=False` keeps root's uid (both only for debugging).
    """

    name = "local"

    def __init__(
        self,
        workers: int = 2,
        limits: Limits | None = None,
        *,
        namespaces: bool = True,
        drop_user: bool = True,
        startup_timeout: float = 30.0,
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers={workers}: a LocalExecutor needs at least one worker")
        self.workers = workers
        self.limits = limits
        self.startup_timeout = startup_timeout
        self._config = {"namespaces": bool(namespaces), "drop_user": bool(drop_user)}
        self._lock = threading.Lock()
        self._closed = False
        self._features: dict[str, Any] | None = None
        self._reset_pool()

    def _reset_pool(self) -> None:
        self._pid = os.getpid()
        self._live: set[_Worker] = set()
        self._idle: queue.LifoQueue[_Worker | None] = queue.LifoQueue()
        for _ in range(self.workers):
            self._idle.put(None)  # started on first use
        self._finalizer = weakref.finalize(self, _stop_all, self._live)

    def default_concurrency(self) -> int:
        return self.workers

    def _check_fork(self) -> None:
        if os.getpid() != self._pid:
            with self._lock:
                if os.getpid() != self._pid:
                    self.abandon()

    def abandon(self) -> None:
        """Forget the pool without stopping it (used in a forked child: the workers are the parent's)."""
        self._finalizer.detach()
        for worker in list(self._live):
            worker.abandon()
        self._reset_pool()

    def _start_worker(self) -> _Worker:
        worker = _Worker(self._config, self.startup_timeout)
        with self._lock:
            self._live.add(worker)
            self._features = worker.features
        return worker

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._live.discard(worker)

    def warm_up(self) -> None:
        """Start every worker now, so the first jobs do not pay the interpreter start-up."""
        self._check_fork()
        held = [self._idle.get() for _ in range(self.workers)]
        try:
            for i, worker in enumerate(held):
                if worker is None or not worker.alive():
                    held[i] = self._start_worker()
        finally:
            for worker in held:
                self._idle.put(worker)

    def run(self, job: Job) -> ExecResult:
        """Run one job on an idle worker; never raises for the job's behaviour (see Executor.run)."""
        if self._closed:
            return ExecResult.sandbox_error("the LocalExecutor is closed; create a new one")
        self._check_fork()
        if self.limits is not None and "limits" not in job.model_fields_set:
            job = job.model_copy(update={"limits": self.limits})
        start = time.monotonic()
        worker = self._idle.get()
        try:
            if worker is None or not worker.alive():
                if worker is not None:
                    self._discard(worker)
                worker = None
                worker = self._start_worker()
            return worker.request(job)
        except WorkerStartError as exc:
            return ExecResult.sandbox_error(str(exc), time.monotonic() - start)
        except protocol.FrameTimeout:
            assert worker is not None
            self._discard(worker)
            worker = None
            return ExecResult.sandbox_error("the fork-server hung (no result within the wall limit plus grace); it was killed and will be replaced", time.monotonic() - start)
        except (protocol.ProtocolError, OSError, ValueError) as exc:
            tail = worker.log_tail() if worker is not None else ""
            if worker is not None:
                self._discard(worker)
            worker = None
            closed = " (executor closed)" if self._closed else ""
            return ExecResult.sandbox_error(f"the fork-server failed{closed}: {exc}{'; server log: ' + tail if tail else ''}", time.monotonic() - start)
        finally:
            if self._closed and worker is not None:
                self._discard(worker)
                worker = None
            self._idle.put(worker)

    def describe(self) -> dict[str, Any]:
        """Backend, workers, default limits and the isolation the fork-servers report."""
        if self._features is None and not self._closed:
            self.warm_up()
        features = dict(self._features or {})
        features.pop("pid", None)
        features.pop("base_dir", None)
        return {
            "backend": self.name,
            "workers": self.workers,
            "limits": (self.limits or Limits()).model_dump(),
            "interpreter": sys.executable,
            "server": SERVER_PATH,
            "isolation": features,
        }

    def close(self) -> None:
        """Stop every worker and reap every process they started; later runs return SANDBOX_ERROR."""
        if self._closed:
            return
        self._closed = True
        if os.getpid() != self._pid:
            self.abandon()
            return
        with self._lock:
            workers = list(self._live)
            self._live.clear()
        for worker in workers:
            worker.stop()
        self._finalizer.detach()
