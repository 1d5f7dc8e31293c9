"""vrgym — a Verifiable Rewards Gym for reinforcement learning of language models.

A registry of task templates, each a procedural prompt generator paired with a rule-based binary
verifier. Importing vrgym registers every template (built-in and from `vrgym.tasks` entry points)
and its Gymnasium id `vrgym/<Name>-v<version>`; it does not import sympy, datasets, docker, torch
or ray (those load lazily where they are used).

    import vrgym
    template = vrgym.get_template("Arithmetic")
    problem = template.generate(seed=0, index=0, difficulty="hard")
    verdict = vrgym.verify(problem, "… \\boxed{-7/3}")
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vrgym.config import TemplateConfig
from vrgym.errors import (
    ConfigError,
    DataFileError,
    ProblemMismatchError,
    RegistrationError,
    UnknownTaskError,
    VrgymError,
)
from vrgym.problem import Problem
from vrgym.registry import (
    get_template,
    get_template_class,
    list_templates,
    load_plugins,
    register,
    template_names,
)
from vrgym.template import Draft, Template
from vrgym.verdict import Verdict
from vrgym.verifiers.extraction import AnswerFormat, extract_answer

__version__ = "0.1.0"

__all__ = [
    "AnswerFormat",
    "ConfigError",
    "DataFileError",
    "Draft",
    "Problem",
    "ProblemMismatchError",
    "RegistrationError",
    "Template",
    "TemplateConfig",
    "UnknownTaskError",
    "Verdict",
    "VrgymError",
    "__version__",
    "extract_answer",
    "generate",
    "get_template",
    "get_template_class",
    "list_templates",
    "register",
    "template_names",
    "verify",
]


def generate(
    task: str, n: int = 1, seed: int = 0, *, difficulty: str | int | None = None, start: int = 0, **config: Any
) -> Iterator[Problem]:
    """Problems `start .. start+n-1` of template `task` for stream `seed`."""
    return get_template(task).problems(n, seed, difficulty=difficulty, start=start, **config)


def verify(problem: Problem | Mapping[str, Any] | str, response: Any) -> Verdict:
    """Verify `response` with the template that made `problem` (a Problem, its dict or its JSON)."""
    problem = Problem.coerce(problem)
    return get_template(problem.task).verify(problem, response)


load_plugins()
