"""Fixtures of the filter tests: real problems and a scripted in-process reference model.

`ScriptedModel` implements the `vrgym.models.ReferenceModel` interface with outcomes fixed by the
seed: a sample is the problem's reference response (reward 1) unless its seed is divisible by
`wrong_every` (a wrong answer), so the expected (n, c) of every problem is known exactly from
`vrgym.filter.sample_seed` — see `expected_c`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence

import pytest

import vrgym
from vrgym.filter import sample_seed
from vrgym.models import ReferenceModel, Sample, SampleRequest, SampleResult
from vrgym.problem import Problem

WRONG = "I think the answer is \\boxed{123456789}."


def make_problems(arith: int = 5, game24: int = 3) -> list[Problem]:
    """Arithmetic and Game24 problems (two templates, two answer kinds)."""
    return [*vrgym.generate("Arithmetic", arith, seed=3), *vrgym.generate("Game24", game24, seed=3)]


def respond(problem: Problem, seed: int, wrong_every: int = 4) -> str:
    """The scripted outcome of one sample: correct unless seed % wrong_every == 0."""
    if seed % wrong_every == 0:
        return WRONG
    return vrgym.get_template(problem.task).reference_response(problem)


def expected_c(problem: Problem, k: int, run_seed: int = 0, wrong_every: int = 4) -> int:
    """How many of the k samples of `problem` the scripted model gets right."""
    return sum(sample_seed(run_seed, problem.id, i) % wrong_every != 0 for i in range(k))


class ScriptedModel(ReferenceModel):
    """A ReferenceModel answering from a script; records every request it served."""

    backend = "scripted"

    def __init__(
        self,
        problems: Sequence[Problem],
        *,
        wrong_every: int = 4,
        delay: float = 0.0,
        fail: Iterable[str] = (),
        truncate_every: int = 0,
        name: str = "scripted-1",
    ) -> None:
        self.by_prompt = {p.prompt: p for p in problems}
        self.wrong_every = wrong_every
        self.delay = delay
        self.fail = set(fail)
        self.truncate_every = truncate_every
        self.name = name
        self.requests: list[SampleRequest] = []

    def describe(self) -> dict[str, object]:
        return {"backend": self.backend, "model": self.name, "revision": None}

    def check(self) -> None:
        pass

    def generate(self, requests: Iterable[SampleRequest]) -> Iterator[SampleResult]:
        for request in requests:
            self.requests.append(request)
            if self.delay:
                time.sleep(self.delay)
            problem = self.by_prompt[request.prompt]
            if problem.id in self.fail:
                yield SampleResult(request.key, (), error="HTTP 400: the prompt is longer than the context")
                continue
            samples = []
            for seed in request.seeds:
                truncated = bool(self.truncate_every) and seed % self.truncate_every == 1
                text = "Let me think step by step and" if truncated else respond(problem, seed, self.wrong_every)
                samples.append(Sample(text, seed, "length" if truncated else "stop", len(text.split())))
            yield SampleResult(request.key, tuple(samples))

    @property
    def sampled(self) -> int:
        return sum(len(r.seeds) for r in self.requests)


@pytest.fixture
def problems() -> list[Problem]:
    return make_problems()
