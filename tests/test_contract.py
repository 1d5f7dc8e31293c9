"""The contract suite over every registered template, and proof that it fails loudly on broken ones.

`test_registered_template` is parametrized over `vrgym.template_names()` × every check, so a new
template is held to the contract the moment it is registered, and a failure names both. The rest
runs the suite on `vrgym.testing.toys`: the correct toy passes everything, and each deliberately
broken toy fails exactly the checks it is built to break.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import vrgym
from vrgym.registry import register, unregister
from vrgym.testing import CHECK_NAMES, ContractReport, assert_contract, build_gauntlet, run_contract
from vrgym.testing.gauntlet import Marker
from vrgym.testing.toys import (
    BROKEN_TOYS,
    GoldAnywhere,
    HashSeeded,
    SlowOnLongInput,
    ToyAddition,
    WrongReference,
)
from vrgym.verifiers.extraction import AnswerFormat

SEEDS = 20
"""Seeds per level for registered templates (the run_contract default): a few seconds per template."""
TOY_SEEDS = 6

ALSO_FAILS: dict[type, set[str]] = {WrongReference: {"gauntlet"}}
"""Checks a broken toy may fail besides its own: a wrong reference makes other problems' right answers look wrong."""


def passed_or_skipped(report: ContractReport, check: str) -> None:
    assert report.ok, report.summary()
    if check in report.skipped:
        pytest.skip(report.skipped[check])


# ------------------------------------------------------------------------------- every registered template


@pytest.mark.parametrize("check", CHECK_NAMES)
@pytest.mark.parametrize("task", vrgym.template_names())
def test_registered_template(task: str, check: str) -> None:
    passed_or_skipped(run_contract(task, checks=[check], seeds=SEEDS), check)


# ------------------------------------------------------------------------------- the toys


@pytest.fixture
def registered_toy() -> Iterator[str]:
    register(ToyAddition)
    yield ToyAddition.name
    unregister(ToyAddition.name)


def test_correct_toy_passes_every_check(registered_toy: str) -> None:
    report = assert_contract(registered_toy, seeds=TOY_SEEDS)
    assert report.checks_run == list(CHECK_NAMES)
    assert not report.skipped, report.summary()
    assert "passed 9 checks" in report.summary()


@pytest.mark.parametrize("toy", [t for t in BROKEN_TOYS if t is not SlowOnLongInput], ids=lambda t: t.__name__)
def test_broken_toy_fails_its_checks(toy: type[ToyAddition]) -> None:
    report = run_contract(toy(), seeds=TOY_SEEDS, check_gym=False)
    failed = set(report.failed_checks)
    assert toy.breaks <= failed, f"{toy.__name__} should fail {sorted(toy.breaks)}:\n{report.summary()}"
    assert failed <= toy.breaks | ALSO_FAILS.get(toy, set()), f"unexpected failures:\n{report.summary()}"


def test_slow_verifier_fails_the_time_bound() -> None:
    report = run_contract(SlowOnLongInput(), seeds=3, difficulties="easy", time_limit=0.2, checks=["gauntlet"])
    assert report.failed_checks == ["gauntlet"]
    assert all("every response must be judged within 0.2s" in f.detail for f in report.failures)
    assert {f.case for f in report.failures} >= {"near_limit_text", "near_limit_many_markers"}


def test_assert_contract_message_names_template_check_seed_level_response_and_verdict() -> None:
    with pytest.raises(AssertionError) as caught:
        assert_contract(GoldAnywhere(), seeds=3, checks=["gauntlet"], difficulties="easy")
    message = str(caught.value)
    assert message.startswith("vrgym contract: GoldAnywhere v0 FAILED 1 of 1 checks (gauntlet)")
    assert "[gauntlet] seed=0 level=easy case=" in message
    assert "an adversarial response scored 1" in message
    assert "response: " in message and "verdict:  reward=1 reason='ok'" in message
    assert "more failures of this check" in message  # grouped and capped, not a thousand lines


def test_failures_carry_the_evidence() -> None:
    report = run_contract(GoldAnywhere(), seeds=3, checks=["gauntlet"], difficulties="easy")
    padded = [f for f in report.failures if f.case == "padded_both"]
    assert padded and padded[0].seed == 0 and padded[0].difficulty == "easy"
    assert "lorem ipsum" in (padded[0].response or "")


def test_hash_seeded_generation_is_caught_only_across_processes() -> None:
    report = run_contract(HashSeeded(), seeds=3, checks=["determinism"], difficulties="easy")
    assert report.failed_checks == ["determinism"]
    assert all("fresh process (PYTHONHASHSEED=" in f.detail for f in report.failures), report.summary()


def test_template_defined_in_a_function_skips_cross_process_checks() -> None:
    class Local(ToyAddition):
        name = "LocalToy"

    report = run_contract(Local(), seeds=3, checks=["determinism", "cross_process"])
    assert report.ok, report.summary()
    assert set(report.skipped) == {"determinism", "cross_process"}
    assert "define it at module level" in report.skipped["cross_process"]


def test_template_defined_in_a_script_is_checked_across_processes(tmp_path) -> None:
    script = tmp_path / "my_template.py"
    script.write_text(
        "from vrgym.testing import run_contract\n"
        "from vrgym.testing.toys import ToyAddition\n"
        "class ScriptToy(ToyAddition):\n"
        "    name = 'ScriptToy'\n"
        "if __name__ == '__main__':\n"
        "    report = run_contract(ScriptToy(), seeds=2, checks=['determinism', 'cross_process'])\n"
        "    print(report.ok, sorted(report.skipped))\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert done.stdout.strip() == "True []", done.stdout + done.stderr


def test_unregistered_template_skips_gym_check() -> None:
    report = run_contract(ToyAddition(), seeds=2, checks=["gym"])
    assert report.ok and "not registered" in report.skipped["gym"]


# ------------------------------------------------------------------------------- run_contract arguments


def test_accepts_name_class_or_instance(registered_toy: str) -> None:
    for template in (registered_toy, ToyAddition, ToyAddition()):
        report = run_contract(template, seeds=2, checks=["reference"], difficulties=["hard", 0])
        assert report.ok and report.template == "ToyAddition" and report.checks_run == ["reference"]


def test_rejects_unknown_checks_and_levels() -> None:
    with pytest.raises(ValueError, match="unknown contract check"):
        run_contract(ToyAddition(), checks=["nope"])
    with pytest.raises(ValueError, match="unknown difficulty"):
        run_contract(ToyAddition(), difficulties=["impossible"])


def test_a_crashing_check_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(run: object) -> None:
        raise RuntimeError("bug in a check")

    monkeypatch.setitem(vrgym.testing.CHECKS, "seeds", boom)
    report = run_contract(ToyAddition(), seeds=2, checks=["seeds"])
    assert report.failed_checks == ["seeds"] and "the check crashed: RuntimeError: bug in a check" in report.summary()


# ------------------------------------------------------------------------------- the gauntlet itself


def _gauntlet(fmt: AnswerFormat = AnswerFormat.BOXED, others: list[tuple[str, str | None]] | None = None):
    template = ToyAddition()
    problem = template.generate(0, 0, difficulty="hard")
    reference = template.reference_response(problem)
    answer = str(problem.answer)
    return build_gauntlet(template, problem, reference, answer, others or [], heavy=True)


def test_gauntlet_is_deterministic_and_complete() -> None:
    first, second = _gauntlet(), _gauntlet()
    assert [(a.name, a.response) for a in first] == [(a.name, a.response) for a in second]
    names = {a.name for a in first}
    assert {
        "empty", "whitespace", "one_megabyte_text", "unicode_junk", "lone_surrogates", "rtl_marks", "control_bytes",
        "padded_both", "listed_or", "listed_comma", "answer_is_nothing", "reference_then_other_answer",
        "answer_in_prose", "reference_without_marker", "unterminated_marker", "empty_marker", "unclosed_think",
    } <= names
    assert len(next(a for a in first if a.name == "one_megabyte_text").response) == 1_000_000


def test_gauntlet_skips_other_answers_that_collide() -> None:
    template = ToyAddition()
    problem = template.generate(0, 0, difficulty="hard")
    answer = str(problem.answer)
    others = [(f"\\boxed{{{answer}}}", answer), ("\\boxed{-1}", "-1")]
    attacks = build_gauntlet(template, problem, template.reference_response(problem), answer, others, heavy=False)
    foreign = [a.response for a in attacks if a.name.startswith("other_problem_answer")]
    assert foreign == ["\\boxed{-1}"]


@pytest.mark.parametrize("fmt", list(AnswerFormat))
def test_marker_splits_every_answer_format(fmt: AnswerFormat) -> None:
    class Tagged(ToyAddition):
        answer_format = fmt

    marker = Marker.of(Tagged())
    assert marker.wrap("42") == fmt.wrap("42")
    assert bool(marker.opener and marker.closer) == bool(fmt.marker)  # a whole-response format has no marker


@settings(max_examples=60, deadline=None)
@given(reference=st.text(max_size=80), answer=st.one_of(st.none(), st.text(min_size=1, max_size=20)))
def test_gauntlet_builds_for_any_reference_and_answer(reference: str, answer: str | None) -> None:
    template = ToyAddition()
    problem = template.generate(random.Random(0).randint(0, 9), 0)
    attacks = build_gauntlet(template, problem, reference, answer, [("\\boxed{1}", "1")], heavy=False)
    assert attacks and all(a.name for a in attacks)


def test_a_hanging_verifier_ends_the_run_with_its_stack(tmp_path: Path) -> None:
    """A verify call that never returns cannot be interrupted; the watchdog names where it hangs."""
    script = tmp_path / "hangs.py"
    script.write_text(
        "from vrgym.testing import run_contract\n"
        "from vrgym.testing.toys import ToyAddition\n"
        "class Hangs(ToyAddition):\n"
        "    name = 'Hangs'\n"
        "    def check(self, problem, response):\n"
        "        if not response:\n"
        "            while True:  # the hanging line\n"
        "                pass\n"
        "        return super().check(problem, response)\n"
        "run_contract(Hangs, seeds=2, checks=['gauntlet'], hang_limit=2)\n",
        encoding="utf-8",
    )
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Timeout" in result.stderr and "in check" in result.stderr and "hangs.py" in result.stderr
