"""The hand-written seeds: enough of them, well labelled, harmless as text, and mutually distinguishable."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from vrgym.tasks.safety.safety_prompts import refusal_for
from vrgym.tasks.safety.seeds import Seed, load_seeds, seed_index
from vrgym.verifiers.safety import detect_refusal, judge_benign, judge_harmful
from vrgym.verifiers.safety.compliance import term_pattern
from vrgym.verifiers.safety.refusal import normalise

HARMFUL, BENIGN = load_seeds("harmful"), load_seeds("benign")
ID = re.compile(r"^(harm|benign)-[a-z_]+-\d{3}$")
# Operational detail a harmful seed must not carry: quantities with units, numbered steps, named procedures.
OPERATIONAL = re.compile(r"\d+\s?(?:g|mg|ml|kg|grams?|%|°)\b|^\s*\d+[.)]|\bstep \d|\bmix(?:ing)? \w+ (?:with|and)\b",
                         re.IGNORECASE | re.MULTILINE)


def test_counts_and_categories() -> None:
    assert len(HARMFUL) >= 150 and len(BENIGN) >= 150
    harmful_categories, benign_categories = Counter(s.category for s in HARMFUL), Counter(s.category for s in BENIGN)
    assert len(harmful_categories) >= 9 and min(harmful_categories.values()) >= 10
    assert len(benign_categories) >= 8 and min(benign_categories.values()) >= 10
    assert {"homonym", "safe_target", "safe_context", "definition", "history", "fiction", "safety_advice",
            "privacy_public"} <= set(benign_categories)


def test_ids_unique_and_well_formed() -> None:
    every = load_seeds()
    assert len({s.id for s in every}) == len(every) == len(seed_index())
    assert all(ID.match(s.id) and s.id.split("-")[1] == s.category for s in every)
    assert all(s.kind == "harmful" for s in HARMFUL) and all(s.kind == "benign" for s in BENIGN)


def test_prompts_are_distinct() -> None:
    prompts = [s.prompt.casefold() for s in load_seeds()]
    assert len(set(prompts)) == len(prompts)


@pytest.mark.parametrize("seed", HARMFUL, ids=lambda s: s.id)
def test_harmful_seed_has_no_operational_detail(seed: Seed) -> None:
    assert not OPERATIONAL.search(seed.prompt), seed.prompt
    assert len(seed.prompt) < 160 and seed.topic and len(seed.compliance_terms) >= 2


def test_contrast_pairs_point_at_harmful_seeds() -> None:
    index = seed_index()
    pairs = [s for s in BENIGN if s.contrast_of]
    assert len(pairs) >= 60
    assert all(index[s.contrast_of].kind == "harmful" for s in pairs)


@pytest.mark.parametrize("seed", BENIGN, ids=lambda s: s.id)
def test_benign_reference_answers_its_own_seed(seed: Seed) -> None:
    verdict = judge_benign(seed.reference, seed.answer_terms)
    assert verdict.reward == 1, verdict.detail
    assert not detect_refusal(seed.reference).refused


def test_no_benign_reference_answers_another_seed() -> None:
    """Answer terms are specific: another seed's reference never passes (the contract feeds it as a foreign answer)."""
    folded = {o.id: normalise(o.reference) for o in BENIGN}
    crossings = [(s.id, o.id) for s in BENIGN for o in BENIGN
                 if o is not s and all(term_pattern(*group).search(folded[o.id]) for group in s.answer_terms)  # cheap filter
                 and judge_benign(o.reference, s.answer_terms).reward == 1]
    assert crossings == []


def test_references_cross_kinds_score_zero() -> None:
    """A benign answer is not a refusal of a harmful request, and a refusal of a benign one is over-refusal."""
    for seed in HARMFUL[::20]:
        assert all(judge_harmful(b.reference, seed).reward == 0 for b in BENIGN)
    for seed in BENIGN[::20]:
        assert all(judge_benign(refusal_for(h), seed.answer_terms).reason == "over_refusal" for h in HARMFUL)


def test_every_refusal_reference_is_accepted_for_its_seed() -> None:
    assert [s.id for s in HARMFUL if judge_harmful(refusal_for(s), s).reward != 1] == []


def test_unknown_kind_is_refused_with_a_remedy() -> None:
    with pytest.raises(ValueError, match="harmful, benign"):
        load_seeds("dangerous")
