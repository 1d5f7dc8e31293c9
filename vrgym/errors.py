"""Errors vrgym raises for bad *user* input (never for bad model output).

Model output never raises: a verifier turns any response into a Verdict. These exceptions are for
the person driving vrgym — an unknown task name, an invalid config, a file that cannot be read —
and every message says what was wrong and what to do about it. The CLI prints them as one line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class VrgymError(Exception):
    """Base class of every error vrgym raises on purpose; its message is meant for a person."""


class UnknownTaskError(VrgymError, KeyError):
    """A task name that no registered template answers to."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        self.name = name
        known = sorted(set(known))
        self.suggestions = closest_matches(name, known)
        hint = (
            f" Did you mean: {', '.join(self.suggestions)}?"
            if self.suggestions
            else f" Known tasks: {', '.join(known[:20])}{' …' if len(known) > 20 else ''}."
        )
        super().__init__(f"unknown task {name!r}.{hint} Run `vrgym list` to see every registered task.")

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return str(self.args[0])


class ConfigError(VrgymError, ValueError):
    """A template config (difficulty name or field override) that does not validate."""


class ProblemMismatchError(VrgymError, ValueError):
    """A Problem handed to a template that did not make it (other task or other version)."""


class DataFileError(VrgymError, OSError):
    """A problems/responses/verdicts file that is missing, unreadable or malformed."""


class RegistrationError(VrgymError):
    """A template class that cannot be registered (bad name, duplicate, missing attribute)."""


def closest_matches(name: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Return up to `n` known names closest to `name`, comparing case-insensitively."""
    by_lower = {k.lower(): k for k in known}
    query = name.lower()
    hits = [by_lower[h] for h in difflib.get_close_matches(query, list(by_lower), n=n, cutoff=0.5)]
    hits += [k for low, k in by_lower.items() if query and query in low and k not in hits]
    return hits[:n]
