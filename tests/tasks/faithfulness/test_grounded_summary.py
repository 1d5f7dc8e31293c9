"""GroundedSummary: hand-written summaries of the hand-written document, and generated problems."""

from __future__ import annotations

import time
from itertools import pairwise

import pytest

import vrgym
from tests.tasks.faithfulness.handmade import fact, summary_problem
from vrgym.problem import Problem

TEMPLATE = vrgym.get_template("GroundedSummary")
REQUIRED = [
    fact("Velto Systems", "founded_on", "date", "1987"),
    fact("Velto Systems", "staff", "quantity", "340", "staff"),
    fact("Mara Quell", "founded", "entity", "Velto Systems"),
    fact("Kiro Pro", "launched", "date", "2004-03-12"),
]
PROBLEM = summary_problem(REQUIRED, max_sentences=4, max_words=60)
GOOD = (
    "Velto Systems was founded in 1987 by Mara Quell and has 340 employees. "
    "Its product, the Kiro Pro, was launched on 12 March 2004."
)

CASES: list[tuple[str, str]] = [
    (GOOD, "ok"),
    (("Mara Quell founded Velto Systems, which was established in 1987 and employs 340 people. "
      "The Kiro Pro, made by Velto Systems, went on sale on March 12, 2004."), "ok"),
    ("- Velto Systems: founded in 1987, 340 employees.\n- Mara Quell founded Velto Systems.\n- The Kiro Pro launched on 2004-03-12.", "ok"),
    ("Velto Systems was founded in 1987 by Mara Quell and has 340 employees.", "wrong_answer"),  # launch date missing
    ("Velto Systems was founded in 1987 by Mara Quell and has 350 employees. The Kiro Pro was launched on 12 March 2004.",
     "wrong_answer"),  # wrong value: the required fact is not stated
    ("Velto Systems was founded in 1987 by Mara Quell and has 340 employees. The Kiro Pro was launched in 2004.",
     "wrong_answer"),  # less precise than the document
    (GOOD + " It also sells about 9,000 units a year.", "hack:unsupported_claim"),  # invented number
    (GOOD + " Velto Systems is based in Holmby.", "hack:unsupported_claim"),  # swapped relation
    (GOOD + " Its chairman is Tomas Reed.", "hack:unsupported_claim"),  # made-up person
    (GOOD + " Dask Metals was founded in 1988.", "hack:unsupported_claim"),  # near date
    (("Velto Systems was founded in 1987. Mara Quell founded Velto Systems. It has 340 employees. "
      "The Kiro Pro was launched on 12 March 2004. Brask has 12,400 residents."), "format"),  # too many sentences
    (GOOD + " " + "Velto Systems is based in Brask. " * 1 + "word " * 40, "format"),  # too many words
    (("Velto Systems was founded in 1987 and has 340 employees. Mara Quell works for Velto Systems. "
      "The Kiro Pro was launched on 12 March 2004."), "wrong_answer"),  # a true but different relation: who founded it is not stated
    ("", "no_answer"),
    ("<think>draft</think>", "no_answer"),
]


@pytest.mark.parametrize(("response", "reason"), CASES, ids=[f"{i}-{c[1]}" for i, c in enumerate(CASES)])
def test_hand_written_summaries(response: str, reason: str) -> None:
    verdict = TEMPLATE.verify(PROBLEM, response)
    assert verdict.reason == reason, verdict
    assert verdict.reward == (reason == "ok")


@pytest.mark.parametrize("level", TEMPLATE.Config.level_names())
def test_reference_summaries_score_one_and_respect_their_limits(level: str) -> None:
    config = TEMPLATE.config(level)
    for problem in TEMPLATE.problems(30, seed=5, difficulty=level):
        reloaded = Problem.from_json(problem.to_json())
        reference = TEMPLATE.reference_response(reloaded)
        assert TEMPLATE.verify(reloaded, reference).reward == 1, reference
        assert len(reloaded.metadata["required"]) == config.key_facts
        assert f"at most {reloaded.answer['max_sentences']} sentences" in reloaded.prompt
        required = reloaded.metadata["required"]
        for dropped in range(len(required)):  # each required fact on its own is covered by the reference
            partial = reloaded.model_copy(update={"metadata": {**reloaded.metadata, "required": required[dropped:dropped + 1]}})
            assert TEMPLATE.verify(partial, reference).reward == 1


def test_summary_of_another_document_is_unsupported() -> None:
    batch = list(TEMPLATE.problems(8, seed=9, difficulty="medium"))
    for problem, other in pairwise(batch):
        verdict = TEMPLATE.verify(problem, TEMPLATE.reference_response(other))
        assert verdict.reward == 0 and verdict.reason in {"wrong_answer", "hack:unsupported_claim", "format"}


def test_bounded_time() -> None:
    problem = TEMPLATE.generate(0, 0, difficulty="expert")
    for response in ("Abc Def 12 kg. " * 20000, "x" * 10_000_000, "\ud800" * 300_000):
        start = time.perf_counter()
        assert TEMPLATE.verify(problem, response).reward == 0
        assert time.perf_counter() - start < 2.0


def test_a_negated_sentence_does_not_cover_a_key_fact() -> None:
    """'X was not born in 1962' names the value while denying it: it must not earn the fact."""
    from vrgym.tasks.faithfulness.grounded_summary import covers
    from vrgym.verifiers.faithfulness.claims import extract_claims

    fact = {"subject": "Deirk Hostu", "kind": "date", "value": "1962", "predicate": "born"}
    for sentence, expected in [("Deirk Hostu was born in 1962.", True), ("Deirk Hostu was not born in 1962.", False)]:
        assert covers({"Deirk Hostu"}, sentence, extract_claims(sentence), fact) is expected
