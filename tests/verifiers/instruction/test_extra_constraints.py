"""Tests of the IFBench / open-instruct style constraint kinds (`verifiers/instruction/extra_*.py`).

* `extra_cases.jsonl`: hand-written (kind, params, response, expected) cases, a passing and a
  failing response per kind at least, with the expectation taken from the kind's definition.
* The contract of every kind: id form, pydantic params, ≥ 3 filled phrasings, JSON round trip,
  symmetric conflicts, a total checker (junk, binary, huge input never raise).
* Realisation: for random base-task drafts and sampled (also edge) parameters, `realise` makes
  the draft pass — alone and combined with random compatible constraints of any kind.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrgym.tasks.instruction.data import base_tasks
from vrgym.verifiers.instruction import (
    Constraint,
    ResponseDraft,
    compatible,
    constraint_kinds,
    realise_all,
)

from tests.verifiers.instruction.constraint_helpers import assert_total_and_fast, load_cases

CASES = load_cases(Path(__file__).parent / "extra_cases.jsonl")
EXTRA_MODULE_PREFIX = "vrgym.verifiers.instruction.extra_"
EXTRA = [k for k in constraint_kinds() if k.__module__.startswith(EXTRA_MODULE_PREFIX)]
IDS = [k.kind for k in EXTRA]


def make_draft(rng: random.Random) -> ResponseDraft:
    """A draft as a template would start one: a base task's content in 1-3 paragraphs, its extra sentences spare."""
    task = rng.choice(base_tasks())
    content = list(task.content)
    k = rng.randint(1, 3)
    paragraphs = [content[i * len(content) // k:(i + 1) * len(content) // k] for i in range(k)]
    return ResponseDraft(task.topic_terms, paragraphs, spare=task.extra)


def test_at_least_25_extra_kinds_none_of_them_ifeval() -> None:
    assert len(EXTRA) >= 25, IDS
    for kind in EXTRA:
        family, _, name = kind.kind.partition(":")
        assert family and name and not kind.ifeval
        assert kind.family == family


@pytest.mark.parametrize("case", CASES, ids=[f"{c['kind']}-{i}" for i, c in enumerate(CASES)])
def test_case(case: dict) -> None:
    constraint = Constraint.from_json(case)
    result = constraint.check(case["response"])
    assert result.ok is case["expected"], f"{case['why']}: checker said {result.reason}"


def test_every_kind_has_passing_and_failing_cases() -> None:
    seen: dict[str, set[bool]] = {}
    for case in CASES:
        seen.setdefault(case["kind"], set()).add(case["expected"])
    missing = [k for k in IDS if seen.get(k) != {True, False}]
    assert not missing, f"kinds without both a passing and a failing case: {missing}"


@pytest.mark.parametrize("kind", EXTRA, ids=IDS)
def test_contract_of_the_kind(kind: type[Constraint]) -> None:
    rng = random.Random(7)
    for edge in (False, True):
        constraint = kind.sample(rng, edge=edge)
        phrasings = constraint.phrasings()
        assert len(set(phrasings)) >= 3
        assert all(p.strip() and "{" not in p and "}" not in p for p in phrasings), phrasings
        again = Constraint.from_json(json.loads(json.dumps(constraint.to_json())))
        assert again == constraint and hash(again) == hash(constraint)
        assert not constraint.check("").ok and not constraint.check("   \n").ok


def test_conflicts_are_symmetric() -> None:
    rng = random.Random(3)
    everything = constraint_kinds()
    samples = [kind.sample(rng) for kind in everything] + [kind.sample(rng, edge=True) for kind in EXTRA]
    extra = [c for c in samples if type(c) in EXTRA]
    for a in extra:
        for b in samples:
            assert a.conflicts_with(b) == b.conflicts_with(a), (a, b)


JUNK = [
    "\x00\x01\x02\xff binary \udcff",
    "((((((((((" * 1000,
    "|" * 5000 + "\n" + "|---|" * 500,
    "!?.,;:" * 2000,
    "🌱\u200d" * 3000,
    "word " * 200_000,
    "a\n\n" * 20_000,
    "## \n" * 5000,
]


@pytest.mark.parametrize("kind", EXTRA, ids=IDS)
def test_checker_is_total_and_fast_on_junk(kind: type[Constraint]) -> None:
    assert_total_and_fast(kind.sample(random.Random(1)), JUNK)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.integers(0, len(EXTRA) - 1), st.integers(0, 10_000))
def test_checkers_never_raise(text: str, index: int, seed: int) -> None:
    constraint = EXTRA[index].sample(random.Random(seed), edge=seed % 2 == 0)
    result = constraint.check(text)
    assert isinstance(result.ok, bool) and not result.reason.startswith("checker error"), result.reason


@pytest.mark.parametrize("kind", EXTRA, ids=IDS)
def test_realise_alone_passes(kind: type[Constraint]) -> None:
    for seed in range(12):
        rng = random.Random(seed)
        constraint = kind.sample(rng, edge=seed % 3 == 0)
        draft = make_draft(rng)
        assert realise_all([constraint], draft), (constraint, constraint.check(draft.render()).reason, draft.render())


def test_realise_composes_with_random_compatible_constraints() -> None:
    everything = constraint_kinds()
    failures = []
    for seed in range(120):
        rng = random.Random(1000 + seed)
        chosen = [EXTRA[seed % len(EXTRA)].sample(rng, edge=seed % 4 == 0)]
        for _ in range(8):
            if len(chosen) == 3:
                break
            other = rng.choice(everything).sample(rng)
            if compatible(chosen + [other]):
                chosen.append(other)
        draft = make_draft(rng)
        if not realise_all(chosen, draft):
            text = draft.render()
            failures.append((chosen, [c.check(text).reason for c in chosen if not c.check(text).ok]))
    assert not failures, failures[:5]


def test_realised_reference_keeps_the_base_task() -> None:
    """The reference still talks about the task: most of its topic terms survive every realisation."""
    for seed in range(40):
        rng = random.Random(seed)
        constraint = EXTRA[seed % len(EXTRA)].sample(rng)
        task = rng.choice(base_tasks())
        draft = ResponseDraft(task.topic_terms, [list(task.content)], spare=task.extra)
        realise_all([constraint], draft)
        text = draft.render().lower()
        assert sum(term.lower() in text for term in task.topic_terms) >= 2, (constraint, text)


def test_ban_based_kinds_hold_for_text_added_later() -> None:
    """A ban ("no letter z", "no digits") also filters sentences that a later length constraint adds."""
    rng = random.Random(5)
    draft = make_draft(rng)
    no_z = Constraint.from_json({"kind": "letters:no_letter", "params": {"letter": "z"}})
    no_digits = Constraint.from_json({"kind": "count:numbers", "params": {"num_numbers": 0}})
    long = Constraint.from_json({"kind": "count:word_count_range", "params": {"min_words": 250, "max_words": 400}})
    assert realise_all([no_z, no_digits, long], draft)
    text = draft.render()
    assert "z" not in text.lower() and not any(ch.isdigit() for ch in text)
