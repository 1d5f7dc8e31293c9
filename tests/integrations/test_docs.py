"""docs/integrations.md stays true: its final Python block runs and its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from vrgym.cli import build_parser

DOC = Path(__file__).resolve().parents[2] / "docs" / "integrations.md"


def test_the_runnable_block_runs():
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    exec(compile(blocks[-1], str(DOC), "exec"), {})  # noqa: S102 - our own documentation, not model output


def test_documented_commands_parse():
    parser = build_parser()
    for line in re.findall(
        r"^(vrgym (?:export|serve-reward) [^#\n]*)", DOC.read_text(), flags=re.MULTILINE
    ):
        parser.parse_args(line.split()[1:])
