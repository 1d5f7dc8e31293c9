"""Contract suite, golden cases and pytest plugin for vrgym templates.

The contract holds any template to the verifier rules of DESIGN.md: the reference response
scores 1, an adversarial gauntlet scores 0 without crashing, generation is deterministic across
processes, seeds are independent streams, problems survive JSON, the Gymnasium env passes
Gymnasium's checker, difficulty levels matter, and every verdict is binary.

    from vrgym.testing import run_contract, assert_contract
    print(run_contract("Arithmetic").summary())

The pytest plugin (`vrgym.testing.plugin`, loaded automatically) adds `--vrgym-contract=NAMES|all`,
the `vrgym_contract` fixture and collection of `*.golden.jsonl` files.
"""

from vrgym.testing.checks import (
    CHECKS,
    check_cross_process,
    check_determinism,
    check_gauntlet,
    check_gym,
    check_json,
    check_levels,
    check_reference,
    check_seeds,
    check_verdicts,
)
from vrgym.testing.contract import CHECK_NAMES, assert_contract, resolve_template, run_contract
from vrgym.testing.gauntlet import Attack, build_gauntlet
from vrgym.testing.report import ContractFailure, ContractReport

__all__ = [
    "CHECKS",
    "CHECK_NAMES",
    "Attack",
    "ContractFailure",
    "ContractReport",
    "assert_contract",
    "build_gauntlet",
    "check_cross_process",
    "check_determinism",
    "check_gauntlet",
    "check_gym",
    "check_json",
    "check_levels",
    "check_reference",
    "check_seeds",
    "check_verdicts",
    "resolve_template",
    "run_contract",
]
