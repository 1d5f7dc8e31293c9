"""The `Executor` interface every sandbox backend implements, and how to get one.

`get_executor("local" | "docker")` builds a backend; `default_executor()` is the process-wide
shared one verifiers use when none is passed (created lazily, closed at exit, re-created in a
forked child, because a child must never talk to its parent's fork-servers or containers).
"""

from __future__ import annotations

import atexit
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any

from vrgym.errors import ConfigError, VrgymError
from vrgym.sandbox.types import ExecResult, Job

KINDS = ("local", "docker")
ENV_VAR = "VRGYM_SANDBOX"


class SandboxUnavailable(VrgymError):
    """The requested sandbox backend cannot run on this machine; the message says how to fix that."""


class Executor(ABC):
    """Runs untrusted jobs in isolation. `run` is thread-safe and never raises for anything a job
    does: a failure of the sandbox itself comes back as `ExecResult(status=SANDBOX_ERROR)`."""

    name: str = "abstract"

    @abstractmethod
    def run(self, job: Job) -> ExecResult:
        """Run one job to its end (or kill it at its limits) and return what happened."""

    def run_many(self, jobs: Sequence[Job], concurrency: int | None = None) -> list[ExecResult]:
        """Run jobs concurrently (default: the backend's natural parallelism); results keep job order."""
        jobs = list(jobs)
        if not jobs:
            return []
        width = max(1, min(len(jobs), concurrency or self.default_concurrency()))
        if width == 1:
            return [self.run(job) for job in jobs]
        with ThreadPoolExecutor(max_workers=width, thread_name_prefix=f"vrgym-{self.name}") as pool:
            return list(pool.map(self.run, jobs))

    def default_concurrency(self) -> int:
        """How many jobs `run_many` runs at once when not told (backends override)."""
        return 1

    @abstractmethod
    def describe(self) -> dict[str, Any]:
        """JSON-able facts: backend name, default limits, the isolation features actually present."""

    @abstractmethod
    def close(self) -> None:
        """Stop and reap everything this executor started. Idempotent."""

    def __enter__(self) -> Executor:  # noqa: PYI034
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def get_executor(kind: str | None = None, **options: Any) -> Executor:
    """Build a sandbox backend: "local" (fork-server on this host) or "docker" (warm containers).

    `kind` None reads the VRGYM_SANDBOX environment variable, else "local". Options go to the
    backend's constructor (e.g. `workers=4`, `limits=Limits(...)`).
    """
    chosen = (kind or os.environ.get(ENV_VAR) or "local").strip().lower()
    if chosen == "local":
        from vrgym.sandbox.local import LocalExecutor

        return LocalExecutor(**options)
    if chosen == "docker":
        try:
            from vrgym.sandbox.docker import DockerExecutor  # type: ignore[import-not-found,unused-ignore]
        except ImportError as exc:
            raise SandboxUnavailable(
                f"the docker sandbox backend cannot be loaded ({exc}); install the docker extra "
                "(pip install 'vrgym[docker]') and start a Docker engine, or use the local executor "
                f"(get_executor('local') or {ENV_VAR}=local)"
            ) from None
        return DockerExecutor(**options)
    raise ConfigError(f"unknown sandbox kind {chosen!r}: choose one of {', '.join(KINDS)} (argument or {ENV_VAR})")


_default: Executor | None = None
_default_pid: int | None = None
_default_lock = threading.Lock()


def default_executor() -> Executor:
    """The process-wide shared executor (`get_executor()`), created on first use.

    Closed at interpreter exit. After a fork the child gets its own instance (the parent's
    servers and pipes belong to the parent); the inherited one is dropped without closing it.
    """
    global _default, _default_pid
    pid = os.getpid()
    with _default_lock:
        if _default is None or _default_pid != pid:
            if _default is not None:
                abandon = getattr(_default, "abandon", None)  # forget the parent's processes, do not kill them
                if callable(abandon):
                    abandon()
            _default = get_executor()
            _default_pid = pid
        return _default


def _close_default() -> None:
    global _default
    if _default is not None and _default_pid == os.getpid():
        try:
            _default.close()
        finally:
            _default = None


def _reset_lock_after_fork() -> None:
    global _default_lock
    _default_lock = threading.Lock()


atexit.register(_close_default)
os.register_at_fork(after_in_child=_reset_lock_after_fork)
