"""The vrgym pytest plugin, loaded automatically through the `pytest11` entry point.

Three ways to hold templates to the contract from any pytest run:

* `--vrgym-contract=NAME[,NAME…]|all` adds one test item per (registered template, check),
  named `vrgym-contract[<Template>-<check>]`; `--vrgym-contract-seeds=N` sets seeds per level.
  Templates registered by conftest files or test modules count: names resolve after collection.
* the `vrgym_contract` fixture returns `check(template, **run_contract_kwargs)`, which runs
  `assert_contract` — for third parties with templates they do not register.
* every `*.golden.jsonl` file in the collected directories becomes one test item per line
  (see `vrgym.testing.golden`).

Failures print the contract report or the golden case, not a traceback into vrgym internals.
Everything vrgym-specific is imported lazily, so loading the plugin costs little.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from vrgym.testing.golden import GoldenLine
    from vrgym.testing.report import ContractReport

OPTION = "--vrgym-contract"
SEEDS_OPTION = "--vrgym-contract-seeds"


class VrgymCheckFailed(Exception):
    """Raised by vrgym items; its message is the whole human-readable failure."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vrgym", "vrgym template contract")
    group.addoption(
        OPTION,
        action="append",
        default=[],
        metavar="NAME[,NAME...]|all",
        help="add vrgym contract tests for these registered templates (comma-separated, repeatable; 'all' for every one)",
    )
    group.addoption(
        SEEDS_OPTION,
        type=int,
        default=None,
        metavar="N",
        help="seeds per difficulty level for vrgym contract tests and the vrgym_contract fixture (default 20)",
    )


# ------------------------------------------------------------------------------- contract items


def requested_templates(values: list[str]) -> list[str]:
    """Canonical names from the option values ('all' = every registered template); UsageError if unknown."""
    from vrgym.errors import UnknownTaskError
    from vrgym.registry import resolve_name, template_names

    names = [n.strip() for value in values for n in value.split(",") if n.strip()]
    if "all" in names:
        return template_names()
    try:
        return list(dict.fromkeys(resolve_name(n) for n in names))
    except UnknownTaskError as exc:
        raise pytest.UsageError(f"{OPTION}: {exc}") from None


@pytest.hookimpl(tryfirst=True)  # before -k/-m/--deselect filter the items
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    values = config.getoption("vrgym_contract")
    if not values:
        return
    from vrgym.testing.contract import CHECK_NAMES

    for task in requested_templates(values):
        for check in CHECK_NAMES:
            name = f"vrgym-contract[{task}-{check}]"
            items.append(ContractItem.from_parent(session, name=name, nodeid=name, task=task, check=check))


class ContractItem(pytest.Item):
    """One contract check of one registered template."""

    def __init__(self, *, task: str, check: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.task, self.check = task, check

    def runtest(self) -> None:
        from vrgym.testing.contract import run_contract

        seeds = self.config.getoption("vrgym_contract_seeds")
        report = run_contract(self.task, checks=[self.check], **({"seeds": seeds} if seeds else {}))
        raise_or_skip(report, self.check)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str | Any:
        if isinstance(excinfo.value, VrgymCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"vrgym contract: {self.task} [{self.check}]"


def raise_or_skip(report: ContractReport, check: str) -> None:
    """Fail with the report, skip when the check could not run, pass otherwise."""
    if not report.ok:
        raise VrgymCheckFailed(report.summary())
    if check in report.skipped:
        pytest.skip(f"{report.template} [{check}]: {report.skipped[check]}")


# ------------------------------------------------------------------------------- fixture


@pytest.fixture
def vrgym_contract(request: pytest.FixtureRequest) -> Callable[..., ContractReport]:
    """`vrgym_contract(template, **kwargs)` runs `assert_contract` on a Template, class or registered name.

    Keyword arguments go to `run_contract` (seeds, difficulties, time_limit, check_gym, checks …);
    it returns the report when every check passed and raises AssertionError with the report otherwise.
    """
    seeds = request.config.getoption("vrgym_contract_seeds")

    def check(template: Any, **kwargs: Any) -> ContractReport:
        __tracebackhide__ = True
        from vrgym.testing.contract import assert_contract

        if seeds:
            kwargs.setdefault("seeds", seeds)
        return assert_contract(template, **kwargs)

    return check


# ------------------------------------------------------------------------------- golden files


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    from vrgym.testing.golden import GOLDEN_SUFFIX

    if file_path.name.endswith(GOLDEN_SUFFIX):
        return GoldenFile.from_parent(parent, path=file_path)
    return None


class GoldenFile(pytest.File):
    """A `*.golden.jsonl` file: one item per non-blank line."""

    def collect(self) -> Iterator[GoldenItem]:
        from vrgym.testing.golden import load_golden

        for line in load_golden(self.path):
            label = line.case.task if line.case is not None else "malformed"
            yield GoldenItem.from_parent(self, name=f"line{line.lineno}-{label}", line=line)


class GoldenItem(pytest.Item):
    """One golden case: the verdict of its response must match the expected reward (and reason)."""

    def __init__(self, *, line: GoldenLine, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.line = line

    def runtest(self) -> None:
        from vrgym.testing.golden import check_golden_line

        failure = check_golden_line(self.line)
        if failure:
            raise VrgymCheckFailed(failure)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str | Any:
        if isinstance(excinfo.value, VrgymCheckFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        note = f" — {self.line.case.note}" if self.line.case is not None else ""
        return self.path, self.line.lineno - 1, f"golden case {self.path.name}:{self.line.lineno}{note}"
