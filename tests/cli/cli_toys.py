"""Toy templates for the CLI tests (the real ones live in vrgym.tasks and change on their own).

Importing this module does not register them (the contract suite parametrizes over every
registered template at collection time; these are only for the CLI tests): the `toys` fixture and
`run_cli.py` call `register_toys()`. Process-pool workers find them by module and class name.

* `ToyEcho`  — repeat a number in \\boxed{}; int answer; levels easy/hard (default hard).
* `ToyPair`  — give two words in <answer>…</answer>; list answer, nested metadata.
* `ToySlow`  — like ToyEcho but slow to generate (for Ctrl-C tests).
* `ToyBroken` — its reference response is wrong, so the contract suite must fail it.
"""

from __future__ import annotations

import random
import time
from typing import ClassVar

from vrgym import Draft, Problem, Template, TemplateConfig, Verdict, register
from vrgym.verdict import WRONG_ANSWER
from vrgym.verifiers.extraction import AnswerFormat


class EchoConfig(TemplateConfig):
    width: int = 2
    levels: ClassVar[dict[str, dict[str, object]]] = {"easy": {"width": 1}, "hard": {"width": 3}}
    default_level: ClassVar[str | None] = "hard"


class ToyEcho(Template):
    name = "ToyEcho"
    domain = "toy"
    tags = ("toy/echo",)
    description = "Repeat a number."
    Config = EchoConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        value = rng.randrange(10 ** config.width)
        return Draft(prompt=f"Repeat {value}. {self.answer_format.instruction}", answer=value, metadata={"width": config.width})

    def check(self, problem: Problem, response: str) -> Verdict:
        found = self.extract(response)
        if found.answer is None:
            return Verdict.fail(found.reason, "no boxed answer")
        if found.answer.strip() == str(problem.answer):
            return Verdict.correct(answer=found.answer)
        return Verdict.fail(WRONG_ANSWER, f"expected {problem.answer}", answer=found.answer)

    def reference_response(self, problem: Problem) -> str:
        return self.answer_format.wrap(str(problem.answer))


class PairConfig(TemplateConfig):
    pass


class ToyPair(Template):
    name = "ToyPair"
    domain = "toylogic"
    tags = ("toy/pair", "toy/words")
    description = "Say two words."
    Config = PairConfig
    answer_format = AnswerFormat.TAG
    WORDS: ClassVar[tuple[str, ...]] = ("ünïcode", "alpha", "beta", "gamma", "δέλτα")

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        pair = [rng.choice(self.WORDS), rng.choice(self.WORDS)]
        return Draft(
            prompt=f"Say {pair[0]} {pair[1]}. {self.answer_format.instruction}",
            answer=pair,
            metadata={"nested": {"pair": pair, "score": 0.5, "none": None}},
            tags=("toy/pair/instance",),
        )

    def check(self, problem: Problem, response: str) -> Verdict:
        found = self.extract(response)
        if found.answer is None:
            return Verdict.fail(found.reason, "no answer tag")
        if found.answer.split() == problem.answer:
            return Verdict.correct(answer=found.answer)
        return Verdict.fail(WRONG_ANSWER, "other words", answer=found.answer)

    def reference_response(self, problem: Problem) -> str:
        return self.answer_format.wrap(" ".join(problem.answer))


class ToySlow(ToyEcho):
    name = "ToySlow"
    tags = ("toy/slow",)

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        time.sleep(0.05)
        return super().build(rng, config)


class ToyBroken(ToyEcho):
    name = "ToyBroken"
    tags = ("toy/broken",)

    def reference_response(self, problem: Problem) -> str:
        return self.answer_format.wrap("not a number")


TOYS: tuple[type[Template], ...] = (ToyEcho, ToyPair, ToySlow, ToyBroken)


def register_toys() -> None:
    for cls in TOYS:
        register(cls)
