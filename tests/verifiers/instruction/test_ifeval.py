"""The 25 IFEval constraint kinds: agreement with IFEval's published semantics, constructive
references, conflicts, sampling, loading IFEval rows, and totality on junk input.

`ifeval_cases.jsonl` holds (instruction id, kwargs, response, expected) cases written from
IFEval's instruction definitions, with passing and failing responses for every type; where our
checker deliberately differs from IFEval (language detection fails closed), the case says so.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from vrgym.verifiers.instruction import (
    Constraint,
    ConstraintCheck,
    ConstraintError,
    ResponseDraft,
    compatible,
    constraint_kinds,
    get_constraint_kind,
    load_ifeval_row,
    realise_all,
)

from tests.verifiers.instruction.constraint_helpers import assert_total_and_fast, load_cases

CASES_FILE = Path(__file__).with_name("ifeval_cases.jsonl")
CASES = load_cases(CASES_FILE)

IFEVAL_IDS = {
    "keywords:existence", "keywords:frequency", "keywords:forbidden_words", "keywords:letter_frequency",
    "language:response_language", "length_constraints:number_sentences", "length_constraints:number_paragraphs",
    "length_constraints:number_words", "length_constraints:nth_paragraph_first_word",
    "detectable_content:number_placeholders", "detectable_content:postscript",
    "detectable_format:number_bullet_lists", "detectable_format:constrained_response",
    "detectable_format:number_highlighted_sections", "detectable_format:multiple_sections",
    "detectable_format:json_format", "detectable_format:title", "combination:two_responses",
    "combination:repeat_prompt", "startend:end_checker", "change_case:capital_word_frequency",
    "change_case:english_capital", "change_case:english_lowercase", "punctuation:no_comma", "startend:quotation",
}
IFEVAL_KINDS = [k for k in constraint_kinds() if k.ifeval]
TOPIC = ["home heating", "landlord", "repair"]


def make_draft() -> ResponseDraft:
    """A small base-task draft: a tenant's letter about a broken heater."""
    return ResponseDraft(
        TOPIC,
        [
            ["The heater in my flat has stopped working, and the nights are getting cold.",
             "It was reported by phone on Monday but nobody has come yet."],
            ["Please arrange a repair visit this week.", "Someone can be at home any afternoon."],
        ],
        spare=["A quick fix would help the whole household.", "Thank you for your attention to this matter."],
    )


# ---------------------------------------------------------------- validation set


def test_the_25_ifeval_kinds_are_registered_under_their_ids() -> None:
    assert {k.kind for k in IFEVAL_KINDS} == IFEVAL_IDS


def test_validation_set_covers_every_kind_with_passing_and_failing_responses() -> None:
    for kind in IFEVAL_IDS:
        outcomes = {case["expected"] for case in CASES if case["instruction_id"] == kind}
        assert outcomes == {True, False}, f"{kind} needs both a passing and a failing case"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['instruction_id']}-{i}" for i, c in enumerate(CASES)])
def test_checker_agrees_with_ifeval_definition(case: dict) -> None:
    (constraint,) = load_ifeval_row([case["instruction_id"]], [case["kwargs"]])
    result = constraint.check(case["response"])
    assert isinstance(result, ConstraintCheck)
    assert result.ok is case["expected"], f"{case['note']}: {result.reason}"
    assert result.reason


# ---------------------------------------------------------------- constructive references


@pytest.mark.parametrize("kind", IFEVAL_KINDS, ids=lambda k: k.kind)
def test_realise_makes_every_sampled_constraint_pass(kind: type[Constraint]) -> None:
    for seed in range(12):
        constraint = kind.sample(random.Random(seed), edge=seed % 3 == 0)
        draft = make_draft()
        assert realise_all([constraint], draft), f"{constraint!r}: {constraint.check(draft.render()).reason}"
        text = draft.render().lower()
        assert any(term in text for term in TOPIC), f"{constraint!r} dropped the base task: {text[:200]!r}"


def test_realise_composes_for_random_compatible_sets() -> None:
    """Constraints drawn together (conflicts excluded) are realised together; a few over-tight
    count combinations may fail, which composers detect (they always check) and redraw."""
    tried = passed = 0
    for seed in range(150):
        rng = random.Random(seed)
        chosen: list[Constraint] = []
        for _ in range(rng.randint(2, 4)):
            candidate = rng.choice(IFEVAL_KINDS).sample(rng, edge=rng.random() < 0.3)
            if all(not candidate.conflicts_with(other) for other in chosen):
                chosen.append(candidate)
        if len(chosen) < 2:
            continue
        tried += 1
        draft = make_draft()
        ok = realise_all(chosen, draft)
        text = draft.render()
        assert ok == all(c.check(text).ok for c in chosen)
        passed += ok
    assert tried > 100
    assert passed / tried >= 0.97, f"only {passed}/{tried} compatible sets realised"


def test_draft_layout_renders_title_blocks_bullets_and_tail() -> None:
    draft = make_draft()
    draft.title = "Heating Repair"
    draft.blocks[-1].bullets = ["Monday works.", "Tuesday works."]
    draft.postscript = "P.S. Thanks."
    draft.end_phrase = "Any other questions?"
    text = draft.render()
    assert text.startswith("<<Heating Repair>>\nThe heater")
    assert "\n* Monday works.\n* Tuesday works.\n\nP.S. Thanks. Any other questions?" in text
    assert text.endswith("Any other questions?")


# ---------------------------------------------------------------- conflicts, sampling, phrasing


def test_conflicts_are_symmetric_and_follow_ifeval_examples() -> None:
    rng = random.Random(7)
    instances = [kind.sample(rng) for kind in IFEVAL_KINDS for _ in range(2)]
    for a in instances:
        for b in instances:
            assert a.conflicts_with(b) == b.conflicts_with(a), (a, b)
    json_format = get_constraint_kind("detectable_format:json_format")()
    assert not json_format.conflicts_with(get_constraint_kind("keywords:existence")({"keywords": ["tea"]}))
    assert json_format.conflicts_with(get_constraint_kind("punctuation:no_comma")())
    assert get_constraint_kind("detectable_format:constrained_response")().conflicts_with(json_format)


def test_parameter_level_conflicts() -> None:
    words = get_constraint_kind("length_constraints:number_words")
    assert words({"num_words": 50, "relation": "at least"}).conflicts_with(words({"num_words": 60, "relation": "less than"}))
    assert not words({"num_words": 50, "relation": "at least"}).conflicts_with(words({"num_words": 200, "relation": "less than"}))
    forbidden = get_constraint_kind("keywords:forbidden_words")({"forbidden_words": ["budget"]})
    assert forbidden.conflicts_with(get_constraint_kind("keywords:existence")({"keywords": ["budget"]}))
    assert not forbidden.conflicts_with(get_constraint_kind("keywords:existence")({"keywords": ["garden"]}))
    no_comma = get_constraint_kind("punctuation:no_comma")()
    assert no_comma.conflicts_with(get_constraint_kind("startend:end_checker")({"end_phrase": "Bye, friend."}))
    sections = get_constraint_kind("detectable_format:multiple_sections")({"section_spliter": "Section", "num_sections": 2})
    assert sections.conflicts_with(get_constraint_kind("change_case:english_lowercase")())
    assert not compatible([sections, get_constraint_kind("change_case:english_lowercase")()])


@pytest.mark.parametrize("kind", IFEVAL_KINDS, ids=lambda k: k.kind)
def test_sampling_is_deterministic_and_round_trips(kind: type[Constraint]) -> None:
    for seed in range(5):
        a, b = kind.sample(random.Random(seed)), kind.sample(random.Random(seed))
        assert a == b and hash(a) == hash(b)
        restored = Constraint.from_json(json.loads(json.dumps(a.to_json())))
        assert restored == a
        phrasings = a.phrasings()
        assert len(phrasings) >= 3 and len(set(phrasings)) == len(phrasings)
        assert all(isinstance(p, str) and p.strip() for p in phrasings)
        assert a.phrase(random.Random(seed)) in phrasings


def test_phrasings_carry_the_parameters() -> None:
    words = get_constraint_kind("length_constraints:number_words")({"num_words": 137, "relation": "at least"})
    assert all("137" in p for p in words.phrasings())
    keywords = get_constraint_kind("keywords:existence")({"keywords": ["lantern", "harbour"]})
    assert all("lantern" in p and "harbour" in p for p in keywords.phrasings())


# ---------------------------------------------------------------- loading IFEval rows


def test_load_row_as_written_by_datasets() -> None:
    """`datasets` gives every kwargs dict the union of all keys, unused ones set to None."""
    union = {"num_words": None, "relation": None, "keywords": None, "language": None, "end_phrase": None}
    rows = load_ifeval_row(
        ["length_constraints:number_words", "punctuation:no_comma", "keywords:existence"],
        [dict(union, num_words=20, relation="at least"), dict(union), dict(union, keywords=["tea"])],
    )
    assert [c.kind for c in rows] == ["length_constraints:number_words", "punctuation:no_comma", "keywords:existence"]
    assert rows[0].params.num_words == 20
    assert load_ifeval_row(["punctuation:no_comma"], [None])[0].kind == "punctuation:no_comma"
    assert load_ifeval_row(["punctuation:no_comma"])[0].kind == "punctuation:no_comma"


def test_load_row_errors_say_what_is_wrong() -> None:
    with pytest.raises(ConstraintError, match="did you mean 'punctuation:no_comma'"):
        load_ifeval_row(["no_comma"], [{}])
    with pytest.raises(ConstraintError, match="2 instruction ids but 1 kwargs"):
        load_ifeval_row(["punctuation:no_comma", "detectable_format:title"], [{}])
    with pytest.raises(ConstraintError, match="relation"):
        load_ifeval_row(["length_constraints:number_words"], [{"num_words": 5, "relation": "at most"}])
    with pytest.raises(ConstraintError, match="accepted parameters: num_words, relation"):
        get_constraint_kind("length_constraints:number_words")({"num_words": 5, "relation": "at least", "typo": 1})


# ---------------------------------------------------------------- totality and speed

JUNK = [
    "",
    "   \n\t ",
    "\x00\x01\xff\ufffe binary \udcff junk",
    "😀" * 1000,
    "*" * 5000,
    "<<" * 3000 + ">>" * 3000,
    "[" * 10_000,
    "{" * 100_000,
    "word " * 200_000,
    "Section 1 " * 50_000,
]


@pytest.mark.parametrize("kind", IFEVAL_KINDS, ids=lambda k: k.kind)
def test_checkers_never_raise_on_junk(kind: type[Constraint]) -> None:
    constraint = kind.sample(random.Random(3))
    assert_total_and_fast(constraint, JUNK)
    assert not constraint.check("").ok


def test_a_checker_bug_is_a_fail_not_a_crash() -> None:
    class Broken(Constraint):
        kind = "test_only:broken"
        family = "test"

        def evaluate(self, response: str) -> ConstraintCheck:
            raise RuntimeError("boom")

        def describe(self) -> list[str]:
            return ["a", "b", "c"]

        def realise(self, draft: ResponseDraft) -> None:
            return None

    from vrgym.verifiers.instruction import base

    try:
        result = Broken().check("text")
        assert not result.ok and "boom" in result.reason
    finally:
        base._REGISTRY.pop("test_only:broken", None)


def test_importing_the_package_is_light() -> None:
    code = (
        "import sys, vrgym.verifiers.instruction as i; "
        "print(sorted(m for m in ('langdetect', 'nltk', 'sympy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"
