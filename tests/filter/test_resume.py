"""Kill-and-resume: a sampling process killed with SIGKILL, then resumed, yields every sample exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.filter.conftest import ScriptedModel, expected_c, make_problems
from vrgym.filter import FilterRun, Rule, StatsOptions
from vrgym.filter.checkpoint import read_log
from vrgym.models import SamplingParams

ROOT = Path(__file__).parents[2]
K = 6
CHILD = f"""
import sys
from tests.filter.conftest import ScriptedModel, make_problems
from vrgym.filter import FilterRun
from vrgym.models import SamplingParams

problems = make_problems(arith=20, game24=10)
model = ScriptedModel(problems, delay=0.02)
run = FilterRun.create(sys.argv[1], problems, model=model.describe(), params=SamplingParams(max_tokens=64), k={K})
run.sample(model)
"""


def _lines(path: Path) -> int:
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_mid_sampling_then_resume_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    root = tmp_path / "run"
    log = root / "samples.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(root)], cwd=ROOT, env=env, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while _lines(log) < 5 * K and time.monotonic() < deadline:
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else "child exited"
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    problems = make_problems(arith=20, game24=10)
    before = _lines(log)
    assert 5 * K <= before < K * len(problems), "the kill must land mid-sampling"
    with log.open("ab") as handle:  # what a kill inside a write leaves: a torn last line
        handle.write(b'{"problem": "torn", "sam')

    model = ScriptedModel(problems)
    run = FilterRun.create(root, problems, model=model.describe(), params=SamplingParams(max_tokens=64), k=K)
    report = run.sample(model)
    assert report.skipped >= before - K and report.done + report.skipped == K * len(problems)
    assert model.sampled == report.done  # only the missing samples were asked for
    run.score()
    records = list(read_log(log))
    keys = [(r["problem"], r["sample"]) for r in records]
    assert len(keys) == len(set(keys)) == K * len(problems)  # every (problem, sample) exactly once
    assert log.read_bytes().endswith(b"\n") and b"torn" not in log.read_bytes()
    rows = run.select(Rule(), StatsOptions()).rows
    assert [(row["n"], row["c"]) for row in rows] == [(K, expected_c(p, K)) for p in problems]


def test_interrupt_inside_the_consumer_keeps_what_was_written(tmp_path: Path) -> None:
    """A KeyboardInterrupt between results (Ctrl-C) closes the log cleanly; resuming completes the run."""
    problems = make_problems(arith=6, game24=0)
    seen = []

    def stop_after_two(count: int) -> None:
        seen.append(count)
        if len(seen) == 2:
            raise KeyboardInterrupt

    model = ScriptedModel(problems)
    run = FilterRun.create(tmp_path / "run", problems, model=model.describe(), params=SamplingParams(), k=3)
    with pytest.raises(KeyboardInterrupt):
        run.sample(model, on_progress=stop_after_two)
    assert len(list(read_log(tmp_path / "run" / "samples.jsonl"))) == 6
    assert run.sample(ScriptedModel(problems)).done == 12
