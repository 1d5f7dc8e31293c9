"""The registry: registration rules, lookup by name/alias/gym id, domains, hierarchical tags, plugins."""

from __future__ import annotations

import sys
import types
import warnings
from collections.abc import Iterator
from importlib import metadata

import gymnasium
import pytest

import vrgym
from vrgym.testing.toys import ToyAddition
from vrgym import RegistrationError, UnknownTaskError, registry


@pytest.fixture
def toy() -> Iterator[type[ToyAddition]]:
    vrgym.register(ToyAddition)
    yield ToyAddition
    registry.unregister("ToyAddition")


def test_lookup_by_every_alias(toy: type[ToyAddition]) -> None:
    for alias in ("ToyAddition", "toyaddition", "toy_addition", "vrgym/ToyAddition-v0", "VRGYM/toyaddition-v0", " ToyAddition "):
        assert registry.resolve_name(alias) == "ToyAddition"
    assert isinstance(vrgym.get_template("toy_addition"), ToyAddition)
    assert vrgym.get_template("ToyAddition") is vrgym.get_template("toy_addition")  # one shared instance
    assert "vrgym/ToyAddition-v0" in gymnasium.registry


def test_unknown_names_suggest_the_closest(toy: type[ToyAddition]) -> None:
    with pytest.raises(UnknownTaskError) as info:
        vrgym.get_template("ToyAdition")
    assert "Did you mean: ToyAddition" in str(info.value) and "vrgym list" in str(info.value)  # the closest first
    assert info.value.suggestions[0] == "ToyAddition"


def test_filters_by_domain_and_tag_prefix(toy: type[ToyAddition]) -> None:
    assert "ToyAddition" in vrgym.template_names(domain="math")
    assert "ToyAddition" not in vrgym.template_names(domain="logic")
    for query in ("math", "math/toy", "math/toy/"):
        assert "ToyAddition" in vrgym.template_names(tag=query)
    assert "ToyAddition" not in vrgym.template_names(tag="math/to")  # segments, not string prefixes
    info = registry.template_info("ToyAddition")
    assert (info.gym_id, info.levels, info.default_level) == ("vrgym/ToyAddition-v0", ("easy", "medium", "hard"), "easy")


def test_tag_prefixes_for_coverage() -> None:
    assert registry.tag_prefixes(["math/algebra/quadratic", "logic/sudoku"]) == {
        "math", "math/algebra", "math/algebra/quadratic", "logic", "logic/sudoku"}


def test_unregister_removes_gym_id(toy: type[ToyAddition]) -> None:
    registry.unregister("ToyAddition")
    assert "vrgym/ToyAddition-v0" not in gymnasium.registry
    with pytest.raises(UnknownTaskError):
        vrgym.get_template("ToyAddition")
    vrgym.register(ToyAddition)  # the fixture unregisters again


@pytest.mark.parametrize(
    ("attributes", "message"),
    [({"name": "bad name"}, "CamelCase"), ({"name": "lower"}, "CamelCase"), ({"domain": "Math/X"}, "domain"),
     ({"tags": "math"}, "tags"), ({"tags": ("Math/X",)}, "tags"), ({"version": -1}, "version")],
)
def test_invalid_templates_are_refused(attributes: dict, message: str) -> None:
    bad = type("Bad", (ToyAddition,), attributes)
    with pytest.raises(RegistrationError, match=message):
        vrgym.register(bad)


def test_duplicate_names_from_other_classes_are_refused(toy: type[ToyAddition]) -> None:
    impostor = type("Impostor", (ToyAddition,), {})
    with pytest.raises(RegistrationError, match="already taken"):
        vrgym.register(impostor)


def test_abstract_and_broken_levels_are_refused() -> None:
    class Half(vrgym.Template):
        name = "Half"
        domain = "math"

    with pytest.raises(RegistrationError, match="does not implement"):
        vrgym.register(Half)

    class BadLevels(ToyAddition.Config):  # type: ignore[name-defined]
        levels = {"easy": {"max_value": "many"}}

    broken = type("BrokenLevels", (ToyAddition,), {"name": "BrokenLevels", "Config": BadLevels})
    with pytest.raises(RegistrationError, match="level 'easy'"):
        vrgym.register(broken)


def test_entry_point_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("vrgym_fake_plugin")
    module.Plugged = type("Plugged", (ToyAddition,), {"name": "Plugged", "__module__": "vrgym_fake_plugin"})  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "vrgym_fake_plugin", module)
    good = metadata.EntryPoint("plugged", "vrgym_fake_plugin:Plugged", registry.ENTRY_POINT_GROUP)
    broken = metadata.EntryPoint("broken", "vrgym_missing_module:Thing", registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry.metadata, "entry_points", lambda group: [good, broken])
    monkeypatch.setattr(registry, "_LOADED", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        registry.load_plugins()
    try:
        assert "Plugged" in vrgym.template_names()
        assert "vrgym/Plugged-v0" in gymnasium.registry
        assert any("skipped task plugin 'broken'" in str(w.message) for w in caught)
    finally:
        registry.unregister("Plugged")
