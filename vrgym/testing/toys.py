"""Toy templates: one that keeps the contract, and deliberately broken variants that each break one rule.

They exist to show that the contract suite fails loudly — vrgym's own tests assert which checks
each broken toy fails — and they are handy for anyone extending the suite or the CLI's selfcheck.
None is registered on import; register one explicitly (and `vrgym.registry.unregister` it after).

`ToyAddition` asks for the sum of two integers whose size grows with the level. Each broken
variant overrides only the part it breaks and names the check expected to catch it in `breaks`.
"""

from __future__ import annotations

import random
import re
import time
from typing import Any, ClassVar

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.template import Draft, Template
from vrgym.verdict import WRONG_ANSWER, Verdict

_INTEGER = re.compile(r"^[+-]?\d+$")


class ToyAdditionConfig(TemplateConfig):
    max_value: int = 9
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": {"max_value": 9},
        "medium": {"max_value": 999},
        "hard": {"max_value": 999_999},
    }


class ToyAddition(Template):
    """A correct toy: 'What is a + b?', answered in \\boxed{}."""

    name = "ToyAddition"
    domain = "math"
    tags = ("math/toy",)
    description = "Add two integers (a toy that keeps the contract)."
    Config = ToyAdditionConfig
    breaks: ClassVar[frozenset[str]] = frozenset()
    """The contract checks this toy is built to fail."""

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, ToyAdditionConfig)
        a, b = rng.randint(0, config.max_value), rng.randint(0, config.max_value)
        prompt = f"What is {a} + {b}? {self.answer_format.instruction}"
        return Draft(prompt=prompt, answer=a + b, metadata={"terms": [a, b]})

    def check_answer(self, problem: Problem, answer: str) -> Verdict:
        if not _INTEGER.match(answer) or len(answer) > 40:
            return Verdict.fail(WRONG_ANSWER, f"{answer} is not an integer", answer=answer)
        if int(answer) != problem.answer:
            return Verdict.fail(WRONG_ANSWER, f"{answer} is not the sum", answer=answer)
        return Verdict.correct(answer=answer)

    def reference_response(self, problem: Problem) -> str:
        a, b = problem.metadata["terms"]
        return f"{a} + {b} = {problem.answer}. {self.answer_format.wrap(str(problem.answer))}"


class GoldAnywhere(ToyAddition):
    """Accepts any response in which the gold answer appears: the classic reward hack."""

    name = "GoldAnywhere"
    breaks = frozenset({"gauntlet"})

    def check(self, problem: Problem, response: str) -> Verdict:
        if str(problem.answer) in response:
            return Verdict.correct()
        return Verdict.fail(WRONG_ANSWER)


class RaisesOnEmpty(ToyAddition):
    """Crashes on an empty response (the base class turns that into `verifier_error`)."""

    name = "RaisesOnEmpty"
    breaks = frozenset({"gauntlet"})

    def check(self, problem: Problem, response: str) -> Verdict:
        if not response:
            raise ValueError("empty response")
        return super().check(problem, response)


class EscapingException(ToyAddition):
    """Overrides `verify` itself and lets exceptions escape on non-string input."""

    name = "EscapingException"
    breaks = frozenset({"gauntlet"})

    def verify(self, problem: Any, response: Any) -> Verdict:
        return super().verify(problem, response.strip())


class GlobalRandom(ToyAddition):
    """Draws from the global `random` module instead of the rng it is given."""

    name = "GlobalRandom"
    breaks = frozenset({"determinism"})

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        return super().build(random.Random(random.random()), config)


class HashSeeded(ToyAddition):
    """Seeds from `hash()` of a string: stable in one process, different under another PYTHONHASHSEED."""

    name = "HashSeeded"
    breaks = frozenset({"determinism"})

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        return super().build(random.Random(hash(f"toy-{rng.random()}")), config)


class ShiftedSeeds(ToyAddition):
    """Seeds each problem with `seed + index`, so seed s+1 replays seed s shifted by one."""

    name = "ShiftedSeeds"
    breaks = frozenset({"seeds"})

    def generate(self, seed: int = 0, index: int = 0, config: Any = None, **kwargs: Any) -> Problem:
        problem = super().generate(seed, index, config, **kwargs)
        draft = ToyAddition.build(self, random.Random(seed + index), self.config(problem.difficulty))
        return problem.model_copy(update={"prompt": draft.prompt, "answer": draft.answer, "metadata": draft.metadata})


class WrongReference(ToyAddition):
    """Its reference response is off by one."""

    name = "WrongReference"
    breaks = frozenset({"reference", "cross_process"})

    def reference_response(self, problem: Problem) -> str:
        return self.answer_format.wrap(str(problem.answer + 1))


class FlatLevels(ToyAddition):
    """Declares levels that change nothing."""

    class Config(ToyAdditionConfig):
        levels: ClassVar[dict[str, dict[str, Any]]] = {"easy": {}, "medium": {}, "hard": {}}

    name = "FlatLevels"
    breaks = frozenset({"levels"})


class IgnoredLevels(ToyAddition):
    """Levels set fields that generation never reads."""

    name = "IgnoredLevels"
    breaks = frozenset({"levels"})

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        return super().build(rng, ToyAdditionConfig(difficulty="easy"))


class HiddenState(ToyAddition):
    """Keeps the answers in process memory at generation time: fails in any other process."""

    name = "HiddenState"
    breaks = frozenset({"cross_process"})
    _answers: ClassVar[dict[str, int]] = {}

    def generate(self, *args: Any, **kwargs: Any) -> Problem:
        problem = super().generate(*args, **kwargs)
        self._answers[problem.prompt] = problem.answer
        return problem

    def check(self, problem: Problem, response: str) -> Verdict:
        extraction = self.extract(response)
        if extraction.ok and extraction.answer == str(self._answers.get(problem.prompt)):
            return Verdict.correct()
        return Verdict.fail(WRONG_ANSWER)


class TupleAnswer(ToyAddition):
    """Bypasses JSON normalisation, so a reloaded problem no longer equals the original."""

    name = "TupleAnswer"
    breaks = frozenset({"json"})

    def generate(self, *args: Any, **kwargs: Any) -> Problem:
        problem = super().generate(*args, **kwargs)
        return problem.model_copy(update={"metadata": {"terms": tuple(problem.metadata["terms"])}})


class LooseVerdicts(ToyAddition):
    """Returns verdicts that skip validation: reward 1 with reason 'wrong_answer'."""

    name = "LooseVerdicts"
    breaks = frozenset({"verdicts", "reference", "gauntlet"})

    def verify(self, problem: Any, response: Any) -> Verdict:
        return Verdict.model_construct(reward=1, reason=WRONG_ANSWER, detail="", checks={}, answer=None)


class SlowOnLongInput(ToyAddition):
    """Takes time proportional to the response length (1 s per million characters)."""

    name = "SlowOnLongInput"
    breaks = frozenset({"gauntlet"})

    def check(self, problem: Problem, response: str) -> Verdict:
        time.sleep(len(response) / 1_000_000)
        return super().check(problem, response)


class SilentFormat(ToyAddition):
    """Its prompt never says where the answer goes, so a model cannot know the verifier reads \\boxed{}."""

    name = "SilentFormat"
    breaks = frozenset({"reference"})

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        draft = super().build(rng, config)
        return Draft(prompt=draft.prompt.replace(self.answer_format.instruction, "").strip(), answer=draft.answer,
                     metadata=draft.metadata)


BROKEN_TOYS: tuple[type[ToyAddition], ...] = (
    GoldAnywhere,
    RaisesOnEmpty,
    EscapingException,
    GlobalRandom,
    HashSeeded,
    ShiftedSeeds,
    WrongReference,
    FlatLevels,
    IgnoredLevels,
    HiddenState,
    TupleAnswer,
    LooseVerdicts,
    SlowOnLongInput,
    SilentFormat,
)
"""Every deliberately broken toy; each says in `breaks` which checks must catch it."""
