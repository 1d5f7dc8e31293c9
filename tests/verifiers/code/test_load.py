"""The code verifier on a busy machine: per-test limits count CPU time, infrastructure failures are not 0s,
and large inputs generated inside the sandbox.

Why these: a training node is loaded; a wall-clock per-test limit then scores correct code as a timeout,
and a fork refused because the pids limit is full (others' processes under RLIMIT_NPROC) left no result
record, which read as the program's runtime error. Both are false negatives, not the model's fault.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from vrgym.sandbox import ExecResult, ExecStatus
from vrgym.verifiers.code import CodeSpec, check_code, driver
from vrgym.verifiers.code.check import build_job, judge

SPECS = {
    "call": CodeSpec(kind="call", entry_point="f", tests=[{"args": [1], "expected": 1}]),
    "stdio": CodeSpec(kind="stdio", tests=[{"stdin": "1\n", "expected": "1\n"}]),
    "script": CodeSpec(kind="script", entry_point="f", script="assert f(1) == 1\n"),
}
NO_FORK = (
    "import os, sys\n"
    "def refuse():\n"
    "    raise BlockingIOError(11, 'Resource temporarily unavailable')\n"
    "os.fork = refuse\n"
    "sys.argv = ['driver.py']\n"
    "exec(compile(open('driver.py').read(), 'driver.py', 'exec'), {'__name__': '__main__'})\n"
)


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_a_refused_fork_before_the_candidate_ran_is_a_sandbox_error(kind: str, tmp_path: Path) -> None:
    spec = SPECS[kind]
    nonce = secrets.token_hex(8)
    job = build_job("print(input())" if kind == "stdio" else "def f(x):\n    return x\n", spec, nonce)
    for name, text in job.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", "-S", "-c", NO_FORK], cwd=tmp_path, input=job.stdin,
                          capture_output=True, text=True, timeout=60, check=False)
    result = ExecResult(status=ExecStatus.OK, exit_code=done.returncode, signal=None, stdout=done.stdout,
                        stderr=done.stderr, truncated=False, wall_seconds=0.1)
    verdict = judge(result, spec, nonce)
    assert (verdict.reward, verdict.reason) == (0, "sandbox_error"), (verdict, done.stderr)
    assert "could not start the candidate" in verdict.detail


CLOCK = """
import json, os, sys, time
from vrgym.verifiers.code import driver

busy = sys.argv[1] == "busy"
pid = os.fork()
if pid == 0:
    end = time.monotonic() + 5
    while time.monotonic() < end:
        if not busy:
            time.sleep(0.05)
    os._exit(0)
started = time.monotonic()
clock = driver.TestClock(0.2, started + 60)
while clock.remaining() > 0:
    time.sleep(0.01)
print(json.dumps({"elapsed": time.monotonic() - started, "used": driver.children_cpu()}))
os.kill(pid, 9)
os.waitpid(pid, 0)
"""


@pytest.mark.parametrize("busy", [True, False], ids=["busy", "sleeping"])
def test_the_per_test_clock_counts_cpu_time_and_ends_sleepers_at_the_limit(busy: bool) -> None:
    if not Path("/proc/self/task").is_dir():
        pytest.skip("needs /proc")
    # In a fresh process: the clock measures all children, and this one may have a sandbox server as a child.
    done = subprocess.run([sys.executable, "-c", CLOCK, "busy" if busy else "sleep"], capture_output=True, text=True, timeout=60, check=True)
    measured = json.loads(done.stdout)
    elapsed, used, cap = measured["elapsed"], measured["used"] or 0.0, driver.LOAD_SLACK * 0.2
    assert 0.19 <= elapsed < cap + 0.5, measured
    if busy:  # over once the child used 0.2 s of CPU (later than 0.2 s of wall time on a loaded machine), or at the cap
        assert used >= 0.19 or elapsed >= cap - 0.01, measured
    else:  # a sleeper makes no progress: over at most IDLE_SECONDS after the limit, long before the cap
        assert elapsed < 0.2 + driver.IDLE_SECONDS + 0.3 < cap and used < 0.19, measured


GENERATOR = "import random\nrng = random.Random(7)\nvalue = [rng.choices(range(-9, 10), k=50_000)]\n"


def test_generated_inputs_are_built_in_the_sandbox_and_judged_outside() -> None:
    values = driver.generated(GENERATOR)[0]
    spec = CodeSpec(kind="call", entry_point="f", tests=[{"args": [[1, 2]], "expected": 3}, {"generator": GENERATOR, "expected": sum(values)}])
    assert len(spec.model_dump_json()) < 1000  # the 50 000 numbers are not in the problem
    assert check_code("def f(v):\n    return sum(v)\n", spec).reward == 1
    wrong = check_code("def f(v):\n    return sum(v) + (len(v) > 2)\n", spec)
    assert (wrong.reward, wrong.reason) == (0, "wrong_answer")
    stdio = CodeSpec(kind="stdio", tests=[{"generator": "value = ' '.join(map(str, range(10 ** 5)))\n", "expected": f"{sum(range(10**5))}\n"}])
    assert check_code("print(sum(map(int, input().split())))", stdio).reward == 1


def test_a_broken_generator_is_the_problem_s_fault_and_a_test_has_one_input_source() -> None:
    broken = CodeSpec(kind="call", entry_point="f", tests=[{"generator": "value = 1 / 0", "expected": 1}])
    verdict = check_code("def f():\n    return 1\n", broken)
    assert (verdict.reward, verdict.reason) == (0, "verifier_error") and "ZeroDivisionError" in verdict.detail
    not_a_list = CodeSpec(kind="call", entry_point="f", tests=[{"generator": "value = 'x'", "expected": 1}])
    assert check_code("def f(x):\n    return 1\n", not_a_list).reason == "verifier_error"
    with pytest.raises(ValidationError, match="not both"):
        CodeSpec(kind="call", entry_point="f", tests=[{"args": [1], "generator": "value = [1]", "expected": 1}])
    with pytest.raises(ValidationError, match="not both"):
        CodeSpec(kind="stdio", tests=[{"stdin": "1", "generator": "value = '1'", "expected": "1"}])
