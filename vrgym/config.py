"""`TemplateConfig`: a template's pydantic config with named, ordered difficulty levels.

Each template subclasses `TemplateConfig`, declares its fields with defaults, and lists its levels
from easiest to hardest in `levels` (name → field overrides). A config is built from a level plus
explicit overrides, so `gym.make(id, difficulty="hard", n_terms=9)` means "the hard level, except
n_terms". Levels can also be named by their 0-based position (`difficulty=2`), which is what a
curriculum that raises or lowers difficulty works with.

The level name is part of the config (`difficulty` field), so a dumped config reloads exactly, and
unknown fields are rejected (typos in a config must not pass silently).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from vrgym.errors import ConfigError


class TemplateConfig(BaseModel):
    """Base of every template config. Subclasses add fields and set `levels` / `default_level`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    levels: ClassVar[dict[str, dict[str, Any]]] = {"default": {}}
    """Difficulty levels, easiest first: level name → field overrides applied on top of defaults."""
    default_level: ClassVar[str | None] = None
    """Level used when no difficulty is given; None means the first level."""

    difficulty: str = ""
    """Name of the level this config starts from (filled in from `default_level` when empty)."""

    @model_validator(mode="before")
    @classmethod
    def _apply_level(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        level = cls.level_name(data.get("difficulty"))
        data["difficulty"] = level
        for key, value in cls.levels[level].items():
            data.setdefault(key, value)
        return data

    @classmethod
    def level_names(cls) -> list[str]:
        """The difficulty levels, easiest first."""
        return list(cls.levels)

    @classmethod
    def level_name(cls, difficulty: str | int | None) -> str:
        """Resolve a level given by name, by 0-based position, or None (the default level)."""
        names = cls.level_names()
        if difficulty is None or difficulty == "":
            return cls.default_level or names[0]
        if isinstance(difficulty, bool):
            raise ValueError(f"difficulty must be a level name or position, not {difficulty!r}")
        if isinstance(difficulty, int) or (isinstance(difficulty, str) and difficulty.isdigit()):
            position = int(difficulty)
            if not 0 <= position < len(names):
                raise ValueError(f"difficulty {position} is out of range; levels are 0..{len(names) - 1}: {names}")
            return names[position]
        if isinstance(difficulty, str) and difficulty in cls.levels:
            return difficulty
        raise ValueError(f"unknown difficulty {difficulty!r}; choose one of {names} (or 0..{len(names) - 1})")

    @classmethod
    def build(cls, difficulty: str | int | None = None, **overrides: Any) -> TemplateConfig:
        """Validate a config from a level and field overrides; raise ConfigError with the remedy."""
        try:
            return cls.model_validate({**overrides, "difficulty": difficulty})
        except (ValidationError, ValueError) as exc:
            raise ConfigError(describe_config_error(cls, exc)) from None

    @property
    def level_index(self) -> int:
        """0-based position of this config's level (higher is harder)."""
        return self.level_names().index(self.difficulty)


def describe_config_error(cls: type[TemplateConfig], exc: Exception) -> str:
    """One readable line for a failed config: what was wrong, and which fields/levels exist."""
    fields = sorted(f for f in cls.model_fields if f != "difficulty")
    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'config'}: {err['msg'].removeprefix('Value error, ')}" for err in exc.errors()
        )
    else:
        problems = str(exc)
    return (
        f"invalid {cls.__name__}: {problems}. Valid fields: {', '.join(fields) or '(none)'}; "
        f"difficulty levels: {', '.join(cls.level_names())}."
    )
