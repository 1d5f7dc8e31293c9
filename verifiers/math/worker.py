"""A pool of killable worker processes for the sympy part of math checking.

Why processes: sympy can hang in C-level big-integer work that no signal interrupts, and
`signal.alarm` only works on the main thread (Math-Verify raises off it). A worker is a separate
interpreter (see `_BOOTSTRAP`) that imports sympy and latex2sympy once,
then answers requests over its stdin/stdout pipes, one JSON line each way. The caller waits on
the pipe with a deadline; on a miss the worker is SIGKILLed and replaced, and the verdict is
`timeout`. The deadline counts from when the request is sent to a ready worker, so the one-off
start-up (about a second) never turns into a timeout.

Start-up is paid once per process, not once per worker: the first worker is a *zygote* that
imports sympy and latex2sympy, warms ANTLR's caches (together ~2-4 s here, the cold start) and
then only forks. Every worker — the pool's second, and each replacement for a killed one — is
a fork of that warm process handed its two pipes over a Unix socket (`socket.send_fds`), ready
in ~10 ms with the caches built. Where fd passing or fork is missing, each worker is started
from scratch as before. A killed worker is replaced at once in a background thread, so after a
timeout the next request normally finds a ready worker instead of waiting for a start-up.

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
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import Any, BinaryIO

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
from vrgym.verifiers.math.worker import main
main(sys.argv[1:])
"""
"""Worker entry: `vrgym/__init__` registers every template (~1 s of imports the worker never uses),
so the worker stands in a bare package module for it and imports only the math checker."""


class WorkerTimeout(Exception):
    """The worker did not answer within the deadline (it has been killed)."""


class WorkerCrashed(Exception):
    """The worker died or answered garbage (it has been replaced)."""


class WorkerUnavailable(WorkerCrashed):
    """No worker could be started (an infrastructure failure, not the answer's fault)."""


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", _BOOTSTRAP, "vrgym.verifiers.math.worker", *args]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if isinstance(p, str) and p)
    env.setdefault("OMP_NUM_THREADS", "1")
    return env


def _can_fork_workers() -> bool:
    return hasattr(os, "fork") and hasattr(socket, "send_fds") and hasattr(socket, "AF_UNIX")


class _Zygote:
    """A warmed-up worker process that only forks: each fork is a ready worker (see the module docstring).

    Requests go over a Unix socket: the caller sends the worker's two pipe ends (request read end,
    reply write end) with `send_fds`; the zygote forks, the child serves on them, and the zygote
    answers with the child's pid. It ignores SIGCHLD, so its children are reaped by the kernel.
    """

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.process = subprocess.Popen(
                _command("--zygote", str(theirs.fileno())),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=_environment(),
                close_fds=True,
                pass_fds=(theirs.fileno(),),
            )
        finally:
            theirs.close()
        self.socket = ours
        self.lock = threading.Lock()
        self.buffer = b""
        try:
            line = self._read_line(time.monotonic() + STARTUP_TIMEOUT)
        except (WorkerTimeout, WorkerCrashed) as exc:
            self.close()
            raise WorkerUnavailable(f"the math worker did not start: {type(exc).__name__} {exc}") from exc
        if line != _READY:
            self.close()
            raise WorkerUnavailable(f"the math worker failed to start (said {line[:200]!r})")

    def _read_line(self, deadline: float) -> str:
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerTimeout
            ready, _, _ = select.select([self.socket], [], [], left)
            if not ready:
                continue
            chunk = self.socket.recv(1 << 12)
            if not chunk:
                raise WorkerCrashed("the math worker zygote exited")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.decode("utf-8", "replace")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def fork(self) -> tuple[int, int, int]:
        """A new ready worker: (pid, fd to write its requests to, fd to read its replies from)."""
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        try:
            with self.lock:
                socket.send_fds(self.socket, [b"f"], [request_read, reply_write])
                pid = int(self._read_line(time.monotonic() + 30.0))
        except (OSError, ValueError, WorkerTimeout, WorkerCrashed) as exc:
            for fd in (request_write, reply_read):
                os.close(fd)
            raise WorkerCrashed(f"the math worker zygote could not fork a worker: {type(exc).__name__} {exc}") from exc
        finally:
            os.close(request_read)
            os.close(reply_write)
        return pid, request_write, reply_read

    def close(self) -> None:
        """Stop the zygote (its workers live on until their pipes close or they are killed)."""
        try:
            self.socket.close()
        except OSError:
            pass
        try:
            self.process.kill()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass


class _Worker:
    """One worker process and its pipes; used by one thread at a time.

    Forked from a `_Zygote` when one is given (ready at once), else started from scratch with
    `subprocess` (the whole start-up).
    """

    def __init__(self, zygote: _Zygote | None = None) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.closed = False
        if zygote is not None:
            self.pid, write_fd, self.fd = zygote.fork()
            self.stdin: BinaryIO = os.fdopen(write_fd, "wb")
            os.set_blocking(self.fd, False)
            return
        self.process = subprocess.Popen(
            _command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_environment(),
            close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.pid = self.process.pid
        self.stdin = self.process.stdin
        self.fd = self.process.stdout.fileno()
        os.set_blocking(self.fd, False)
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
        if self.process is not None:
            return self.process.poll() is None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:
            pass
        return True

    def kill(self) -> None:
        """SIGKILL the process, wait until it is gone and close the pipes (idempotent)."""
        if self.closed:
            return
        self.closed = True
        if self.process is not None:
            try:
                self.process.kill()
            except OSError:
                pass
            try:
                self.process.wait(timeout=5)
            except (subprocess.TimeoutExpired, OSError):
                pass
            assert self.process.stdout is not None
            closers = [self.process.stdin.close if self.process.stdin else None, self.process.stdout.close]
        else:  # a fork of the zygote, which reaps it: wait until its pid has disappeared
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            deadline = time.monotonic() + 5
            while self.alive and time.monotonic() < deadline:
                time.sleep(0.002)
            closers = [self.stdin.close, lambda: os.close(self.fd)]
        for close in closers:
            try:
                if close is not None:
                    close()
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
        self._zygote: _Zygote | None = None
        self._zygote_lock = threading.Lock()
        self.fork_workers = _can_fork_workers()

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
            return self._start_worker()
        except BaseException:
            with self._condition:
                self._count -= 1
                self._condition.notify()
            raise

    def _start_worker(self) -> _Worker:
        """A ready worker: forked from the zygote (started first if needed), or started from scratch."""
        if not self.fork_workers:
            return _Worker()
        for attempt in range(2):  # a zygote that died since its last fork is replaced once
            with self._zygote_lock:
                if self._closed:
                    raise WorkerUnavailable("the math worker pool is shut down")
                zygote = self._zygote
                if zygote is None or not zygote.alive:
                    if zygote is not None:
                        zygote.close()
                    self._zygote = zygote = _Zygote()
            try:
                return _Worker(zygote)
            except WorkerCrashed:
                with self._zygote_lock:
                    if self._zygote is zygote:
                        zygote.close()
                        self._zygote = None
                if attempt:
                    raise
        raise AssertionError("unreachable")

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
                worker = self._start_worker()
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
            return [w.pid for w in self._idle]

    @property
    def zygote_pid(self) -> int | None:
        """Process id of the zygote the workers are forked from, if one runs (diagnostics and tests)."""
        zygote = self._zygote
        return zygote.process.pid if zygote is not None and zygote.alive else None

    def close(self) -> None:
        """Kill every idle worker; busy ones are killed when released."""
        with self._condition:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._condition.notify_all()
        for worker in idle:
            worker.kill()
        with self._zygote_lock:
            zygote, self._zygote = self._zygote, None
        if zygote is not None:
            zygote.close()


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


def _prepare() -> None:
    """Everything a worker does before its first request: memory limit, imports, warm caches."""
    sys.stdout = sys.stderr  # stray prints from libraries must not corrupt the protocol
    _limit_memory()
    from vrgym.verifiers.math.equivalence import warm_up

    warm_up()


def main(argv: list[str]) -> None:
    """Worker process entry (see `_BOOTSTRAP`): `--zygote FD` forks workers on request, else `serve`."""
    if len(argv) >= 3 and argv[1] == "--zygote":
        zygote(int(argv[2]))
    else:
        serve()


def serve() -> None:
    """A worker started on its own: answer requests on stdin/stdout (see `answer_requests`)."""
    out = os.fdopen(os.dup(1), "w", buffering=1)
    _prepare()
    out.write(_READY + "\n")
    answer_requests(sys.stdin, out)


def zygote(control_fd: int) -> None:
    """The zygote's loop: for each pair of pipe ends received on `control_fd`, fork a worker on them.

    The caller holds the other ends; the zygote replies with the child's pid and closes its copies,
    so a worker's pipes belong to the caller and that worker only. Exits when the caller goes away.
    """
    control = socket.socket(fileno=control_fd)
    _prepare()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    control.sendall((_READY + "\n").encode())
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 16, 2)
        except OSError:
            return
        if not message:
            return
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            control.sendall(b"error\n")
            continue
        pid = os.fork()
        if pid == 0:  # the worker: serve on the received pipes, never return into the zygote's loop
            try:
                control.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                answer_requests(os.fdopen(fds[0], "r"), os.fdopen(fds[1], "w", buffering=1))
            finally:
                os._exit(0)
        for fd in fds:
            os.close(fd)
        control.sendall(f"{pid}\n".encode())


def answer_requests(requests: Any, out: Any) -> None:
    """Worker main loop: one JSON request per line in, one JSON reply per line out.

    Requests: `{"op": "check", "gold": …, "answer": …}` → `[reason, detail]`; and two diagnostics,
    `{"op": "ping"}` → `"pong"` (IPC round-trip measurements) and `{"op": "sleep", "seconds": s}`
    (exercises the deadline and kill paths in tests).
    """
    from vrgym.verifiers.math.equivalence import compare_in_worker

    for line in requests:
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
    main(sys.argv)
