"""IFEval's `detectable_content:*` kinds: placeholders in square brackets, and a postscript.

Strict IFEval semantics: `number_placeholders` counts non-greedy `[…]` spans on one line (at
least N); `postscript` looks for a line containing the marker (`P.S.`, `P.P.S` or a custom one,
case-insensitive) anywhere in the response. IFEval puts a custom marker into a regex unescaped;
here it is escaped, so a marker means its literal text. That the postscript must come *last* is a
hack-check rule, not part of the IFEval check.
"""

from __future__ import annotations

import random
import re
from typing import Any, ClassVar

from pydantic import Field

from vrgym.verifiers.instruction.base import (
    ORDER_STRUCTURE,
    UNSTRUCTURED_ONLY,
    Constraint,
    ConstraintCheck,
    Params,
    compare_count,
)
from vrgym.verifiers.instruction.draft import ResponseDraft



def count_placeholders(response: str) -> int:
    """Number of matches of IFEval's `\\[.*?\\]` (`.` excludes newlines), found in linear time.

    The regex itself is quadratic on a long run of `[` without `]`; this scan gives the same
    count: from each `[`, the first `]` on the same line closes it, and a `[` with no `]` left
    on its line cannot start a match, nor can any later `[` on that line.
    """
    count = 0
    position = 0
    length = len(response)
    while position < length:
        start = response.find("[", position)
        if start == -1:
            break
        end = response.find("]", start + 1)
        newline = response.find("\n", start + 1)
        if end != -1 and (newline == -1 or end < newline):
            count += 1
            position = end + 1
        elif newline == -1:
            break
        else:
            position = newline + 1
    return count

PLACEHOLDER_NAMES: tuple[str, ...] = (
    "name", "date", "address", "phone number", "company", "city", "amount", "time", "email",
    "recipient", "location", "deadline", "reference number", "website",
)


class PlaceholdersParams(Params):
    num_placeholders: int = Field(ge=1, le=100, description="Minimum number of [placeholder] spans.")


class NumberPlaceholders(Constraint):
    """`detectable_content:number_placeholders` — at least N `[…]` placeholders."""

    kind: ClassVar[str] = "detectable_content:number_placeholders"
    family: ClassVar[str] = "content"
    Params = PlaceholdersParams
    ifeval = True
    realise_order = ORDER_STRUCTURE
    conflicts: ClassVar[frozenset[str]] = UNSTRUCTURED_ONLY

    def evaluate(self, response: str) -> ConstraintCheck:
        n = count_placeholders(response)
        return compare_count(n, "at least", self.params.num_placeholders, f"{n} [placeholders]")

    def describe(self) -> list[str]:
        n = self.params.num_placeholders
        return [
            f"The response must contain at least {n} placeholders represented by square brackets, such as [address].",
            f"Include {n} or more placeholders in square brackets, for example [name].",
            f"Leave at least {n} fill-in placeholders written like [date] in your reply.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_placeholders": rng.choice([1, 8]) if edge else rng.randint(2, 5)}

    def realise(self, draft: ResponseDraft) -> None:
        need = self.params.num_placeholders - count_placeholders(draft.render())
        start = 0
        while need > 0:
            names = [PLACEHOLDER_NAMES[(start + i) % len(PLACEHOLDER_NAMES)] for i in range(min(need, 4))]
            start += len(names)
            slots = [f"[{name}]" for name in names]
            listed = slots[0] if len(slots) == 1 else " and ".join([" ".join(slots[:-1]), slots[-1]])
            sentence = f"Fill in {listed} with the real details before using this."
            if not draft.allowed(sentence):
                sentence = f"Replace {listed} as needed."
            draft.blocks[-1].sentences.append(sentence)
            draft.pinned.add(sentence)
            need -= len(slots)


class PostscriptParams(Params):
    postscript_marker: str = Field(min_length=1, max_length=40, description="Marker the postscript starts with, e.g. 'P.S.'.")


def postscript_pattern(marker: str) -> re.Pattern[str]:
    """IFEval's postscript search pattern on the lower-cased response."""
    # IFEval's patterns start with `\\s*`, which cannot change whether a search finds a match but
    # makes it quadratic on long runs of whitespace; it is left out.
    if marker == "P.P.S":
        return re.compile(r"p\.\s?p\.\s?s.*$", re.MULTILINE)
    if marker == "P.S.":
        return re.compile(r"p\.\s?s\..*$", re.MULTILINE)
    return re.compile(re.escape(marker.lower()) + r".*$", re.MULTILINE)


class Postscript(Constraint):
    """`detectable_content:postscript` — a postscript line starting with the marker."""

    kind: ClassVar[str] = "detectable_content:postscript"
    family: ClassVar[str] = "content"
    Params = PostscriptParams
    ifeval = True
    realise_order = ORDER_STRUCTURE
    conflicts: ClassVar[frozenset[str]] = UNSTRUCTURED_ONLY

    def evaluate(self, response: str) -> ConstraintCheck:
        marker = self.params.postscript_marker
        found = bool(postscript_pattern(marker).search(response.lower()))
        return ConstraintCheck(found, f"postscript starting with {marker!r} {'found' if found else 'not found'}")

    def describe(self) -> list[str]:
        m = self.params.postscript_marker
        return [
            f"At the end of your response, please explicitly add a postscript starting with {m}",
            f"Finish with a postscript that begins with \"{m}\".",
            f"Add a short note after the main text, starting with {m}",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"postscript_marker": rng.choice(["P.S.", "P.P.S"])}

    def realise(self, draft: ResponseDraft) -> None:
        marker = self.params.postscript_marker
        term = draft.topic_terms[0] if draft.topic_terms else "this"
        candidates = [
            f"Feel free to ask if anything about {term} needs more detail.",
            f"A follow-up on {term} is always welcome.",
            "Feel free to ask if anything needs more detail.",
        ]
        note = next((c for c in candidates if draft.allowed(c)), candidates[-1])
        if marker == "P.P.S" and not marker.endswith("."):
            marker = "P.P.S."
        draft.postscript = f"{marker} {note}"
