"""Fixtures of the env tests: register the toy template for one test module, then remove it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import vrgym
import vrgym.registry
from tests.envs.toy_template import TOY, TOY_ID, EnvToyAdd


@pytest.fixture(scope="module")
def toy_id() -> Iterator[str]:
    """Register the toy template (and its gym id) for one test module."""
    vrgym.register(EnvToyAdd)
    yield TOY_ID
    vrgym.registry.unregister(TOY)


@pytest.fixture
def toy(toy_id: str) -> EnvToyAdd:
    """The registered toy template instance."""
    return vrgym.get_template(TOY)  # type: ignore[return-value]
