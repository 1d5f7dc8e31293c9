"""The template registry: register, look up and list templates by name, domain and tag.

Built-in templates register themselves when `vrgym.tasks` is imported; third-party packages add
theirs through the `vrgym.tasks` entry-point group (the entry point may name a module, whose import
registers its templates, or a Template subclass). Every registered template also gets a Gymnasium
id, `vrgym/<Name>-v<version>`.

Tags are hierarchical paths (`math/algebra/quadratic`); a query for `math/algebra` matches every
tag below it, so coverage can be counted at any depth.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import TypeVar

from vrgym.errors import RegistrationError, UnknownTaskError
from vrgym.template import NAME_PATTERN, TAG_PATTERN, Template

ENTRY_POINT_GROUP = "vrgym.tasks"

_TEMPLATES: dict[str, type[Template]] = {}
_INSTANCES: dict[str, Template] = {}
_ALIASES: dict[str, str] = {}  # lower-cased name, snake_case name and gym ids → canonical name
_LOADED = False

T = TypeVar("T", bound=type[Template])


@dataclass(frozen=True)
class TemplateInfo:
    """What `vrgym list` shows about a template."""

    name: str
    gym_id: str
    version: int
    domain: str
    tags: tuple[str, ...]
    levels: tuple[str, ...]
    default_level: str
    description: str


def register(cls: T) -> T:
    """Class decorator: validate a Template subclass and add it (and its Gymnasium id) to the registry."""
    _validate(cls)
    existing = _TEMPLATES.get(cls.name)
    if existing is not None and existing is not cls:
        if (existing.__module__, existing.__qualname__) != (cls.__module__, cls.__qualname__):
            raise RegistrationError(
                f"template name {cls.name!r} is already taken by {existing.__module__}.{existing.__qualname__}; "
                "choose another name"
            )
    _TEMPLATES[cls.name] = cls
    _INSTANCES.pop(cls.name, None)
    for alias in _aliases(cls):
        _ALIASES[alias] = cls.name
    from vrgym.envs.registration import register_gym_env  # envs depend on the registry, not the reverse

    register_gym_env(cls)
    return cls


def unregister(name: str) -> None:
    """Remove a template (tests use this to clean up deliberately broken templates)."""
    cls = _TEMPLATES.pop(resolve_name(name))
    _INSTANCES.pop(cls.name, None)
    for alias in _aliases(cls):
        _ALIASES.pop(alias, None)
    from vrgym.envs.registration import unregister_gym_env

    unregister_gym_env(cls)


def resolve_name(name: str) -> str:
    """Canonical template name for `name`, its snake_case form or its gym id (UnknownTaskError if none)."""
    load_plugins()
    if name in _TEMPLATES:
        return name
    key = str(name).strip().lower()
    if key in _ALIASES:
        return _ALIASES[key]
    raise UnknownTaskError(str(name), _TEMPLATES)


def get_template(name: str) -> Template:
    """The (shared, stateless) instance of the template called `name`."""
    canonical = resolve_name(name)
    if canonical not in _INSTANCES:
        _INSTANCES[canonical] = _TEMPLATES[canonical]()
    return _INSTANCES[canonical]


def get_template_class(name: str) -> type[Template]:
    """The Template subclass registered as `name`."""
    return _TEMPLATES[resolve_name(name)]


def template_names(domain: str | None = None, tag: str | None = None) -> list[str]:
    """Sorted names of registered templates, optionally filtered by domain and/or tag prefix."""
    load_plugins()
    return sorted(
        name
        for name, cls in _TEMPLATES.items()
        if (domain is None or cls.domain == domain) and (tag is None or any(tag_matches(t, tag) for t in cls.tags))
    )


def template_info(name: str) -> TemplateInfo:
    """Listing metadata of one template."""
    cls = get_template_class(name)
    levels = tuple(cls.Config.level_names())
    return TemplateInfo(
        name=cls.name,
        gym_id=cls.gym_id(),
        version=cls.version,
        domain=cls.domain,
        tags=tuple(cls.tags),
        levels=levels,
        default_level=cls.Config.level_name(None),
        description=cls.description,
    )


def list_templates(domain: str | None = None, tag: str | None = None) -> list[TemplateInfo]:
    """`TemplateInfo` of every registered template matching the filters, sorted by name."""
    return [template_info(name) for name in template_names(domain, tag)]


def domains() -> list[str]:
    """Every domain some registered template belongs to."""
    load_plugins()
    return sorted({cls.domain for cls in _TEMPLATES.values()})


def tag_matches(tag: str, query: str) -> bool:
    """True if `tag` is `query` or lies below it in the tag hierarchy ('math/algebra' ⊂ 'math')."""
    query = query.strip("/")
    return tag == query or tag.startswith(query + "/")


def tag_prefixes(tags: Iterable[str]) -> set[str]:
    """Every ancestor path of the given tags, the tags themselves included (for coverage counts)."""
    prefixes: set[str] = set()
    for tag in tags:
        parts = tag.split("/")
        prefixes.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    return prefixes


def load_plugins() -> None:
    """Import built-in templates and every `vrgym.tasks` entry point (once per process).

    A plugin that fails to load is reported with a warning naming it, and skipped: one broken
    third-party package must not make every other template unusable.
    """
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import vrgym.tasks  # noqa: F401  (registers the built-in templates)

    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry_point.load()
            if inspect.isclass(loaded) and issubclass(loaded, Template):
                register(loaded)
        except Exception as exc:  # noqa: BLE001  (any plugin failure is reported, not fatal)
            warnings.warn(
                f"vrgym: skipped task plugin {entry_point.name!r} ({entry_point.value}): "
                f"{type(exc).__name__}: {exc}. Fix or uninstall the package that provides it.",
                RuntimeWarning,
                stacklevel=2,
            )


def import_submodules(package: str, path: Iterable[str]) -> None:
    """Import every public module and subpackage of `package` (its `__path__` is `path`).

    Domain packages call this from their `__init__` so that a template module registers itself
    just by existing: adding a template never means editing a shared list of imports. Names that
    start with `_` are skipped.
    """
    import importlib
    import pkgutil

    for module in sorted(pkgutil.iter_modules(list(path)), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{package}.{module.name}")


def _aliases(cls: type[Template]) -> set[str]:
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in cls.name).lstrip("_")
    return {cls.name.lower(), snake, cls.gym_id().lower(), f"{cls.name.lower()}-v{cls.version}"}


def _validate(cls: type) -> None:
    if not (inspect.isclass(cls) and issubclass(cls, Template)):
        raise RegistrationError(f"{cls!r} is not a subclass of vrgym.Template")
    where = f"{cls.__module__}.{cls.__qualname__}"
    for attribute in ("name", "domain"):
        if not isinstance(getattr(cls, attribute, None), str):
            raise RegistrationError(f"{where} must set the class attribute {attribute!r} to a string")
    if not NAME_PATTERN.match(cls.name):
        raise RegistrationError(f"{where}: name {cls.name!r} must be CamelCase letters and digits (it becomes a gym id)")
    if not TAG_PATTERN.match(cls.domain) or "/" in cls.domain:
        raise RegistrationError(f"{where}: domain {cls.domain!r} must be a lower-case word such as 'math'")
    if not isinstance(cls.version, int) or cls.version < 0:
        raise RegistrationError(f"{where}: version must be a non-negative int")
    bad_tags = [t for t in cls.tags if not isinstance(t, str) or not TAG_PATTERN.match(t)]
    if bad_tags or isinstance(cls.tags, str):
        raise RegistrationError(f"{where}: tags must be a tuple of paths like 'math/algebra'; bad: {bad_tags or cls.tags}")
    if inspect.isabstract(cls):
        missing = ", ".join(sorted(cls.__abstractmethods__))
        raise RegistrationError(f"{where} does not implement {missing}")
    if cls.check is Template.check and cls.check_answer is Template.check_answer:
        raise RegistrationError(f"{where} does not implement check_answer (or check)")
    for level in cls.Config.level_names():
        try:
            cls.Config.build(level)
        except Exception as exc:
            raise RegistrationError(f"{where}: difficulty level {level!r} does not validate: {exc}") from None
