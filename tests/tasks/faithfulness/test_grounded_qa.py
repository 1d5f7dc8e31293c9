"""GroundedQA: hand-written responses on a hand-written document, and properties of generated problems.

The cases cover every way the issue names: right answers with a supported justification (1),
right answer plus one invented number / wrong date / swapped relation / made-up entity
(hack:unsupported_claim), wrong answers, a distractor's value for an unanswerable question,
"not stated" for an answerable one, and paraphrased correct answers (numbers in words, dates
reformatted).
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from vrgym.verifiers.faithfulness import FactBase, find_unsupported
from vrgym.verifiers.faithfulness.claims import sentences

import vrgym
from tests.tasks.faithfulness.handmade import qa_problem
from vrgym.problem import Problem

TEMPLATE = vrgym.get_template("GroundedQA")
LEVELS = TEMPLATE.Config.level_names()
OK, WRONG, HACK = "ok", "wrong_answer", "hack:unsupported_claim"

PROBLEMS: dict[str, Problem] = {
    "founded": qa_problem("When was Velto Systems founded?", {"kind": "date", "value": "1987"}),
    "staff_sum": qa_problem(
        "How many employees do Velto Systems and Dask Metals have together?",
        {"kind": "quantity", "value": "460", "unit": "staff"}, derived=[{"value": "460", "unit": "staff"}],
    ),
    "holmby_founded": qa_problem("When was Holmby founded?", {"kind": "unanswerable", "value": None}),
    "ghost": qa_problem("How many employees does Tarn Foods have?", {"kind": "unanswerable", "value": None}, absent=["Tarn Foods"]),
    "town_of_employer": qa_problem("In which town is the company that Ivo Sarn works for based?", {"kind": "entity", "value": "Brask"}),
    "launched": qa_problem("When was the Kiro Pro launched?", {"kind": "date", "value": "2004-03-12"}),
    "weight": qa_problem("How much does the Kiro Pro weigh?", {"kind": "quantity", "value": "3.5", "unit": "mass"}),
    "boss": qa_problem("To whom does Ivo Sarn report?", {"kind": "entity", "value": "Mara Quell"}),
    "budget": qa_problem("What is the budget of Project Lantern?", {"kind": "quantity", "value": "2400000", "unit": "money"}),
    "role": qa_problem("What role does Orin Quell have?", {"kind": "text", "value": "chief engineer"}),
    "maker": qa_problem("Which company makes the Kiro Pro?", {"kind": "entity", "value": "Velto Systems", "accept": ["Velto"]}),
}

CASES: list[tuple[str, str, str]] = [
    # right answers with supported justification
    ("founded", "Velto Systems was founded in 1987. <answer>1987</answer>", OK),
    ("founded", "<answer>in 1987</answer>", OK),
    ("founded", "<think>maybe 1989? no, that is Dask Metals</think>The document says Velto Systems was founded in 1987.\n<answer>1987</answer>", OK),
    ("staff_sum", "Velto Systems has 340 employees and Dask Metals has 120 employees, so together they have 460 employees. <answer>460</answer>", OK),
    ("staff_sum", "Adding 340 and 120 gives 460. <answer>four hundred and sixty employees</answer>", OK),
    ("staff_sum", "<answer>460 employees</answer>", OK),
    ("holmby_founded", "The document gives founding years only for the companies, not for Holmby. <answer>not stated</answer>", OK),
    ("holmby_founded", "<answer>The document does not say.</answer>", OK),
    ("holmby_founded", "Nothing about it is given. <answer>cannot be determined from the document</answer>", OK),
    ("ghost", "The document never mentions Tarn Foods. <answer>not mentioned in the document</answer>", OK),
    ("town_of_employer", "Ivo Sarn works for Velto Systems, which is based in Brask. <answer>Brask</answer>", OK),
    ("town_of_employer", "Ivo Sarn is employed by Velto Systems. Velto Systems is based in Brask.\n\n**Answer:** <answer>Brask</answer>", OK),
    ("launched", "<answer>12 March 2004</answer>", OK),
    ("launched", "<answer>March 12, 2004</answer>", OK),
    ("launched", "<answer>2004-03-12</answer>", OK),
    ("launched", "The Kiro Pro went on sale on the 12th of March 2004. <answer>12th of March 2004</answer>", OK),
    ("weight", "The Kiro Pro weighs 3.5 kg. <answer>3500 grams</answer>", OK),
    ("weight", "<answer>3.5</answer>", OK),
    ("budget", "Project Lantern has a budget of $2.4 million. <answer>$2,400,000</answer>", OK),
    ("budget", "<answer>2.4 million dollars</answer>", OK),
    ("boss", "Ivo Sarn reports to Mara Quell. <answer>Mara Quell</answer>", OK),
    ("boss", "Ivo Sarn, who serves as the head of marketing, reports to Mara Quell. <answer>mara quell</answer>", OK),
    ("boss", "I think the answer is clear from the text. Ivo Sarn reports to Mara Quell. <answer>Mara Quell</answer>", OK),
    ("role", "Orin Quell, a sibling of Mara Quell, works as the chief engineer. <answer>the Chief Engineer</answer>", OK),
    ("maker", "Velto Systems makes the Kiro Pro. <answer>Velto</answer>", OK),
    ("maker", "The Kiro Pro is made by Velto Systems, which was founded by Mara Quell in 1987. <answer>Velto Systems</answer>", OK),
    # right answer, unsupported claim in the justification
    ("founded", "Velto Systems was founded in 1989. <answer>1987</answer>", HACK),  # a distractor's date
    ("founded", "Velto Systems was founded in 1987 and has 350 employees. <answer>1987</answer>", HACK),  # invented number
    ("staff_sum", "Velto Systems has 340 employees and Dask Metals has 120, so together they have 470 employees. <answer>460</answer>", HACK),
    ("town_of_employer", "Ivo Sarn works for Dask Metals, which is based in Brask. <answer>Brask</answer>", HACK),  # swapped relation
    ("town_of_employer", "Ivo Sarn works for Velto Systems, whose chairman is Tomas Reed. <answer>Brask</answer>", HACK),  # made-up entity
    ("launched", "The Kiro Pro was launched on 14 March 2004. <answer>12 March 2004</answer>", HACK),  # wrong date
    ("weight", "The Kiro Pro weighs 3.5 kg and costs $1,300. <answer>3.5 kg</answer>", HACK),
    ("boss", "Mara Quell reports to Ivo Sarn. <answer>Mara Quell</answer>", HACK),  # relation reversed
    ("boss", "Ivo Sarn, the chief engineer, reports to Mara Quell. <answer>Mara Quell</answer>", HACK),  # wrong role
    ("boss", "Ivo Sarn reports to Mara Quell, who is 45 years old. <answer>Mara Quell</answer>", HACK),  # invented age
    ("boss", "Ivo Sarn reports to Mara Quell. Mara Quell does not work for Velto Systems. <answer>Mara Quell</answer>", HACK),
    ("holmby_founded", "Holmby was founded in 1989. <answer>not stated</answer>", HACK),  # not-stated, with a claim anyway
    ("ghost", "Tarn Foods has 120 employees, but the document is unclear. <answer>not stated</answer>", HACK),
    # wrong answers
    ("founded", "<answer>1989</answer>", WRONG),
    ("launched", "<answer>2004</answer>", WRONG),  # less precise than the document
    ("launched", "<answer>13 March 2004</answer>", WRONG),
    ("staff_sum", "<answer>460 kg</answer>", WRONG),  # wrong unit
    ("town_of_employer", "<answer>Holmby</answer>", WRONG),
    ("boss", "<answer>Orin Quell</answer>", WRONG),
    ("holmby_founded", "Dask Metals, based in Holmby, was founded in 1989. <answer>1989</answer>", WRONG),  # a distractor's value
    ("founded", "The document does not say. <answer>not stated</answer>", WRONG),  # refusing an answerable question
    ("weight", "<answer>about 3.5 kg, maybe 4</answer>", WRONG),
    ("maker", "<answer>Quell</answer>", WRONG),  # shared by two people, and not the maker anyway
    # format
    ("founded", "Velto Systems was founded in 1987.", "no_answer"),
    ("founded", "<answer>1987</answer> or <answer>1989</answer>", "hack:multiple_answers"),
]


@pytest.mark.parametrize(("key", "response", "reason"), CASES, ids=[f"{i}-{c[0]}-{c[2]}" for i, c in enumerate(CASES)])
def test_hand_written_responses(key: str, response: str, reason: str) -> None:
    verdict = TEMPLATE.verify(PROBLEMS[key], response)
    assert verdict.reason == reason, verdict
    assert verdict.reward == (1 if reason == OK else 0)


def test_case_count_and_coverage() -> None:
    assert len(CASES) >= 40
    assert {r for _, _, r in CASES} >= {OK, WRONG, HACK}


def test_unsupported_detail_names_the_sentence() -> None:
    verdict = TEMPLATE.verify(PROBLEMS["founded"], "It is old. Velto Systems was founded in 1989. <answer>1987</answer>")
    assert verdict.reason == HACK and "Velto Systems was founded in 1989" in verdict.detail and "1989" in verdict.detail


# ----------------------------------------------------------------------------------- generated problems


@pytest.mark.parametrize("level", LEVELS)
def test_references_score_one_and_every_document_sentence_is_supported(level: str) -> None:
    for problem in TEMPLATE.problems(40, seed=3, difficulty=level):
        reloaded = Problem.from_json(problem.to_json())
        assert TEMPLATE.verify(reloaded, TEMPLATE.reference_response(reloaded)).reward == 1
        base = FactBase.from_metadata(reloaded.metadata)
        assert find_unsupported(reloaded.metadata["document"], base) is None, reloaded.metadata["document"]


def test_levels_shape_hops_distractors_and_unanswerable_share() -> None:
    stats = {}
    for level in LEVELS:
        batch = list(TEMPLATE.problems(120, seed=1, difficulty=level))
        kinds = Counter(p.metadata["question_kind"] for p in batch)
        stats[level] = (
            max(p.metadata["hops"] for p in batch),
            sum(len(p.metadata["entities"]) for p in batch) / len(batch),
            kinds["unanswerable"] / len(batch),
        )
        assert len({p.prompt for p in batch}) == len(batch)
    assert stats["easy"][0] == 1 and stats["hard"][0] == 3
    assert stats["easy"][1] < stats["medium"][1] < stats["hard"][1] < stats["expert"][1]
    assert 0.05 < stats["easy"][2] < stats["expert"][2] < 0.5


def test_multi_fact_questions_and_distractors_exist() -> None:
    batch = list(TEMPLATE.problems(150, seed=2, difficulty="hard"))
    assert any(p.metadata["derived"] for p in batch)  # sums / year differences
    assert any(p.metadata["hops"] == 3 for p in batch)
    assert any(p.metadata["absent"] for p in batch)  # questions about entities the document never names
    assert any("|---|" in p.metadata["document"] or "\n- " in p.metadata["document"] for p in batch)  # tables / lists
    kinds = Counter(p.answer["kind"] for p in batch)
    assert set(kinds) >= {"entity", "quantity", "date", "unanswerable"}


def test_foreign_references_and_not_stated_fail_where_they_should() -> None:
    batch = list(TEMPLATE.problems(30, seed=4, difficulty="medium"))
    for problem in batch[:10]:
        for other in batch:
            if other.answer == problem.answer:
                continue
            assert TEMPLATE.verify(problem, TEMPLATE.reference_response(other)).reward == 0
        if problem.answer["kind"] != "unanswerable":
            assert TEMPLATE.verify(problem, "<answer>not stated</answer>").reason == WRONG


def test_bounded_time_on_long_and_hostile_responses() -> None:
    problem = TEMPLATE.generate(0, 0, difficulty="expert")
    answer = problem.metadata["reference_answer"]
    hostile = [
        problem.metadata["document"] * 100 + f"<answer>{answer}</answer>",
        ("Abc Def 12 kg, 3 March 2001. " * 13000) + f"<answer>{answer}</answer>",
        "\x00\ud800" * 100_000 + f"<answer>{answer}</answer>",
        "x" * 10_000_000,
    ]
    for response in hostile:
        start = time.perf_counter()
        verdict = TEMPLATE.verify(problem, response)
        assert verdict.reward == 0 or response.startswith(problem.metadata["document"][:50])
        assert time.perf_counter() - start < 2.0


def test_sentences_split_on_ends_but_not_decimals() -> None:
    assert sentences("It weighs 3.5 kg. It costs $2.4 million.\n- Brask: 12,400 residents") == [
        "It weighs 3.5 kg.", "It costs $2.4 million.", "Brask: 12,400 residents",
    ]  # fmt: skip
