"""The README's commands and examples work verbatim (so the docs cannot silently rot).

Every ```python block is run in a fresh interpreter; a block whose first line is `# test_*.py`
is written to that file and run with pytest; the main-job command of the set-up section and the
`vrgym …` lines of the CLI section are run in a scratch folder (the `pip install` lines are not:
the test runs inside that installation).
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.DOTALL)


def blocks(language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(README.read_text(encoding="utf-8")) if lang == language]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_python_examples(index: int, tmp_path: Path) -> None:
    code = blocks("python")[index]
    first = code.splitlines()[0]
    if re.fullmatch(r"# (test_\w+\.py)", first):
        (tmp_path / first[2:]).write_text(code, encoding="utf-8")
        result = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", first[2:]], tmp_path)
    else:
        result = run([sys.executable, "-c", code], tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_main_job_and_cli_examples(tmp_path: Path) -> None:
    commands = [line.strip() for body in blocks("bash") for line in body.splitlines()]
    main_job = [c for c in commands if c.startswith("vrgym generate all")]
    assert main_job, "the README must show the main job"
    for command in main_job:
        for part in command.split("&&"):
            result = run(shlex.split(part), tmp_path)
            assert result.returncode == 0, f"{part}\n{result.stderr[-3000:]}"
    # The CLI section verifies a responses file; make one from the generated problems.
    with (tmp_path / "problems.jsonl").open(encoding="utf-8") as problems, (tmp_path / "responses.jsonl").open("w") as out:
        for line in problems:
            out.write(json.dumps({"id": json.loads(line)["id"], "response": "\\boxed{0}"}) + "\n")
    for command in commands:
        if command.startswith("vrgym ") and not command.startswith("vrgym generate all"):
            argv = shlex.split(command.split("  #")[0])
            result = run(argv, tmp_path)
            assert result.returncode == 0, f"{command}\n{result.stderr[-3000:]}"
