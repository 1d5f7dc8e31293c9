"""`run_contract` and `assert_contract`: hold one template to the rules in DESIGN.md.

    report = run_contract("Arithmetic")           # every check, 20 seeds × every level
    report = run_contract(MyTemplate(), checks=["gauntlet"], seeds=5)
    assert_contract("MorseDecode")                # AssertionError with a readable report

The checks themselves live in `vrgym.testing.checks` (one function per rule); this module resolves
the template and settings, runs the selected checks with shared caches, and never lets a crash
inside a check hide the other results: it becomes a failure of that check.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Sequence

from vrgym.template import Template
from vrgym.testing.checks import CHECKS
from vrgym.testing.context import ContractRun, Settings
from vrgym.testing.report import ContractReport, merge_checks

CHECK_NAMES: tuple[str, ...] = tuple(CHECKS)


def resolve_template(template: Template | type[Template] | str) -> Template:
    """A template instance from an instance, a Template subclass, or a registered name."""
    if isinstance(template, Template):
        return template
    if isinstance(template, type) and issubclass(template, Template):
        return template()
    if isinstance(template, str):
        from vrgym.registry import get_template

        return get_template(template)
    raise TypeError(f"expected a Template, a Template subclass or a registered name, got {type(template).__name__}")


def resolve_levels(template: Template, difficulties: Sequence[str | int] | str | int | None) -> tuple[str, ...]:
    """Level names to test (all when None), easiest first, validated against the template's Config."""
    names = template.Config.level_names()
    if difficulties is None:
        return tuple(names)
    if isinstance(difficulties, (str, int)):
        difficulties = [difficulties]
    chosen = {template.Config.level_name(d) for d in difficulties}
    return tuple(n for n in names if n in chosen)


def run_contract(
    template: Template | type[Template] | str,
    *,
    seeds: int = 20,
    difficulties: Sequence[str | int] | str | int | None = None,
    time_limit: float = 2.0,
    check_gym: bool = True,
    checks: Sequence[str] | str | None = None,
    gauntlet_seeds: int = 3,
    hang_limit: float = 120.0,
) -> ContractReport:
    """Run the contract checks (all, or those named in `checks`) on `template` and report.

    `seeds` problems per difficulty level (all levels unless `difficulties` names some) face the
    reference, determinism, JSON and cross-process checks; the first `gauntlet_seeds` of them per
    level face the adversarial gauntlet. Every verify call must finish within `time_limit` seconds;
    one still running after `hang_limit` seconds ends the process with its stack (it cannot be
    interrupted otherwise).
    """
    if seeds < 2:
        raise ValueError("run_contract needs seeds >= 2 (other problems' answers are part of the gauntlet)")
    instance = resolve_template(template)
    selected = merge_checks(checks, CHECK_NAMES)
    settings = Settings(
        seeds=seeds,
        difficulties=resolve_levels(instance, difficulties),
        time_limit=time_limit,
        check_gym=check_gym,
        gauntlet_seeds=gauntlet_seeds,
        hang_limit=hang_limit,
    )
    run = ContractRun(instance, settings)
    for name in selected:
        run.check = name
        start = time.perf_counter()
        try:
            CHECKS[name](run)
        except Exception as exc:  # noqa: BLE001  (a crash is reported as this check's failure)
            where = traceback.extract_tb(exc.__traceback__)[-1]
            run.fail(f"the check crashed: {type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})")
        run.report.seconds[name] = time.perf_counter() - start
        run.report.checks_run.append(name)
    return run.report


def assert_contract(template: Template | type[Template] | str, **kwargs: object) -> ContractReport:
    """`run_contract`, raising AssertionError with the readable report when any check fails."""
    report = run_contract(template, **kwargs)  # type: ignore[arg-type]
    if not report.ok:
        raise AssertionError(report.summary())
    return report
