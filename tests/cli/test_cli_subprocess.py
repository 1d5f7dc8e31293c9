"""The installed `vrgym` console script and `python -m vrgym`, run as real processes.

Toy templates reach a subprocess through `run_cli.py`, which imports them before calling
`vrgym.cli.main` — the same code path as the console script, with a plugin module loaded.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import vrgym
from vrgym.io import read_problems, read_verdicts

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).with_name("vrgym")
RUN_CLI = Path(__file__).with_name("run_cli.py")
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}


def run(*argv: object, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=timeout, env=ENV, cwd=REPO)


@pytest.fixture(scope="module")
def script() -> Path:
    if not SCRIPT.exists():
        pytest.skip(f"the vrgym console script is not installed next to {sys.executable}")
    return SCRIPT


def test_console_script_version_and_module_entry(script):
    for argv in ([script, "--version"], [sys.executable, "-m", "vrgym", "--version"]):
        done = run(*argv)
        assert (done.returncode, done.stdout.strip(), done.stderr) == (0, f"vrgym {vrgym.__version__}", "")


def test_console_script_errors_are_one_line(script, tmp_path):
    done = run(script, "generate", "NoSuchTask", "-n", 1, "-o", tmp_path / "p.jsonl")
    assert done.returncode == 2
    assert done.stderr.startswith("vrgym: error: unknown task 'NoSuchTask'") and done.stderr.count("\n") == 1
    done = run(script, "verify", tmp_path / "nope.jsonl", tmp_path / "r.jsonl", "-o", tmp_path / "v.jsonl")
    assert (done.returncode, done.stderr) == (1, f"vrgym: error: {tmp_path / 'nope.jsonl'}: no such file; check the path\n")


def test_console_script_list_json(script):
    done = run(script, "list", "--json")
    assert done.returncode == 0, done.stderr
    assert isinstance(__import__("json").loads(done.stdout), list)


def test_generate_then_verify_in_subprocesses(tmp_path):
    problems, responses, verdicts = tmp_path / "p.parquet", tmp_path / "r.jsonl", tmp_path / "v.jsonl"
    done = run(sys.executable, RUN_CLI, "generate", "ToyEcho", "-n", 3, "--seed", 5, "-o", problems)
    assert done.returncode == 0, done.stderr
    lines = [f'{{"id": "{p.id}", "response": "\\\\boxed{{{p.answer}}}"}}' for p in read_problems(problems)]
    responses.write_text("\n".join(lines) + "\n")
    done = run(sys.executable, RUN_CLI, "verify", problems, responses, "-o", verdicts, "--workers", 2)
    assert done.returncode == 0, done.stderr
    assert [v["reward"] for v in read_verdicts(verdicts)] == [1, 1, 1]
    assert done.stdout.splitlines()[-1].split() == ["TOTAL", "3", "0", "1.000", "ok=3"]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX-only here")
def test_sigint_during_generate_leaves_a_named_partial_file(tmp_path):
    out = tmp_path / "p.jsonl"
    partial = tmp_path / "p.jsonl.partial"
    child = subprocess.Popen(
        [sys.executable, str(RUN_CLI), "generate", "ToySlow", "-n", "400", "-o", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=REPO,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while not (partial.exists() and partial.read_text().count("\n") >= 3):
        assert child.poll() is None and time.monotonic() < deadline, child.communicate()
        time.sleep(0.02)
    child.send_signal(signal.SIGINT)
    stdout, stderr = child.communicate(timeout=30)
    saved = read_problems(partial)
    assert child.returncode == 130, stderr
    assert stderr == f"vrgym: interrupted; {len(saved)} problems saved to {partial} ({out} was not written)\n"
    assert 3 <= len(saved) < 400
    assert [p.index for p in saved] == list(range(len(saved)))
    assert not out.exists()
