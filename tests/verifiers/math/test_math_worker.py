"""The worker pool: hard deadlines, bombs, threads, fork, and recovery from a killed worker.

Tests run in file order: the thread test first starts both workers of the pool, so the tests that
kill one find the other ready (each worker start costs ~1-5 s of sympy imports).
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from vrgym.verifiers.math import check_math_answer
from vrgym.verifiers.math import gold as G
from vrgym.verifiers.math.worker import WorkerCrashed, WorkerTimeout, pool

BOMBS = [
    r"9^{9^{9^{9}}}",
    r"9^{9^{9}}",
    r"2^{2^{2^{2^{2^{2}}}}}",
    r"(10^{10})!",
    r"\int_0^1 e^{x^{x^x}}dx",
    r"4+10^{10^{10}}-10^{10^{10}}",
    r"100000!",
    r"(2^{10000})^{10000}",
    r"10^{10^{8}}",
    r"2^{100000}",
    "9" * 5000,
    r"\sqrt{" * 200 + "2" + "}" * 200,
    r"\frac{1}{" * 60 + "2" + "}" * 60,
    "x" * 10_000_000,
    "\x00\xff\ufffd" * 1000,
    r"\sum_{n=1}^{10^{9}} n",
    r"\lim_{x\to0}\frac{\sin x}{x}",
]


@pytest.fixture(scope="module", autouse=True)
def warm_worker() -> None:
    """Start a worker once, so the start-up (outside any deadline anyway) is not timed below."""
    assert check_math_answer(G.integer(2), r"\sqrt{4}+0").reward == 1


CASES = [
    (G.integer(42), "42", 1),
    (G.integer(42), "6 \\cdot 7", 1),
    (G.integer(42), "43", 0),
    (G.expression(r"6\sqrt{11}"), r"\frac{66}{\sqrt{11}}", 1),
    (G.expression(r"\pi"), "3.14", 0),
    (G.equation("y = 2x + 1"), "2x - y + 1 = 0", 1),
    (G.set([G.integer(-2), G.integer(3)]), r"\{3, -2\}", 1),
    (G.interval("[2, 5)"), "[2, 5]", 0),
]


def test_eight_threads_at_once_agree_with_the_serial_results() -> None:
    jobs = CASES * 6
    with ThreadPoolExecutor(8) as executor:
        rewards = list(executor.map(lambda job: check_math_answer(job[0], job[1]).reward, jobs))
    assert rewards == [expected for _, _, expected in jobs]


@pytest.mark.parametrize("bomb", BOMBS, ids=range(len(BOMBS)))
def test_bombs_score_zero_in_under_a_second(bomb: str) -> None:
    start = time.perf_counter()
    verdict = check_math_answer(G.integer(4), bomb)
    elapsed = time.perf_counter() - start
    assert verdict.reward == 0
    assert elapsed < 1.0, f"{bomb[:40]!r} took {elapsed:.2f} s ({verdict.reason})"


def test_a_gold_with_the_feature_relaxes_the_prescreen() -> None:
    gold = G.expression(r"\frac{1}{2004!}")
    assert check_math_answer(gold, r"\frac{1}{2004!}").reward == 1
    assert check_math_answer(G.expression(r"e^{x^{2}}", variables=["x"]), r"\mathrm{e}^{x^2}").reward == 1


def test_the_deadline_kills_a_slow_worker_and_the_next_request_works() -> None:
    before = set(pool().pids())
    start = time.perf_counter()
    with pytest.raises(WorkerTimeout):
        pool().call({"op": "sleep", "seconds": 30}, timeout=0.3)
    assert time.perf_counter() - start < 1.0
    for pid in before:  # the killed worker is gone (reaped), and the survivor still answers
        if pid not in pool().pids():
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    assert check_math_answer(G.expression(r"\pi"), r"\frac{2\pi}{2}").reward == 1


def test_a_timeout_is_a_timeout_verdict() -> None:
    gold = G.expression(r"1+\sqrt{2}")  # a sum of radicals: needs the worker
    verdict = check_math_answer(gold, r"\sqrt{2}+1", timeout=1e-6)
    assert (verdict.reward, verdict.reason) == (0, "timeout")
    assert check_math_answer(gold, r"\sqrt{2}+1").reward == 1


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the busy worker through /proc")
def test_a_worker_killed_mid_request_is_replaced() -> None:
    result: dict[str, object] = {}

    def slow() -> None:
        try:
            result["value"] = pool().call({"op": "sleep", "seconds": 5}, timeout=10)
        except WorkerCrashed as exc:
            result["error"] = exc

    deadline = time.monotonic() + 60
    pool().warm(1)
    while set(_worker_pids()) != set(pool().pids()) and time.monotonic() < deadline:
        time.sleep(0.05)  # let any background replacement finish starting: every worker idle
    idle_before = set(pool().pids())
    thread = threading.Thread(target=slow)
    thread.start()
    busy: set[int] = set()
    while not busy and time.monotonic() < deadline:  # the busy worker is the one that left the idle list
        time.sleep(0.02)
        busy = idle_before - set(pool().pids())
    assert busy, "no busy worker found"
    for pid in busy:
        os.kill(pid, signal.SIGKILL)
    thread.join(15)
    assert isinstance(result.get("error"), WorkerCrashed)
    assert check_math_answer(G.expression(r"1+\sqrt{3}"), r"\sqrt{3}+1").reward == 1


def _worker_pids() -> list[int]:
    """Every math worker of this process (idle or busy), from /proc: a direct child started on its
    own, or a child of the pool's zygote (the zygote itself forks workers and is none)."""
    parents = {os.getpid(), pool().zygote_pid}
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                command = handle.read()
        except OSError:
            continue
        if parent in parents and int(entry) not in parents and b"vrgym.verifiers.math.worker" in command:
            pids.append(int(entry))
    return pids


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_gets_its_own_workers() -> None:
    parent_pool = pool()
    parent_pids = parent_pool.pids()
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            rewards = [check_math_answer(g, a).reward for g, a, _ in CASES]
            child_pool = pool()
            payload = {"rewards": rewards, "fresh": child_pool is not parent_pool, "pids": child_pool.pids()}
            os.write(write_end, json.dumps(payload).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as handle:
        payload = json.loads(handle.read() or "{}")
    os.waitpid(child, 0)
    assert payload["rewards"] == [expected for _, _, expected in CASES]
    assert payload["fresh"]
    assert not set(payload["pids"]) & set(parent_pids)
    assert pool() is parent_pool
    assert check_math_answer(G.expression(r"1+\sqrt{3}"), r"\sqrt{3}+1").reward == 1


def test_a_worker_that_cannot_start_is_an_infrastructure_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    from vrgym.verifiers.math import worker

    monkeypatch.setattr(worker, "_BOOTSTRAP", "print('not ready')")
    monkeypatch.setattr(worker, "_POOL", worker.WorkerPool(size=1))
    verdict = check_math_answer(G.expression(r"1+\sqrt{5}"), r"\sqrt{5}+1")
    assert (verdict.reward, verdict.reason) == (0, "verifier_error")
    assert verdict.is_infrastructure_failure
    worker.shutdown()


def test_warm_up_starts_a_worker_once() -> None:
    from vrgym.tasks.math._math_template import MathTemplate
    from vrgym.verifiers.math import warm_up

    warm_up()
    assert pool().pids()
    start = time.perf_counter()
    warm_up()
    MathTemplate.warm_up(None)  # type: ignore[arg-type]  # the template hook delegates to the same pool
    assert time.perf_counter() - start < 0.05


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])


needs_zygote = pytest.mark.skipif(not (pool().fork_workers and os.path.isdir("/proc")), reason="needs fork, fd passing and /proc")


@needs_zygote
def test_workers_are_forks_of_one_warm_zygote() -> None:
    pool().warm(2)
    zygote = pool().zygote_pid
    assert zygote is not None and pool().pids()
    assert all(_parent(pid) == zygote for pid in pool().pids())
    assert _parent(zygote) == os.getpid()


@needs_zygote
def test_a_killed_worker_is_replaced_from_the_zygote_in_milliseconds() -> None:
    """A fork of the warm zygote needs no imports: the replacement is idle long before a fresh start (~1-5 s)."""
    pool().warm(2)
    before = len(pool().pids())
    start = time.perf_counter()
    with pytest.raises(WorkerTimeout):
        pool().call({"op": "sleep", "seconds": 30}, timeout=0.05)
    while len(pool().pids()) < before and time.perf_counter() - start < 30:
        time.sleep(0.005)
    assert len(pool().pids()) == before
    assert time.perf_counter() - start < 1.0
    assert check_math_answer(G.expression(r"2+\sqrt{7}"), r"\sqrt{7}+2").reward == 1


@needs_zygote
def test_a_dead_zygote_is_replaced_by_the_next_start() -> None:
    old = pool().zygote_pid
    assert old is not None
    os.kill(old, signal.SIGKILL)
    with pytest.raises(WorkerTimeout):  # kills a worker: its replacement needs a new zygote
        pool().call({"op": "sleep", "seconds": 30}, timeout=0.05)
    deadline = time.monotonic() + 60
    while len(pool().pids()) < 2 and time.monotonic() < deadline:  # the replacement starts in the background
        time.sleep(0.02)
    assert pool().zygote_pid not in (None, old)
    assert any(_parent(pid) == pool().zygote_pid for pid in pool().pids())  # the survivor was orphaned; the new one is a fork
    assert check_math_answer(G.expression(r"3+\sqrt{7}"), r"\sqrt{7}+3").reward == 1


def test_without_fd_passing_each_worker_starts_on_its_own() -> None:
    from vrgym.verifiers.math.worker import WorkerPool

    own = WorkerPool(size=1)
    own.fork_workers = False
    try:
        assert own.call({"op": "ping"}, timeout=5) == "pong"
        assert own.zygote_pid is None
        if os.path.isdir("/proc"):
            assert [_parent(pid) for pid in own.pids()] == [os.getpid()]
    finally:
        own.close()
    assert own.pids() == []
