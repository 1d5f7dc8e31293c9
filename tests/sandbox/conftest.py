"""Shared sandbox fixtures: one warm LocalExecutor per test module and a no-leftover-processes check.

The check is what makes "every process of a job is killed and reaped" a tested claim: after each
test, nothing may live below any fork-server (no job process, no orphan, no zombie) and no process
may carry a test's marker in its command line.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest

from vrgym.sandbox.local import LocalExecutor, descendants


def processes_with(marker: str) -> list[int]:
    """Pids whose command line contains `marker` (how tests find processes a job tried to leave)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    if marker.encode() in fh.read():
                        found.append(int(entry))
            except OSError:
                continue
    return found


def below_servers(executor: LocalExecutor) -> list[int]:
    """Every process (zombies included) below the executor's fork-servers.

    With namespaces the server (pid from its hello frame) is a child of the process the executor
    started (see server._become_namespace_init); everything else below that process is a job's.
    """
    workers = list(executor._live)
    servers = {worker.features.get("pid") for worker in workers}
    return [pid for worker in workers for pid in descendants(worker.proc.pid) if pid not in servers]


def assert_no_leftovers(executor: LocalExecutor, markers: tuple[str, ...] = (), patience: float = 2.0) -> None:
    """Fail if job processes survive below the servers, or marked processes anywhere, after `patience` s."""
    deadline = time.monotonic() + patience
    while True:
        left = below_servers(executor) + [pid for m in markers for pid in processes_with(m)]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    assert not left, f"processes left behind by jobs: {left}"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[LocalExecutor]:
    """A warm two-worker LocalExecutor shared by a module's tests."""
    executor = LocalExecutor(workers=2)
    executor.warm_up()
    yield executor
    executor.close()


@pytest.fixture()
def clean_sandbox(sandbox: LocalExecutor) -> Iterator[LocalExecutor]:
    """The module's executor, with a no-leftovers check after the test."""
    yield sandbox
    assert_no_leftovers(sandbox)
