"""A toy template for the env tests, so they do not depend on the real templates in `vrgym.tasks`.

The fixtures in conftest.py register it for one test module and remove it afterwards.

`EnvToyAdd` asks for a sum in a prompt with non-ASCII text, checks a `\\boxed{}` answer, and
simulates an infrastructure failure (its checker raises, which `Template.verify` turns into a
`verifier_error` verdict) when the response contains `CRASH`.
"""

from __future__ import annotations

import random

from pydantic import Field

import vrgym
from vrgym import Draft, Problem, TemplateConfig, Verdict
from vrgym.testing.toys import ToyAddition

TOY = "EnvToyAdd"
TOY_ID = "vrgym/EnvToyAdd-v0"


def builtin_template_names() -> list[str]:
    """The real templates shipped in `vrgym.tasks` (not toys other test modules register)."""
    return [name for name in vrgym.template_names() if vrgym.get_template_class(name).__module__.startswith("vrgym.tasks.")]


class EnvToyConfig(TemplateConfig):
    levels = {"easy": {"max_operand": 9}, "hard": {"max_operand": 999}}

    max_operand: int = Field(9, ge=1)


class EnvToyAdd(ToyAddition):
    """vrgym's correct toy, with a non-ASCII prompt and a checker that crashes on demand."""

    name = TOY
    description = "Add two numbers (env tests only)."
    Config = EnvToyConfig

    def build(self, rng: random.Random, config: EnvToyConfig) -> Draft:  # type: ignore[override]
        a, b = rng.randint(0, config.max_operand), rng.randint(0, config.max_operand)
        prompt = f"Calculez {a} + {b} (é, ×, π).\n{self.answer_format.instruction}"
        return Draft(prompt=prompt, answer=a + b, metadata={"terms": [a, b]})

    def check(self, problem: Problem, response: str) -> Verdict:
        if "CRASH" in response:
            raise RuntimeError("toy checker crashed")
        return super().check(problem, response)
