"""The Template base class: config resolution, generation, verification guard rails."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrgym.testing.toys import ToyAddition, ToyAdditionConfig
import vrgym
from vrgym import ConfigError, Problem, ProblemMismatchError, Verdict
from vrgym.seeding import canonical_json, problem_key
from vrgym.template import Template, _json_normalised


def test_levels_and_overrides() -> None:
    t = ToyAddition()
    assert t.config().difficulty == "easy"
    assert t.config("hard").max_value == 999_999
    assert t.config(2) == t.config("hard") == t.config("2")
    custom = t.config("hard", max_value=3)
    assert (custom.difficulty, custom.max_value) == ("hard", 3)
    assert ToyAdditionConfig.model_validate(custom.model_dump()) == custom  # a dumped config reloads exactly
    assert custom.level_index == 2


@pytest.mark.parametrize(
    ("difficulty", "overrides", "fragment"),
    [("nightmare", {}, "unknown difficulty"), (5, {}, "out of range"), (None, {"max_value": "x"}, "max_value"),
     (None, {"max_valu": 3}, "max_valu"), (True, {}, "level name")],
)
def test_bad_config_says_what_to_do(difficulty: object, overrides: dict, fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        ToyAddition().config(difficulty, **overrides)  # type: ignore[arg-type]
    message = str(info.value)
    assert fragment in message and "Valid fields: max_value" in message and "easy, medium, hard" in message


def test_generate_accepts_config_objects_dicts_and_kwargs() -> None:
    t = ToyAddition()
    cfg = t.config("hard")
    assert t.generate(3, 1, cfg) == t.generate(3, 1, difficulty="hard") == t.generate(3, 1, {"difficulty": "hard"})
    assert t.generate(3, 1, cfg, max_value=2).config["max_value"] == 2
    with pytest.raises(ConfigError):
        t.generate(3, 1, cfg, difficulty="easy")


def test_problem_is_json_normalised_and_round_trips() -> None:
    class TupleTerms(ToyAddition):
        def build(self, rng, config):  # type: ignore[no-untyped-def]
            draft = super().build(rng, config)
            return type(draft)(prompt=draft.prompt, answer=draft.answer, metadata={"terms": tuple(draft.metadata["terms"])})

    p = TupleTerms().generate(0, 0)
    assert isinstance(p.metadata["terms"], list)  # tuples became lists, so a reload is equal
    assert Problem.from_json(p.to_json()) == p
    assert p.gym_id == "vrgym/ToyAddition-v0" and p.tags == ("math/toy",)


def test_verify_guards() -> None:
    t = ToyAddition()
    p = t.generate(0, 0)
    assert t.verify(p, t.reference_response(p)).reward == 1
    assert t.verify(p.to_json(), t.reference_response(p)).reward == 1
    assert t.verify(p.model_dump(), t.reference_response(p)).reward == 1
    assert t.verify(p, None).reason == "format"
    assert t.verify(p, "x" * (t.max_response_chars + 1)).reason == "too_long"


def test_verifier_exceptions_become_verifier_error() -> None:
    class Raising(ToyAddition):
        def check(self, problem: Problem, response: str) -> Verdict:
            raise ZeroDivisionError("oops")

    class WrongType(ToyAddition):
        def check(self, problem: Problem, response: str) -> Verdict:
            return 1  # type: ignore[return-value]

    p = ToyAddition().generate(0, 0)
    for cls in (Raising, WrongType):
        verdict = cls().verify(p, "anything")
        assert (verdict.reward, verdict.reason) == (0, "verifier_error")
        assert verdict.is_infrastructure_failure


def test_foreign_problems_are_refused_with_a_remedy() -> None:
    p = ToyAddition().generate(0, 0)
    with pytest.raises(ProblemMismatchError, match="regenerate"):
        ToyAddition().verify(p.model_copy(update={"version": 5}), "x")
    with pytest.raises(ProblemMismatchError, match="vrgym.verify"):
        ToyAddition().verify(p.model_copy(update={"task": "Other"}), "x")
    with pytest.raises(ProblemMismatchError, match="not a valid Problem"):
        ToyAddition().verify({"task": "ToyAddition"}, "x")
    with pytest.raises(ProblemMismatchError):
        ToyAddition().verify("{not json", "x")


def test_verdict_invariants() -> None:
    with pytest.raises(ValueError):
        Verdict(reward=1, reason="wrong_answer")
    with pytest.raises(ValueError):
        Verdict(reward=0, reason="ok")
    with pytest.raises(ValueError):
        Verdict(reward=0, reason="Not A Code")
    with pytest.raises(ValueError):
        Verdict(reward=2, reason="ok")
    assert Verdict.fail("hack:multiple_answers").reward == 0
    assert len(Verdict.fail("format", "x" * 10_000).detail) <= 2000


def test_non_json_answers_are_rejected_at_generation() -> None:
    class Bad(ToyAddition):
        def build(self, rng, config):  # type: ignore[no-untyped-def]
            draft = super().build(rng, config)
            return type(draft)(prompt=draft.prompt, answer={1, 2})

    with pytest.raises(TypeError, match="JSON-serialisable"):
        Bad().generate(0, 0)


def test_template_is_abstract() -> None:
    with pytest.raises(TypeError):
        Template()  # type: ignore[abstract]


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_like = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner) | st.tuples(inner, inner) | st.dictionaries(st.text(), inner),
    max_leaves=30,
)


@settings(max_examples=120, deadline=None)
@given(json_like)
def test_fast_normalisation_equals_the_json_round_trip(value: object) -> None:
    expected = json.loads(json.dumps(value))
    normalised = _json_normalised(value, "answer")
    assert normalised == expected and json.dumps(normalised) == json.dumps(expected)
    if isinstance(value, (list, dict)):
        assert normalised is not value  # a copy: the template's own objects are never shared


def test_seeding_key_from_parts_equals_the_canonical_json() -> None:
    config = {"difficulty": "hard", "b": [1, "é"], "a": None}
    assert problem_key("T", 1, 2, 3, config) == problem_key("T", 1, 2, 3, canonical_json(config)) == canonical_json(
        {"task": "T", "version": 1, "seed": 2, "index": 3, "config": config}
    )


def test_default_check_extracts_then_calls_check_answer() -> None:
    seen: list[str] = []

    class Recording(ToyAddition):
        def check_answer(self, problem: Problem, answer: str) -> Verdict:
            seen.append(answer)
            return super().check_answer(problem, answer)

    t = Recording()
    p = t.generate(0, 0)
    assert t.verify(p, f"<think>\\boxed{{0}}</think> so \\boxed{{ {p.answer} }}").reward == 1
    assert t.verify(p, "\\boxed{1} \\boxed{2}").reason == "hack:multiple_answers"
    assert t.verify(p, "no box").reason == "no_answer"
    assert seen == [str(p.answer)]  # only a single, stripped final answer reaches check_answer


def test_a_template_must_check_somehow() -> None:
    class Unchecked(ToyAddition):
        check_answer = Template.check_answer

    with pytest.raises(vrgym.RegistrationError, match="check_answer"):
        vrgym.register(type("NoCheck", (Unchecked,), {"name": "NoCheck"}))
