"""The pytest plugin, exercised through real pytest sessions (`pytester`), and vrgym's own golden files.

Each session gets a conftest that registers the toy templates it needs and unregisters them at
the end, so nothing leaks into this process's registry. The sessions show that `--vrgym-contract`
fails on a broken template and passes on a good one, that the `vrgym_contract` fixture does the
same for unregistered templates, and that golden files report wrong expectations and malformed
lines with their line numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import vrgym
from vrgym.testing.contract import CHECK_NAMES
from vrgym.testing.golden import (
    GoldenCaseError,
    GoldenLine,
    check_golden_line,
    iter_golden_files,
    load_golden,
    parse_golden_line,
)

GOLDEN_DIR = Path(__file__).parent / "golden"

CONFTEST = """
from vrgym.registry import register, unregister
from vrgym.testing.toys import ToyAddition, GoldAnywhere

TOYS = (ToyAddition, GoldAnywhere)

def pytest_configure(config):
    for toy in TOYS:
        register(toy)

def pytest_unconfigure(config):
    for toy in TOYS:
        unregister(toy.name)
"""


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """An in-process session; hypothesis's plugin is left out (it re-imports hypothesis every session: +2.5 s)."""
    return pytester.runpytest("-p", "no:hypothesispytest", *args)


@pytest.fixture
def session(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    return pytester


def test_contract_option_fails_on_a_broken_template(session: pytest.Pytester) -> None:
    result = run(session, "--vrgym-contract=GoldAnywhere", "--vrgym-contract-seeds=3")
    result.assert_outcomes(passed=len(CHECK_NAMES) - 1, failed=1)
    result.stdout.fnmatch_lines([
        "vrgym contract: GoldAnywhere v0 FAILED 1 of 1 checks (gauntlet)*",
        "[[]gauntlet[]] seed=0 level=easy case=*an adversarial response scored 1*",
        "FAILED vrgym-contract[[]GoldAnywhere-gauntlet[]] - *",
    ])
    assert "Traceback" not in result.stdout.str()


def test_contract_option_passes_on_a_good_template(session: pytest.Pytester) -> None:
    result = run(session, "--vrgym-contract=ToyAddition", "--vrgym-contract-seeds=3", "-v")
    result.assert_outcomes(passed=len(CHECK_NAMES))
    result.stdout.fnmatch_lines([f"*vrgym-contract?ToyAddition-{check}? PASSED*" for check in CHECK_NAMES])


def test_contract_option_all_and_comma_lists_collect_one_item_per_template_and_check(session: pytest.Pytester) -> None:
    every = run(session, "--vrgym-contract=all", "--collect-only", "-q")
    names = [*vrgym.template_names(), "GoldAnywhere", "ToyAddition"]
    every.stdout.fnmatch_lines_random([f"vrgym-contract?{name}-{check}?" for name in names for check in CHECK_NAMES])
    listed = run(session, "--vrgym-contract=toy_addition,GoldAnywhere", "--collect-only", "-q")
    assert listed.stdout.str().count("vrgym-contract[") == 2 * len(CHECK_NAMES)


def test_contract_items_obey_keyword_selection(session: pytest.Pytester) -> None:
    result = run(session, "--vrgym-contract=ToyAddition", "--vrgym-contract-seeds=2", "-k", "reference")
    result.assert_outcomes(passed=1)


def test_unknown_template_is_a_usage_error_with_suggestions(session: pytest.Pytester) -> None:
    result = run(session, "--vrgym-contract=ToyAdition")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--vrgym-contract: unknown task 'ToyAdition'. Did you mean: ToyAddition*"])


def test_fixture_checks_unregistered_templates(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        from vrgym.testing.toys import ToyAddition, WrongReference

        def test_good(vrgym_contract):
            report = vrgym_contract(ToyAddition(), seeds=3)
            assert report.ok and "gym" in report.skipped

        def test_broken(vrgym_contract):
            vrgym_contract(WrongReference(), seeds=3, checks=["reference"])
        """
    )
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*AssertionError: vrgym contract: WrongReference v0 FAILED 1 of 1 checks (reference)*",
        "*[[]reference[]] seed=0 level=easy: the reference response did not score 1*",
    ])


GOLDEN_LINES = [
    '{"task": "ToyAddition", "seed": 1, "response": "{reference}", "reward": 1, "reason": "ok", "note": "reference"}',
    '{"task": "ToyAddition", "seed": 1, "difficulty": "hard", "response": "\\\\boxed{{answer}} \\\\boxed{7}", "reward": 0, '
    '"reason": "hack:multiple_answers", "note": "hedging"}',
    "",
    '{"task": "ToyAddition", "seed": 2, "response": "{answer}", "reward": 1, "note": "wrong expectation on purpose"}',
    '{"task": "ToyAddition", "response": "x", "reward": 0, "note": "broken JSON",',
    '{"task": "ToyAddition", "response": "x", "reward": 0}',
    '{"task": "ToyAddition", "response": "x", "reward": 0, "rewrd": 1, "note": "typo"}',
    '{"task": "NoSuchTask", "response": "x", "reward": 0, "note": "unknown task"}',
]


def test_golden_file_items(session: pytest.Pytester) -> None:
    session.makefile(".golden.jsonl", cases="\n".join(GOLDEN_LINES))
    result = run(session, "-v")
    result.assert_outcomes(passed=2, failed=5)
    result.stdout.fnmatch_lines_random([
        "*cases.golden.jsonl::line1-ToyAddition PASSED*",
        "*cases.golden.jsonl::line2-ToyAddition PASSED*",
        "*cases.golden.jsonl:4: ToyAddition seed=2 index=0: expected reward 1, got reward 0 with reason 'no_answer'",
        "*note:     wrong expectation on purpose",
        "*cases.golden.jsonl:5: malformed golden case: not valid JSON*",
        "*cases.golden.jsonl:6: malformed golden case: missing field 'note' (say why this case exists)",
        "*cases.golden.jsonl:7: malformed golden case: unknown field 'rewrd'; allowed fields: task, seed, *",
        "*cases.golden.jsonl:8: NoSuchTask seed=0 index=0: could not run the case: UnknownTaskError: unknown task 'NoSuchTask'*",
    ])


def test_golden_line_validation_messages() -> None:
    with pytest.raises(GoldenCaseError, match="reward 1 contradicts reason 'wrong_answer'"):
        parse_golden_line('{"task": "T", "response": "", "reward": 1, "reason": "wrong_answer", "note": "n"}')
    with pytest.raises(GoldenCaseError, match="expected a JSON object, got list"):
        parse_golden_line("[1, 2]")
    with pytest.raises(GoldenCaseError, match="reward: Input should be 0 or 1"):
        parse_golden_line('{"task": "T", "response": "", "reward": 2, "note": "n"}')


@pytest.mark.parametrize(
    "line",
    [line for path in iter_golden_files(GOLDEN_DIR) for line in load_golden(path)],
    ids=lambda line: f"{line.path.name}:{line.lineno}",
)
def test_vrgym_golden_cases(line: GoldenLine) -> None:
    failure = check_golden_line(line)
    assert failure is None, failure
