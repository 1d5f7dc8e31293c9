"""The docs stay true: each page's code blocks run, in order, in a fresh process and directory.

Block info strings:

* ```` ```python ```` — executed (all blocks of a page share one script, in order);
* ```` ```python file=NAME ```` (or any language with ``file=NAME``) — written to NAME first, as the
  reader would save it;
* ```` ```sh run ```` — each line run as a command (``python`` is this interpreter); must exit 0;
* anything else (```` ```python no-run ````, ```` ```sh ````, ```` ```yaml ````) — shown only, but
  ``vrgym …`` lines of shell blocks must still parse with the real CLI.

Pages run in a subprocess (the guide in one of its own), each in its own directory and namespace,
so templates a page registers (the guide's SortWords) never leak into other tests.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from vrgym.cli import build_parser

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = ["index.md", "write_a_template.md", "math.md", "logic.md", "instruction.md", "filter.md", "mixtures.md"]
FENCE = re.compile(r"^```([\w-]*)([^\n]*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    language: str
    options: str
    code: str

    @property
    def file(self) -> str | None:
        match = re.search(r"\bfile=(\S+)", self.options)
        return match.group(1) if match else None

    @property
    def runs(self) -> bool:
        if self.file or "no-run" in self.options:
            return False
        return self.language == "python" or (self.language in ("sh", "bash") and "run" in self.options.split())


def blocks(page: str) -> list[Block]:
    """Every fenced block of `page`, in order."""
    return [Block(m.group(1), m.group(2).strip(), m.group(3)) for m in FENCE.finditer((DOCS / page).read_text())]


def driver(page: str) -> str:
    """A Python script doing what a reader of `page` does: save the files, run the code and commands."""
    lines = ["import subprocess, sys", "from pathlib import Path", ""]
    for block in blocks(page):
        if block.file:
            lines.append(f"Path({block.file!r}).write_text({block.code!r})")
        elif block.runs and block.language == "python":
            lines.append(block.code)
        elif block.runs:
            for command in filter(None, (line.strip() for line in block.code.splitlines())):
                argv = [sys.executable if word == "python" else word for word in shlex.split(command)]
                lines.append(f"_done = subprocess.run({argv!r}, capture_output=True, text=True)")
                lines.append("print(_done.stdout, _done.stderr, sep='\\n')")
                lines.append("_done.check_returncode()")
    return "\n".join(lines) + "\n"


def test_every_page_has_its_blocks_closed_and_a_runnable_example():
    for page in PAGES:
        text = (DOCS / page).read_text()
        assert text.count("```") % 2 == 0, f"{page}: an unclosed code fence"
        assert any(block.runs for block in blocks(page)), f"{page}: no runnable example"


GUIDE = "write_a_template.md"


def run_scripts(scripts: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run each page's script in its own directory and namespace, all in one fresh process.

    One process for several pages saves the ~3 s start-up of importing every template per page;
    the process still keeps whatever a page registers away from the pytest session.
    """
    runner = ["import os, runpy, sys"]
    for page, script in scripts.items():
        folder = tmp_path / page.removesuffix(".md")
        folder.mkdir()
        (folder / "_doc_driver.py").write_text(script)
        runner += [
            f"os.chdir({str(folder)!r}); sys.path.insert(0, {str(folder)!r})",
            f"print('=== page', {page!r}, flush=True)",
            f"runpy.run_path({str(folder / '_doc_driver.py')!r}, run_name='__main__')",
            "sys.path.pop(0)",
        ]
    (tmp_path / "_runner.py").write_text("\n".join(runner) + "\n")
    return subprocess.run([sys.executable, str(tmp_path / "_runner.py")], cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)


def test_domain_pages_code_runs(tmp_path):
    done = run_scripts({page: driver(page) for page in PAGES if page != GUIDE}, tmp_path)
    failed = done.stdout.rsplit("=== page", 1)[-1].split("\n", 1)[0] if done.returncode else ""
    assert done.returncode == 0, f"{failed}: its code failed\n--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"


def test_guide_code_runs_to_a_passing_contract(tmp_path):
    done = run_scripts({GUIDE: driver(GUIDE)}, tmp_path)
    assert done.returncode == 0, f"--- stdout\n{done.stdout[-3000:]}\n--- stderr\n{done.stderr[-3000:]}"
    assert re.search(r"\b6 passed\b", done.stdout), done.stdout[-3000:]  # the contract test + 5 golden cases ran


def test_documented_commands_parse():
    parser = build_parser()
    for page in PAGES:
        for block in blocks(page):
            if block.language not in ("sh", "bash"):
                continue
            text = block.code.replace("\\\n", " ")
            for line in text.splitlines():
                command = line.split("#", 1)[0].strip()
                if command.startswith("vrgym "):
                    parser.parse_args(shlex.split(command)[1:])
