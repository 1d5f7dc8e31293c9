"""Fixtures of the CLI tests: toy templates registered per test, and `cli` to run `vrgym.cli.main` in-process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.cli import cli_toys
import pytest

from vrgym.cli import main
from vrgym.registry import template_names, unregister

TOY_NAMES = tuple(cls.name for cls in cli_toys.TOYS)


@pytest.fixture(autouse=True)
def toys() -> Iterator[tuple[str, ...]]:
    """Register the toy templates for one test and remove them afterwards."""
    cli_toys.register_toys()
    yield TOY_NAMES
    for name in TOY_NAMES:
        if name in template_names():
            unregister(name)


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self) -> object:
        return json.loads(self.out)

    def assert_one_line_error(self, code: int | None = None, contains: str = "") -> str:
        """The run failed with exactly one `vrgym: error:` line on stderr and no traceback."""
        assert self.code != 0
        if code is not None:
            assert self.code == code, self.err
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("vrgym: error: "), self.err
        assert "Traceback" not in self.err + self.out
        assert contains in lines[0], lines[0]
        return lines[0]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """`cli("generate", …)` runs the CLI in-process and returns a `Result`."""

    def run(*argv: object) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def write_jsonl():
    """`write_jsonl(path, records)` writes one JSON object per line and returns the path."""

    def write(path: Path, records: list[dict[str, object]]) -> Path:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        return path

    return write
