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
from tests.core.toy import ToySum
from vrgym import RegistrationError, UnknownTaskError, registry


@pytest.fixture
def toy() -> Iterator[type[ToySum]]:
    vrgym.register(ToySum)
    yield ToySum
    registry.unregister("ToySum")


def test_lookup_by_every_alias(toy: type[ToySum]) -> None:
    for alias in ("ToySum", "toysum", "toy_sum", "vrgym/ToySum-v0", "VRGYM/toysum-v0", " ToySum "):
        assert registry.resolve_name(alias) == "ToySum"
    assert isinstance(vrgym.get_template("toy_sum"), ToySum)
    assert vrgym.get_template("ToySum") is vrgym.get_template("toy_sum")  # one shared instance
    assert "vrgym/ToySum-v0" in gymnasium.registry


def test_unknown_names_suggest_the_closest(toy: type[ToySum]) -> None:
    with pytest.raises(UnknownTaskError) as info:
        vrgym.get_template("ToySun")
    assert "Did you mean: ToySum?" in str(info.value) and "vrgym list" in str(info.value)
    assert info.value.suggestions[0] == "ToySum"


def test_filters_by_domain_and_tag_prefix(toy: type[ToySum]) -> None:
    assert "ToySum" in vrgym.template_names(domain="math")
    assert "ToySum" not in vrgym.template_names(domain="logic")
    for query in ("math", "math/toy", "math/toy/sum", "math/toy/"):
        assert "ToySum" in vrgym.template_names(tag=query)
    assert "ToySum" not in vrgym.template_names(tag="math/to")  # segments, not string prefixes
    info = registry.template_info("ToySum")
    assert (info.gym_id, info.levels, info.default_level) == ("vrgym/ToySum-v0", ("easy", "hard"), "easy")


def test_tag_prefixes_for_coverage() -> None:
    assert registry.tag_prefixes(["math/algebra/quadratic", "logic/sudoku"]) == {
        "math", "math/algebra", "math/algebra/quadratic", "logic", "logic/sudoku"}


def test_unregister_removes_gym_id(toy: type[ToySum]) -> None:
    registry.unregister("ToySum")
    assert "vrgym/ToySum-v0" not in gymnasium.registry
    with pytest.raises(UnknownTaskError):
        vrgym.get_template("ToySum")
    vrgym.register(ToySum)  # the fixture unregisters again


@pytest.mark.parametrize(
    ("attributes", "message"),
    [({"name": "bad name"}, "CamelCase"), ({"name": "lower"}, "CamelCase"), ({"domain": "Math/X"}, "domain"),
     ({"tags": "math"}, "tags"), ({"tags": ("Math/X",)}, "tags"), ({"version": -1}, "version")],
)
def test_invalid_templates_are_refused(attributes: dict, message: str) -> None:
    bad = type("Bad", (ToySum,), attributes)
    with pytest.raises(RegistrationError, match=message):
        vrgym.register(bad)


def test_duplicate_names_from_other_classes_are_refused(toy: type[ToySum]) -> None:
    impostor = type("Impostor", (ToySum,), {})
    with pytest.raises(RegistrationError, match="already taken"):
        vrgym.register(impostor)


def test_abstract_and_broken_levels_are_refused() -> None:
    class Half(vrgym.Template):
        name = "Half"
        domain = "math"

    with pytest.raises(RegistrationError, match="does not implement"):
        vrgym.register(Half)

    class BadLevels(ToySum.Config):  # type: ignore[name-defined]
        levels = {"easy": {"terms": "many"}}

    broken = type("BrokenLevels", (ToySum,), {"name": "BrokenLevels", "Config": BadLevels})
    with pytest.raises(RegistrationError, match="level 'easy'"):
        vrgym.register(broken)


def test_entry_point_plugins(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("vrgym_fake_plugin")
    module.Plugged = type("Plugged", (ToySum,), {"name": "Plugged", "__module__": "vrgym_fake_plugin"})  # type: ignore[attr-defined]
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
