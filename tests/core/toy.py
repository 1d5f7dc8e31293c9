"""A tiny template used by the core tests (kept out of the registry unless a test registers it)."""

from __future__ import annotations

import random

from vrgym import Draft, Problem, Template, TemplateConfig, Verdict


class ToySumConfig(TemplateConfig):
    levels = {"easy": {"terms": 2, "high": 9}, "hard": {"terms": 4, "high": 999}}
    default_level = "easy"
    terms: int = 2
    high: int = 9


class ToySum(Template):
    """Add a few integers; the answer goes in \\boxed{}."""

    name = "ToySum"
    domain = "math"
    tags = ("math/toy/sum",)
    description = "Add a few integers."
    Config = ToySumConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, ToySumConfig)
        terms = [rng.randint(0, config.high) for _ in range(config.terms)]
        return Draft(prompt=f"Compute {' + '.join(map(str, terms))}. {self.answer_format.instruction}",
                     answer=sum(terms), metadata={"terms": tuple(terms)})

    def check(self, problem: Problem, response: str) -> Verdict:
        found = self.extract(response)
        if not found.ok:
            return Verdict.fail(found.reason, found.detail)
        if found.answer == str(problem.answer):
            return Verdict.correct(answer=found.answer)
        return Verdict.fail("wrong_answer", answer=found.answer)

    def reference_response(self, problem: Problem) -> str:
        return self.answer_format.wrap(str(problem.answer))
