"""Fixtures of the code-verifier tests: the executor to verify on, and a leftover-process check.

`code_executor` runs every test that uses it on the local executor, and also on the Docker
executor when one can start here (engine running, image built); otherwise the docker variant is
skipped with the reason. `VRGYM_TEST_SANDBOX=local` or `=docker` restricts the run to one backend
(`docker` then fails instead of skipping when no engine answers, so CI cannot silently skip it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from vrgym.sandbox import Executor, get_executor

ENV = "VRGYM_TEST_SANDBOX"


def _backends() -> list[str]:
    chosen = os.environ.get(ENV, "").strip().lower()
    return [chosen] if chosen in ("local", "docker") else ["local", "docker"]


_cache: dict[str, Executor | str] = {}


def _executor(kind: str) -> Executor:
    if kind not in _cache:
        try:
            executor = get_executor(kind)
            warm = getattr(executor, "warm_up", None)
            if callable(warm):
                warm()
            _cache[kind] = executor
        except Exception as exc:  # noqa: BLE001  (SandboxUnavailable and friends: say why and skip)
            _cache[kind] = f"{type(exc).__name__}: {exc}"
    found = _cache[kind]
    if isinstance(found, str):
        if kind == "local" or os.environ.get(ENV, "").strip().lower() == kind:  # the local executor must always run
            pytest.fail(f"{ENV}={kind} but the {kind} executor cannot start: {found}")
        pytest.skip(f"the {kind} executor is not available here: {found}")
    return found


@pytest.fixture(scope="session", params=_backends())
def code_executor(request: pytest.FixtureRequest) -> Iterator[Executor]:
    """A warm executor shared by the session's code-verifier tests (local, and docker when available)."""
    yield _executor(request.param)


@pytest.fixture(scope="session")
def local_executor() -> Executor:
    """The local executor only (for tests about the verifier's own logic, not the backend)."""
    return _executor("local")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for executor in _cache.values():
        if not isinstance(executor, str):
            executor.close()
    _cache.clear()


def processes_with(marker: str) -> list[int]:
    """Pids whose command line contains `marker`, anywhere on the machine."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    if marker.encode() in handle.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def zombies_below(pid: int) -> list[int]:
    """Zombie processes whose parent is `pid` (a job the verifier forgot to reap would show here)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] == "Z" and int(fields[1]) == pid:
                found.append(int(entry))
    return found


def assert_no_leftovers(markers: tuple[str, ...] = (), patience: float = 3.0) -> None:
    """No marked process anywhere and no zombie child of ours, after at most `patience` seconds."""
    deadline = time.monotonic() + patience
    while True:
        left = [pid for marker in markers for pid in processes_with(marker)] + zombies_below(os.getpid())
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not left, f"processes left behind: {left}"
