"""A pool of killable worker processes for the sympy part of math checking.

Why processes: sympy can hang in C-level big-integer work that no signal interrupts, and
`signal.alarm` only works on the main thread (Math-Verify raises off it). A worker is a separate
interpreter (see `_BOOTSTRAP`) that imports sympy and latex2sympy once,
then answers requests over its stdin/stdout pipes, one JSON line each way. The caller waits on
the pipe with a deadline; on a miss the worker is SIGKILLed and replaced, and the verdict is
`timeout`. The deadline counts from when the request is sent to a ready worker, so the one-off
start-up (about a second) never turns into a timeout.

A killed worker is replaced at once in a background thread, so after a timeout the next request
normally finds a ready worker instead of waiting for a start-up.

Properties: thread-safe (each request holds one worker exclusively; up to `size` run at once),
fork-safe (a child process gets a fresh pool, never its parent's pipes: the pool records its
pid), usable from many processes (each has its own small pool), and shut down at exit. The
worker limits its own address space (`RLIMIT_AS`) so a memory bomb kills a worker, not the host.
Started with `subprocess`, not `multiprocessing`, so no `if __name__ == "__main__"` guard is ever
needed in the caller's script.
"""

from __future__ import annotations

import atexit
import json
import os
import select
import subprocess
import sys
import threading
import time
from typing import Any

DEFAULT_SIZE = int(os.environ.get("VRGYM_MATH_WORKERS", "2"))
STARTUP_TIMEOUT = 120.0
MEMORY_LIMIT = 3 * 1024**3
_READY = "ready"
_BOOTSTRAP = """
import importlib.util, sys, types
spec = importlib.util.find_spec("vrgym")
package = types.ModuleType("vrgym")
package.__path__ = list(spec.submodule_search_locations)
package.__spec__, package.__file__ = spec, spec.origin
sys.modules["vrgym"] = package
from vrgym.verifiers.math.worker import serve
serve()
"""
"""Worker entry: `vrgym/__init__` registers every template (~1 s of imports the worker never uses),
so the worker stands in a bare package module for it and imports only the math checker."""


class WorkerTimeout(Exception):
    """The worker did not answer within the deadline (it has been killed)."""


class WorkerCrashed(Exception):
    """The worker died or answered garbage (it has been replaced)."""


class WorkerUnavailable(WorkerCrashed):
    """No worker could be started (an infrastructure failure, not the answer's fault)."""


class _Worker:
    """One worker process and its pipes; used by one thread at a time."""

    def __init__(self) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if isinstance(p, str) and p)
        env.setdefault("OMP_NUM_THREADS", "1")
        self.process = subprocess.Popen(
            [sys.executable, "-c", _BOOTSTRAP, "vrgym.verifiers.math.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin = self.process.stdin
        self.fd = self.process.stdout.fileno()
        os.set_blocking(self.fd, False)
        self.buffer = b""
        try:
            line = self._read_line(time.monotonic() + STARTUP_TIMEOUT)
        except (WorkerTimeout, WorkerCrashed) as exc:
            raise WorkerUnavailable(f"the math worker did not start: {type(exc).__name__} {exc}") from exc
        if line != _READY:
            self.kill()
            raise WorkerUnavailable(f"the math worker failed to start (said {line[:200]!r})")

    def request(self, payload: Any, timeout: float) -> Any:
        """Send one request and wait at most `timeout` seconds for its answer."""
        data = (json.dumps(payload) + "\n").encode()
        try:
            self.stdin.write(data)
            self.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            self.kill()
            raise WorkerCrashed(f"the math worker's pipe is closed: {exc}") from exc
        line = self._read_line(time.monotonic() + timeout)
        try:
            return json.loads(line)
        except ValueError as exc:
            self.kill()
            raise WorkerCrashed(f"the math worker answered {line[:200]!r}") from exc

    def _read_line(self, deadline: float) -> str:
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise WorkerTimeout
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                continue
            if not chunk:
                self.kill()
                raise WorkerCrashed("the math worker exited")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode("utf-8", "replace")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the process and reap it (idempotent)."""
        try:
            self.process.kill()
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except (subprocess.TimeoutExpired, OSError):
            pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


class WorkerPool:
    """Up to `size` workers shared by the threads of one process."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = max(1, size)
        self.pid = os.getpid()
        self._idle: list[_Worker] = []
        self._count = 0
        self._condition = threading.Condition()
        self._closed = False

    def call(self, payload: Any, timeout: float) -> Any:
        """Run one request on a free worker (starting one if needed) under a hard deadline."""
        worker = self._acquire()
        healthy = False
        try:
            result = worker.request(payload, timeout)
            healthy = True
            return result
        finally:
            self._release(worker, healthy)

    def _acquire(self) -> _Worker:
        with self._condition:
            while True:
                if self._closed:
                    raise WorkerUnavailable("the math worker pool is shut down")
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive:
                        return worker
                    self._count -= 1
                if self._count < self.size:
                    self._count += 1
                    break
                self._condition.wait()
        try:
            return _Worker()
        except BaseException:
            with self._condition:
                self._count -= 1
                self._condition.notify()
            raise

    def _release(self, worker: _Worker, healthy: bool) -> None:
        replace = 0
        with self._condition:
            if healthy and worker.alive and not self._closed:
                self._idle.append(worker)
            else:
                replace = self._count  # restore the pool's size in the background
                self._count -= 1
            self._condition.notify()
        if replace:
            worker.kill()
            threading.Thread(target=self._replace, args=(replace,), name="vrgym-math-worker-restart", daemon=True).start()

    def _replace(self, workers: int) -> None:
        """Start a replacement for a killed worker, so the next request does not wait for it."""
        try:
            self.warm(workers)
        except Exception:  # noqa: BLE001 - a later request starts one itself and reports the failure
            pass

    def warm(self, workers: int = 1) -> None:
        """Start workers until at least `workers` exist (blocking); cheap when they already do."""
        while True:
            with self._condition:
                if self._count >= min(workers, self.size) or self._closed:
                    return
                self._count += 1
            try:
                worker = _Worker()
            except BaseException:
                with self._condition:
                    self._count -= 1
                raise
            with self._condition:
                self._idle.append(worker)
                self._condition.notify()

    def pids(self) -> list[int]:
        """Process ids of the idle workers (diagnostics and tests)."""
        with self._condition:
            return [w.process.pid for w in self._idle]

    def close(self) -> None:
        """Kill every idle worker; busy ones are killed when released."""
        with self._condition:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._condition.notify_all()
        for worker in idle:
            worker.kill()


_POOL: WorkerPool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> WorkerPool:
    """This process's pool (a fresh one after a fork: the parent's workers are never reused)."""
    global _POOL
    current = _POOL
    if current is not None and current.pid == os.getpid():
        return current
    with _POOL_LOCK:
        if _POOL is None or _POOL.pid != os.getpid():
            _POOL = WorkerPool()
        return _POOL


def _forget_after_fork() -> None:
    global _POOL, _POOL_LOCK
    _POOL = None  # the parent's workers and pipes belong to the parent
    _POOL_LOCK = threading.Lock()


def shutdown() -> None:
    """Stop this process's workers (registered with atexit; safe to call any time)."""
    global _POOL
    current = _POOL
    if current is not None and current.pid == os.getpid():
        current.close()
        _POOL = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
atexit.register(shutdown)


# --------------------------------------------------------------------------------------- worker side


def _limit_memory() -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, ValueError, OSError):
        pass


def serve() -> None:
    """Worker main loop: one JSON request per line in, one JSON reply per line out.

    Requests: `{"op": "check", "gold": …, "answer": …}` → `[reason, detail]`; and two diagnostics,
    `{"op": "ping"}` → `"pong"` (IPC round-trip measurements) and `{"op": "sleep", "seconds": s}`
    (exercises the deadline and kill paths in tests).
    """
    out = os.fdopen(os.dup(1), "w", buffering=1)
    sys.stdout = sys.stderr  # stray prints from libraries must not corrupt the protocol
    _limit_memory()
    from vrgym.verifiers.math.equivalence import compare_in_worker, warm_up

    warm_up()
    out.write(_READY + "\n")
    for line in sys.stdin:
        try:
            request = json.loads(line)
            op = request.get("op")
            if op == "ping":
                reply: Any = "pong"
            elif op == "sleep":
                time.sleep(float(request["seconds"]))
                reply = "slept"
            else:
                reply = list(compare_in_worker(request["gold"], request["answer"]))
        except MemoryError:
            out.write(json.dumps(["format", "the answer needs too much memory to check"]) + "\n")
            return  # exit: the parent starts a fresh worker
        except Exception as exc:  # noqa: BLE001 - an answer must never crash the worker
            reply = ["format", f"the answer could not be checked: {type(exc).__name__}"]
        out.write(json.dumps(reply) + "\n")


if __name__ == "__main__":
    serve()
