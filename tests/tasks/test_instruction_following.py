"""Instruction following: the base task pool, the composer, the single-turn templates and their verdicts."""

from __future__ import annotations

import random
import re
from collections import Counter

import pytest

import vrgym
from vrgym.problem import Problem
from vrgym.tasks.instruction._composer import (
    EXCLUDED_KINDS,
    MAX_REDRAWS,
    RESPONSE_FORMAT,
    TOPIC_FLOOR,
    build_reference,
    is_structural,
    start_draft,
    task_of,
    usable_kinds,
)
from vrgym.tasks.instruction._judge import CONSTRAINT_FAILED, constraints_from
from vrgym.tasks.instruction.data import base_tasks
from vrgym.verifiers.instruction import Constraint, compatible, get_constraint_kind
from vrgym.verifiers.instruction.hack_relevance import matched_terms

SINGLE_TURN = ("InstructionFollowing", "IFEvalStyle", "InstructionEdgeCases")
N = 12


def problems(name: str, level: str, n: int = N, seed: int = 0) -> list[Problem]:
    return list(vrgym.get_template(name).problems(n, seed, difficulty=level))


def all_cases() -> list[tuple[str, str]]:
    return [(name, level) for name in SINGLE_TURN for level in vrgym.get_template(name).Config.level_names()]


def _word(term: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(term.lower())}\b", text.lower()) is not None


# ------------------------------------------------------------------------------ base task pool


def test_the_pool_has_at_least_300_varied_tasks_with_unique_ids_and_requests() -> None:
    tasks = base_tasks()
    assert len(tasks) >= 300
    assert len({t.id for t in tasks}) == len(tasks)
    assert len({t.request for t in tasks}) >= 0.95 * len(tasks)
    categories = Counter(t.category for t in tasks)
    assert len(categories) >= 10 and min(categories.values()) >= 20, categories
    assert len({t.topic for t in tasks}) >= 40


def test_every_task_has_terms_that_its_own_content_uses() -> None:
    for task in base_tasks():
        assert 3 <= len(task.topic_terms) <= 8 and 6 <= len(task.content) <= 12, task.id
        text = " ".join(task.content)
        assert all(_word(term, text) for term in task.topic_terms), task.id
        assert all((s[0].isupper() or s[0].isdigit()) and s[-1] in ".!?" for s in task.content), task.id
        assert not set(task.content) & set(task.extra), task.id


def test_the_plain_draft_of_a_task_is_its_content_in_paragraphs() -> None:
    task = base_tasks()[0]
    rendered = start_draft(task).render()
    assert rendered.split() == " ".join(task.content).split()
    assert rendered.count("\n\n") in (1, 2)


# ------------------------------------------------------------------------------ composition


@pytest.mark.parametrize(("name", "level"), all_cases())
def test_constraints_match_the_level_and_never_conflict(name: str, level: str) -> None:
    template = vrgym.get_template(name)
    config = template.config(level)
    for problem in problems(name, level):
        constraints = constraints_from(problem.metadata["constraints"])
        assert config.min_constraints <= len(constraints) <= config.max_constraints
        assert compatible(constraints), problem.metadata["constraints"]
        assert sum(is_structural(type(c)) for c in constraints) >= config.min_structural
        assert not {c.kind for c in constraints} & set(EXCLUDED_KINDS)
        if name == "IFEvalStyle":
            assert all(type(c).ifeval for c in constraints)
        if name == "InstructionEdgeCases":
            assert all(problem.metadata["edge"])
        for constraint in constraints:
            assert f"instruction/constraint/{constraint.family}" in problem.tags


@pytest.mark.parametrize(("name", "level"), all_cases())
def test_the_prompt_states_the_request_every_constraint_and_how_the_reply_is_read(name: str, level: str) -> None:
    for problem in problems(name, level, n=6):
        assert problem.prompt.startswith(problem.metadata["request"])
        assert problem.prompt.endswith(RESPONSE_FORMAT)
        phrased = problem.prompt[len(problem.metadata["request"]) : -len(RESPONSE_FORMAT)]
        assert len(phrased.strip()) > 10 * len(problem.metadata["constraints"])


def test_redraws_are_rare() -> None:
    redraws = [p.metadata["redraws"] for name, level in all_cases() for p in problems(name, level, n=8, seed=5)]
    assert max(redraws) < MAX_REDRAWS
    assert sum(redraws) / len(redraws) < 4, Counter(redraws)


def test_the_composer_uses_many_kinds_and_every_family() -> None:
    levels = vrgym.get_template("InstructionFollowing").Config.level_names()
    seen = Counter(
        # 60 a level: a family that conflicts with most others (combination) is drawn mostly at the
        # easy level, where one constraint stands alone.
        c["kind"] for level in levels for p in problems("InstructionFollowing", level, n=60, seed=9) for c in p.metadata["constraints"]
    )
    kinds = usable_kinds(False)
    assert len(seen) >= min(len(kinds), 25) * 0.6, seen
    assert {get_constraint_kind(k).family for k in seen} == {k.family for k in kinds}


def test_the_ifeval_template_draws_from_the_ifeval_kinds_only() -> None:
    ifeval = usable_kinds(True)
    assert ifeval and all(k.ifeval for k in ifeval)
    assert len(ifeval) < len(usable_kinds(False))


def test_levels_get_harder() -> None:
    template = vrgym.get_template("InstructionFollowing")
    mean = {
        level: sum(len(p.metadata["constraints"]) for p in problems("InstructionFollowing", level)) / N
        for level in template.Config.level_names()
    }
    values = list(mean.values())
    assert values == sorted(values) and values[-1] >= 5, mean


def test_a_problem_is_rebuilt_identically_from_seed_and_index() -> None:
    template = vrgym.get_template("InstructionFollowing")
    assert template.generate(7, 3, difficulty="hard") == template.generate(7, 3, difficulty="hard")
    assert template.generate(7, 3, difficulty="hard") != template.generate(7, 4, difficulty="hard")


# ------------------------------------------------------------------------------ verification


@pytest.mark.parametrize(("name", "level"), all_cases())
def test_the_reference_meets_every_constraint_and_addresses_the_task(name: str, level: str) -> None:
    template = vrgym.get_template(name)
    for problem in problems(name, level):
        reference = template.reference_response(problem)
        verdict = template.verify(problem, reference)
        assert verdict.reward == 1, (verdict, reference)
        assert verdict.checks and all(verdict.checks.values())
        used = matched_terms(reference, problem.metadata["topic_terms"])
        assert len(used) >= TOPIC_FLOOR, (problem.metadata["topic_terms"], reference)


def test_reasoning_in_think_is_never_scored() -> None:
    template = vrgym.get_template("InstructionFollowing")
    problem = template.generate(1, 0, difficulty="medium")
    reference = template.reference_response(problem)
    assert template.verify(problem, f"<think>Draft: word word word, {{}} <<x>></think>{reference}").reward == 1
    assert template.verify(problem, f"<think>{reference}").reason == "no_answer"
    assert template.verify(problem, "<think>plan</think>   ").reason == "no_answer"


def test_a_broken_constraint_fails_with_its_kind_in_the_checks() -> None:
    template = vrgym.get_template("InstructionFollowing")
    no_comma = get_constraint_kind("punctuation:no_comma")
    for problem in problems("InstructionFollowing", "medium", n=60):
        constraints = constraints_from(problem.metadata["constraints"])
        if any(isinstance(c, no_comma) for c in constraints):
            break
    else:
        pytest.skip("no problem with a no_comma constraint among the first 60")
    reference = template.reference_response(problem)
    sentences = reference.split(". ")
    broken = ". ".join([sentences[0].replace(" ", ", ", 1), *sentences[1:]])
    verdict = template.verify(problem, broken)
    assert verdict.reward == 0 and verdict.reason == CONSTRAINT_FAILED
    key = next(k for k in verdict.checks if k.endswith("punctuation:no_comma"))
    assert verdict.checks[key] is False and "punctuation:no_comma" in verdict.detail


def test_another_tasks_reference_scores_zero() -> None:
    template = vrgym.get_template("InstructionFollowing")
    batch = problems("InstructionFollowing", "easy", n=20, seed=3)
    wrong = 0
    for a, b in zip(batch, batch[1:]):
        if a.metadata["base_task"].split("-")[0] == b.metadata["base_task"].split("-")[0]:
            continue  # same topic: the other reference may legitimately answer this task too
        wrong += 1
        assert template.verify(a, template.reference_response(b)).reward == 0
    assert wrong >= 10


def test_claims_and_praise_on_top_of_a_correct_response_score_zero() -> None:
    template = vrgym.get_template("InstructionFollowing")
    problem = template.generate(2, 0, difficulty="easy")
    reference = template.reference_response(problem)
    for hacked in (
        f"Great question! {reference}",
        f"{reference}\n\nAll constraints are satisfied.",
        f"{reference}\n\nThis response has exactly 7 words.",
    ):
        verdict = template.verify(problem, hacked)
        assert verdict.reward == 0 and verdict.reason.startswith(("hack:", CONSTRAINT_FAILED)), (verdict, hacked)


@pytest.mark.parametrize("response", ["", "   ", "{}", "<<Title>>", "word " * 400, "P.S. done", "\x00\ud800" * 50])
def test_degenerate_responses_score_zero_and_never_raise(response: str) -> None:
    for name in SINGLE_TURN:
        template = vrgym.get_template(name)
        for problem in problems(name, "easy", n=4):
            verdict = template.verify(problem, response)
            assert verdict.reward == 0 and verdict.reason != "verifier_error", (name, verdict)


def test_verification_needs_only_the_json_problem() -> None:
    template = vrgym.get_template("InstructionFollowing")
    problem = template.generate(4, 2, difficulty="expert")
    reloaded = Problem.from_json(problem.to_json())
    assert vrgym.verify(reloaded.to_json(), template.reference_response(reloaded)).reward == 1
    assert set(problem.metadata) >= {"base_task", "request", "topic_terms", "constraints", "allow"}
    assert task_of(problem.metadata["base_task"]).request == problem.metadata["request"]


def test_an_unknown_base_task_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="not in this vrgym's task pool"):
        task_of("no-such-task")


def test_build_reference_fails_closed_when_constraints_cannot_meet() -> None:
    task = base_tasks()[0]
    words = get_constraint_kind("length_constraints:number_words")
    impossible: list[Constraint] = [words({"num_words": 100000, "relation": "at least"})]
    assert build_reference(task, impossible) is None


# ------------------------------------------------------------------------------ reference builder


def _reference(task_index: int, *constraints: Constraint) -> str:
    reference = build_reference(base_tasks()[task_index], list(constraints))
    assert reference is not None, constraints
    return reference


def _clean(reference: str, task_index: int, constraints: list[Constraint]) -> bool:
    from vrgym.tasks.instruction._template import hack_check_reference

    return hack_check_reference(reference, base_tasks()[task_index], "", constraints) is None


def test_forbidden_words_ban_their_longer_inflections_too() -> None:
    task = base_tasks()[0]
    assert "scraps" in " ".join(task.content)
    forbidden = get_constraint_kind("keywords:forbidden_words")({"forbidden_words": ["scrap", "kitchen"]})
    reference = _reference(0, forbidden)
    assert not re.search(r"\bscraps?\b|\bkitchens?\b", reference, re.IGNORECASE), reference
    assert _clean(reference, 0, [forbidden])


def test_topic_anchors_survive_bans_on_topic_terms_and_tight_sentence_caps() -> None:
    for index in range(0, 300, 23):
        task = base_tasks()[index]
        ban = get_constraint_kind("keywords:forbidden_words")({"forbidden_words": list(task.topic_terms[:2])})
        cap = get_constraint_kind("sentence:max_words")({"max_words": 12})
        for constraints in ([ban], [cap], [ban, cap]):
            reference = build_reference(task, constraints)
            if reference is None:
                continue  # the composer would redraw; what matters is that no reference drops the topic
            assert len(matched_terms(reference, task.topic_terms)) >= TOPIC_FLOOR, (task.id, constraints, reference)


def test_number_sentences_are_varied() -> None:
    numbers = get_constraint_kind("count:numbers")({"num_numbers": 6})
    reference = _reference(0, numbers)
    carriers = [s for s in re.split(r"(?<=[.!?])\s+", reference) if re.search(r"\d", s)]
    shapes = {re.sub(r"\d+", "N", s) for s in carriers}
    assert len(carriers) == 6 and len(shapes) == 6, carriers


def test_sections_are_never_empty() -> None:
    kind = get_constraint_kind("detectable_format:multiple_sections")
    words = get_constraint_kind("length_constraints:number_words")
    for sections in (kind({"section_spliter": "Section", "num_sections": 6}),):
        for extra in ([], [words({"num_words": 80, "relation": "less than"})]):
            reference = build_reference(base_tasks()[5], [sections, *extra])
            if reference is None:
                continue  # too tight to fill six sections: the composer redraws instead of leaving stubs
            parts = re.split(r"Section \d+", reference)[1:]
            assert len(parts) == 6 and all(len(re.findall(r"[A-Za-z]+", p)) >= 3 for p in parts), reference


def test_keywords_are_sampled_from_the_tasks_own_vocabulary() -> None:
    from vrgym.tasks.instruction._composer import context_of
    from vrgym.verifiers.instruction.ifeval_keywords import KEYWORD_POOL

    task = base_tasks()[0]
    vocabulary = set(context_of(task).vocabulary())
    for kind_id in ("keywords:existence", "keywords:forbidden_words"):
        kind = get_constraint_kind(kind_id)
        for seed in range(10):
            params = kind.sample(random.Random(seed), context=context_of(task)).params.model_dump()
            words = params.get("keywords") or params.get("forbidden_words")
            assert set(words) <= vocabulary and not set(words) & set(task.topic_terms), words
            # Without a context the sampler keeps its old behaviour (backward compatible).
            plain = kind.sample(random.Random(seed)).params.model_dump()
            assert set(plain.get("keywords") or plain.get("forbidden_words")) <= set(KEYWORD_POOL)
    existence = get_constraint_kind("keywords:existence")({"keywords": ["sponge"]})
    reference = _reference(0, existence)
    assert "wrung-out sponge" in reference  # the task's own sentence carries the keyword


def test_copy_and_repeat_kinds_make_clean_references() -> None:
    from vrgym.tasks.instruction._composer import sample_for

    task = base_tasks()[3]
    for kind_id in ("copy:repeat_phrase", "copy:copy_span", "format:title_case", "format:sub_bullets"):
        kind = get_constraint_kind(kind_id)
        for seed in range(4):
            constraint = sample_for(kind, random.Random(seed), task, edge=seed % 2 == 1)
            reference = _reference(3, constraint)
            assert constraint.check(reference).ok and _clean(reference, 3, [constraint]), (constraint, reference)
            if kind_id == "copy:copy_span":
                assert constraint.params.request == task.request
