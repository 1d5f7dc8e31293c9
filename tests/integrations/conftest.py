"""Shared fixtures of the integration tests: a few problems and their reference responses."""

from __future__ import annotations

import pytest

import vrgym
from vrgym.registry import register, unregister
from vrgym.template import Draft, Template
from vrgym.verdict import SANDBOX_ERROR, Verdict


@pytest.fixture(scope="session")
def problems() -> list[vrgym.Problem]:
    """Problems of two templates with different answer formats (boxed math, <answer> Morse)."""
    return [
        *vrgym.generate("Arithmetic", n=3, seed=1),
        *vrgym.generate("MorseDecode", n=2, seed=1),
    ]


@pytest.fixture(scope="session")
def references(problems) -> list[str]:
    """A response that scores 1 for each problem."""
    return [vrgym.get_template(p.task).reference_response(p) for p in problems]


class _SandboxDown(Template):
    """A template whose checker always reports an infrastructure failure."""

    name = "IntegrationsSandboxDown"
    domain = "code"
    tags = ("code/test",)

    def build(self, rng, config):
        return Draft(prompt="Say hi in \\boxed{}.", answer="hi")

    def check_answer(self, problem, answer):
        return Verdict.fail(SANDBOX_ERROR, "the sandbox could not start")

    def reference_response(self, problem):
        return "\\boxed{hi}"


@pytest.fixture
def sandbox_down():
    """Registered only while a test runs, so the contract suite never collects it."""
    register(_SandboxDown)
    yield _SandboxDown
    unregister(_SandboxDown.name)


@pytest.fixture
def sandbox_problem(sandbox_down) -> vrgym.Problem:
    """A problem whose verifier always answers sandbox_error."""
    return sandbox_down().generate()
