"""CodeTemplate: a minimal code template built on it passes the contract checks that need no registry."""

from __future__ import annotations

import random
from typing import ClassVar

from vrgym.config import TemplateConfig
from vrgym.problem import Problem
from vrgym.tasks.code._code_template import CodeTemplate
from vrgym.template import Draft
from vrgym.testing import run_contract
from vrgym.verifiers.code import CodeSpec
from vrgym.verifiers.extraction import AnswerFormat


class ScaleConfig(TemplateConfig):
    levels: ClassVar[dict[str, dict[str, int]]] = {"easy": {"size": 5}, "hard": {"size": 50}}
    default_level: ClassVar[str] = "easy"
    size: int = 5


class ToyScale(CodeTemplate):
    """Multiply every element by a drawn factor; the reference starts with an import, like HumanEval's."""

    name = "ToyScale"
    tags = ("code/toy",)
    Config = ScaleConfig

    def build(self, rng: random.Random, config: TemplateConfig) -> Draft:
        assert isinstance(config, ScaleConfig)
        factor = rng.randint(2, 10**6)
        name = rng.choice(["scale", "times", "multiply_all", "grow", "stretch"])  # foreign answers define other names
        lists = [[rng.randint(-99, 99) for _ in range(rng.randint(0, config.size))] for _ in range(6)]
        spec = CodeSpec(kind="call", entry_point=name, tests=[{"args": [xs], "expected": [factor * x for x in xs]} for xs in lists])  # type: ignore[list-item]
        solution = f"from typing import List\n\n\ndef {name}(xs: List[int]) -> List[int]:\n    return [{factor} * x for x in xs]"
        prompt = self.render_prompt(
            f"Return the list with every element multiplied by {factor}.",
            signature=f"def {name}(xs: List[int]) -> List[int]:",
            examples=[f"{name}({lists[0]!r}) == {spec.tests[0].expected!r}"],  # type: ignore[union-attr]
        )
        return Draft(prompt=prompt, answer=spec.model_dump(mode="json"), metadata={"solution": solution})


def test_prompt_states_the_code_format() -> None:
    problem = ToyScale().generate(seed=1)
    assert "```python" in problem.prompt and AnswerFormat.CODE.instruction in problem.prompt
    assert "def " in problem.prompt


def test_reference_and_foreign_answers(local_executor: object) -> None:
    template = ToyScale()
    first, second = template.generate(seed=1), template.generate(seed=2)
    assert template.verify(first, template.reference_response(first)).reward == 1
    assert template.verify(second, template.reference_response(first)).reward == 0
    assert template.verify(Problem.from_json(first.to_json()), template.reference_response(first)).reward == 1


def test_contract_checks_without_registry(local_executor: object) -> None:
    report = run_contract(ToyScale(), checks=["reference", "gauntlet", "json", "verdicts", "levels"], seeds=4, gauntlet_seeds=1)
    assert report.ok, report.summary()


def test_gauntlet_does_not_join_programs() -> None:
    """`A; B` of two programs is a new program (here: a correct one that also defines another function)."""
    from vrgym.testing.gauntlet import build_gauntlet

    template = ToyScale()
    problem, other = template.generate(seed=1), template.generate(seed=3)
    answer, foreign = (template.extract(template.reference_response(p)).answer for p in (problem, other))
    attacks = {a.name for a in build_gauntlet(template, problem, template.reference_response(problem), answer,
                                              [(template.reference_response(other), foreign)], heavy=False)}
    assert "two_markers" in attacks and "padded_after" in attacks
    assert not {"listed_or", "listed_comma", "listed_semicolon"} & attacks
