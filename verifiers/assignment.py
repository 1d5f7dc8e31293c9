"""Strict, bounded parsing of "NAME = value" lists: the answer form of assignment puzzles.

Puzzles whose answer assigns a value to every one of a known set of names (cryptarithms: letter →
digit; knights and knaves: person → role; zebra puzzles: person → house …) share one parser, so
that they forgive and refuse the same things. An answer is a list of *entries* separated by commas,
semicolons or line breaks; an entry is a name, a separator and a value:

    A=1, B = 2; C: 3            Alice is a knight, Bob: knave
    - Carol is a knave          (a leading "-", "*" or "•" bullet is allowed)

The separator is the first `=`, `:` or stand-alone word `is` of the entry. The value is read by a
template-supplied *value reader*: a function from the raw value text to the value, or None when the
text is not a valid value (`digit_value` and `choice_value` build the common ones). Harmless noise
is forgiven: whitespace anywhere around names, values and separators, empty entries (a trailing
comma), one trailing period per entry, and — unless the template is case-sensitive — the case of the
ASCII letters of names. Everything else is an `AssignmentError`, whose `kind` says what was wrong:

* `syntax`    — an entry without a separator, or with an empty name;
* `value`     — a value the reader refused ("knight or knave", "12", "7?");
* `unknown`   — a name that is not one of the puzzle's names;
* `conflict`  — one name given two different values (repeating the same value is allowed);
* `missing`   — a name without a value (when every name must be assigned);
* `too_long`  — more than `max_chars` characters, refused before any splitting.

Everything is linear-time (one regex split, one separator search per entry, no backtracking) and
total on any `str`: a megabyte of hostile text costs one length check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Literal, TypeVar

from vrgym.verdict import FORMAT, MULTIPLE_ANSWERS, WRONG_ANSWER
from vrgym.verifiers.text import ascii_upper, collapse_whitespace

T = TypeVar("T")
ErrorKind = Literal["syntax", "value", "unknown", "conflict", "missing", "too_long"]

MAX_CHARS = 20_000
"""Default limit on the length of an answer; assignment answers are a few hundred characters."""

_ENTRY_SEPARATOR = re.compile(r"[,;\n\r]")
_NAME_VALUE_SEPARATOR = re.compile(r"[=:]|(?<!\S)is(?!\S)", re.IGNORECASE)
_BULLETS = ("-", "*", "\u2022")
_SHOWN = 40


REASONS: dict[ErrorKind, str] = {
    "syntax": FORMAT,
    "value": FORMAT,
    "too_long": FORMAT,
    "unknown": WRONG_ANSWER,
    "missing": WRONG_ANSWER,
    "conflict": MULTIPLE_ANSWERS,
}
"""The Verdict reason for each kind of error, shared by the templates: a value given twice is a hedge."""


class AssignmentError(ValueError):
    """The text is not a valid assignment; `kind` classifies the problem, the message explains it."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind

    @property
    def reason(self) -> str:
        """The Verdict reason code for this error (see `REASONS`)."""
        return REASONS[self.kind]


def parse_assignment(
    text: str,
    names: Iterable[str],
    value: Callable[[str], T | None],
    *,
    case_sensitive: bool = False,
    require_all: bool = True,
    max_chars: int = MAX_CHARS,
) -> dict[str, T]:
    """Parse `text` into {name: value} for the given `names` (in their own spelling), or raise.

    `value` reads one value text (already stripped of surrounding whitespace and of one trailing
    period) and returns the value or None to refuse it. Names are compared after collapsing
    whitespace and, unless `case_sensitive`, upper-casing ASCII letters; two of `names` that become
    equal that way are a programming error (ValueError).
    """
    if not isinstance(text, str):
        raise AssignmentError("syntax", f"expected text, got {type(text).__name__}")
    if len(text) > max_chars:
        raise AssignmentError("too_long", f"the answer has {len(text)} characters; an assignment here has at most {max_chars}")
    canonical = _name_index(names, case_sensitive)
    found: dict[str, T] = {}
    for raw in _ENTRY_SEPARATOR.split(text):
        entry = _strip_entry(raw)
        if not entry:
            continue
        separator = _NAME_VALUE_SEPARATOR.search(entry)
        if separator is None:
            raise AssignmentError("syntax", f"{_shown(entry)} is not of the form NAME = value (or NAME: value, NAME is value)")
        name_text = collapse_whitespace(entry[: separator.start()])
        value_text = entry[separator.end() :].strip()
        if not name_text:
            raise AssignmentError("syntax", f"{_shown(entry)} has no name before {separator.group()!r}")
        name = canonical.get(name_text if case_sensitive else ascii_upper(name_text))
        if name is None:
            listed = _listed(canonical.values())
            raise AssignmentError("unknown", f"{_shown(name_text)} is not one of the names to assign ({listed})")
        read = value(value_text)
        if read is None:
            raise AssignmentError("value", f"{_shown(value_text)} is not a valid value for {name}")
        if name in found and found[name] != read:
            raise AssignmentError("conflict", f"{name} is given two different values ({found[name]!r} and {read!r}); give one")
        found[name] = read
    if require_all:
        missing = [name for name in canonical.values() if name not in found]
        if missing:
            raise AssignmentError("missing", f"no value is given for {_listed(missing)}")
    return {name: found[name] for name in canonical.values() if name in found}


def try_parse_assignment(
    text: str, names: Iterable[str], value: Callable[[str], T | None], **options: object
) -> dict[str, T] | AssignmentError:
    """`parse_assignment`, returning the AssignmentError instead of raising it."""
    try:
        return parse_assignment(text, names, value, **options)  # type: ignore[arg-type]
    except AssignmentError as exc:
        return exc


# --------------------------------------------------------------------------------------- value readers


def digit_value(text: str) -> int | None:
    """One ASCII digit 0-9 (not `07`, not `+7`, not a fullwidth `７`)."""
    return int(text) if len(text) == 1 and "0" <= text <= "9" else None


def choice_value(
    options: Mapping[str, T], *, articles: Iterable[str] = (), case_sensitive: bool = False
) -> Callable[[str], T | None]:
    """A reader accepting exactly the spellings in `options` (→ their values), after an optional article.

    `choice_value({"knight": True, "knave": False}, articles=("a", "an"))` reads "a Knight" as True
    and refuses "knight or knave", "knights" and "not a knave".
    """
    fold = (lambda s: s) if case_sensitive else ascii_upper
    table = {fold(collapse_whitespace(spelling)): result for spelling, result in options.items()}
    prefixes = tuple(fold(article) + " " for article in articles)

    def read(text: str) -> T | None:
        key = fold(collapse_whitespace(text))
        for prefix in prefixes:
            if key.startswith(prefix):
                key = key[len(prefix) :]
                break
        return table.get(key)

    return read


def format_assignment(assignment: Mapping[str, object], separator: str = "=", joiner: str = ", ") -> str:
    """Render {name: value} as `name=value, …` (for reference responses and prompts' examples)."""
    return joiner.join(f"{name}{separator}{value}" for name, value in assignment.items())


# --------------------------------------------------------------------------------------- internals


def _name_index(names: Iterable[str], case_sensitive: bool) -> dict[str, str]:
    index: dict[str, str] = {}
    for name in names:
        key = collapse_whitespace(name) if case_sensitive else ascii_upper(collapse_whitespace(name))
        if not key or key in index:
            raise ValueError(f"names must be non-empty and distinct{'' if case_sensitive else ' ignoring case'}: {name!r}")
        index[key] = name
    return index


def _strip_entry(raw: str) -> str:
    entry = raw.strip()
    if entry[:1] in _BULLETS and entry[1:2].isspace():
        entry = entry[1:].strip()
    if entry.endswith("."):
        entry = entry[:-1].rstrip()
    return entry


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


def _listed(names: Iterable[str], limit: int = 12) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")
