"""IFEval's `detectable_format:*` kinds: bullets, constrained answer, highlights, sections, JSON, title.

Strict IFEval semantics:

* `number_bullet_lists` — *exactly* N lines starting with `* ` (a star not followed by a star) or `-`;
* `constrained_response` — one of "My answer is yes." / "…no." / "…maybe." appears anywhere;
* `number_highlighted_sections` — at least N non-empty `*text*` or `**text**` spans on one line;
* `multiple_sections` — splitting on "<splitter> <number>" (case-sensitive) gives at least N sections;
* `json_format` — after removing optional ``` / ```json fences, `json.loads` succeeds (so `{}`
  and `42` pass; non-trivial content is a hack-check rule);
* `title` — a non-empty `<<…>>` on one line.
"""

from __future__ import annotations

import json
import random
import re
from typing import Any, ClassVar

from pydantic import Field

from vrgym.verifiers.instruction.base import (
    ORDER_STRUCTURE,
    ORDER_WRAP,
    UNSTRUCTURED_ONLY,
    Constraint,
    ConstraintCheck,
    Params,
    compare_count,
)
from vrgym.verifiers.instruction.draft import ResponseDraft
from vrgym.verifiers.instruction.text import split_paragraphs

_STAR_BULLET = re.compile(r"^\s*\*[^\*].*$", re.MULTILINE)
_DASH_BULLET = re.compile(r"^\s*-.*$", re.MULTILINE)
_HIGHLIGHT = re.compile(r"\*[^\n\*]*\*")
_DOUBLE_HIGHLIGHT = re.compile(r"\*\*[^\n\*]*\*\*")
CONSTRAINED_OPTIONS = ("My answer is yes.", "My answer is no.", "My answer is maybe.")


def count_bullets(response: str) -> int:
    """IFEval's bullet count: lines starting with `*` + non-star, plus lines starting with `-`."""
    return len(_STAR_BULLET.findall(response)) + len(_DASH_BULLET.findall(response))


def count_highlights(response: str) -> int:
    """IFEval's highlight count: non-empty `*x*` spans plus non-empty `**x**` spans."""
    single = sum(1 for h in _HIGHLIGHT.findall(response) if h.strip("*").strip())
    double = sum(1 for h in _DOUBLE_HIGHLIGHT.findall(response) if h.removeprefix("**").removesuffix("**").strip())
    return single + double


def find_titles(response: str) -> list[str]:
    """The matches of IFEval's `<<[^\\n]+>>`, in linear time (the regex is quadratic on `<<<<…`).

    On one line the greedy pattern matches at most once: from the first `<<` to the last `>>`,
    provided at least one character lies between them.
    """
    titles = []
    for line in response.split("\n"):
        first = line.find("<<")
        if first == -1:
            continue
        last = line.rfind(">>")
        if last >= first + 3:
            titles.append(line[first:last + 2])
    return titles


class BulletsParams(Params):
    num_bullets: int = Field(ge=1, le=200, description="Exact number of bullet points.")


class NumberBulletLists(Constraint):
    """`detectable_format:number_bullet_lists` — exactly N markdown bullet points."""

    kind: ClassVar[str] = "detectable_format:number_bullet_lists"
    family: ClassVar[str] = "format"
    Params = BulletsParams
    ifeval = True
    realise_order = ORDER_STRUCTURE + 2
    conflicts: ClassVar[frozenset[str]] = UNSTRUCTURED_ONLY

    def evaluate(self, response: str) -> ConstraintCheck:
        n = count_bullets(response)
        return compare_count(n, "exactly", self.params.num_bullets, f"{n} bullet points")

    def describe(self) -> list[str]:
        n = self.params.num_bullets
        unit = "bullet point" if n == 1 else "bullet points"
        return [
            f"Your answer must contain exactly {n} {unit}. Use the markdown bullet points such as:\n* This is point 1.\n* This is point 2",
            f"Present exactly {n} {unit} in markdown (lines starting with \"* \"), no more and no fewer.",
            f"Include precisely {n} markdown {unit}.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_bullets": rng.choice([1, 9, 10]) if edge else rng.randint(2, 6)}

    def realise(self, draft: ResponseDraft) -> None:
        n = self.params.num_bullets
        items = [b for block in draft.blocks for b in block.bullets]
        for block in draft.blocks:
            block.bullets = []
        while len(items) < n:
            sentence = draft.make_sentence()
            if sentence is None:
                break
            items.append(sentence)
        keep = [b for b in items if b in draft.pinned]
        rest = [b for b in items if b not in draft.pinned]
        items = (keep + rest)[: max(n, len(keep))]
        draft.blocks[-1].bullets = items
        if draft.bullet_marker.strip() not in ("*", "-"):
            draft.bullet_marker = "* "


class ConstrainedResponse(Constraint):
    """`detectable_format:constrained_response` — contains "My answer is yes./no./maybe."."""

    kind: ClassVar[str] = "detectable_format:constrained_response"
    family: ClassVar[str] = "format"
    ifeval = True
    realise_order = ORDER_STRUCTURE
    only_with: ClassVar[frozenset[str] | None] = frozenset()

    def evaluate(self, response: str) -> ConstraintCheck:
        value = response.strip()
        found = [option for option in CONSTRAINED_OPTIONS if option in value]
        return ConstraintCheck(bool(found), f"found {found[0]!r}" if found else "none of the allowed answers appears")

    def describe(self) -> list[str]:
        options = ", ".join(f"'{o}'" for o in CONSTRAINED_OPTIONS)
        return [
            f"Answer with one of the following options: ({options})",
            f"Your reply must include exactly one of these sentences: {options}.",
            f"Give your verdict using one of {options}.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        draft.answer_line = CONSTRAINED_OPTIONS[0]


class HighlightsParams(Params):
    num_highlights: int = Field(ge=1, le=200, description="Minimum number of *highlighted* spans.")


class NumberHighlightedSections(Constraint):
    """`detectable_format:number_highlighted_sections` — at least N `*highlighted*` spans."""

    kind: ClassVar[str] = "detectable_format:number_highlighted_sections"
    family: ClassVar[str] = "format"
    Params = HighlightsParams
    ifeval = True
    realise_order = ORDER_STRUCTURE + 5
    conflicts: ClassVar[frozenset[str]] = UNSTRUCTURED_ONLY | {"detectable_format:multiple_sections"}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = count_highlights(response)
        return compare_count(n, "at least", self.params.num_highlights, f"{n} highlighted sections")

    def describe(self) -> list[str]:
        n = self.params.num_highlights
        return [
            f"Highlight at least {n} sections in your answer with markdown, i.e. *highlighted section*.",
            f"Use markdown to highlight {n} or more parts of your reply, like *this part*.",
            f"Mark at least {n} key passages with single asterisks, e.g. *important point*.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_highlights": rng.choice([1, 6]) if edge else rng.randint(1, 4)}

    def realise(self, draft: ResponseDraft) -> None:
        # Wrap whole sentences that do not open a prose line (a line starting with "*x" would also
        # count as a bullet); each block's first sentence is left alone.
        need = self.params.num_highlights - count_highlights(draft.render())
        guard = 0
        while need > 0 and guard < 4 * self.params.num_highlights + 8:
            guard += 1
            for block in draft.blocks:
                for i in range(1, len(block.sentences)):
                    sentence = block.sentences[i]
                    if need > 0 and not sentence.startswith("*") and "*" not in sentence:
                        wrapped = f"*{sentence}*"
                        block.sentences[i] = wrapped
                        draft.repin(sentence, wrapped)
                        draft.pinned.add(wrapped)
                        need -= 1
            if need > 0 and draft.add_sentence(block=guard % len(draft.blocks)) is None:
                break


class SectionsParams(Params):
    section_spliter: str = Field(min_length=1, max_length=40, description="Word that opens each section, e.g. 'Section' or 'SECTION'.")
    num_sections: int = Field(ge=1, le=100, description="Minimum number of sections.")


class MultipleSections(Constraint):
    """`detectable_format:multiple_sections` — at least N sections headed "<splitter> <number>"."""

    kind: ClassVar[str] = "detectable_format:multiple_sections"
    family: ClassVar[str] = "format"
    Params = SectionsParams
    ifeval = True
    realise_order = ORDER_STRUCTURE + 3
    conflicts: ClassVar[frozenset[str]] = UNSTRUCTURED_ONLY | {
        "language:response_language", "detectable_format:number_highlighted_sections",
        "length_constraints:nth_paragraph_first_word",
    }

    def _pattern(self) -> re.Pattern[str]:
        return re.compile(r"\s?" + re.escape(self.params.section_spliter) + r"\s?\d+\s?")

    def evaluate(self, response: str) -> ConstraintCheck:
        n = len(self._pattern().split(response)) - 1
        return compare_count(n, "at least", self.params.num_sections, f"{n} sections marked '{self.params.section_spliter} N'")

    def describe(self) -> list[str]:
        s, n = self.params.section_spliter, self.params.num_sections
        return [
            f"Your response must have {n} sections. Mark the beginning of each section with {s} X, such as:\n{s} 1\n[content of section 1]\n{s} 2\n[content of section 2]",
            f"Organise the answer into {n} sections, each starting with a heading \"{s} 1\", \"{s} 2\" and so on.",
            f"Split your reply into {n} parts labelled {s} 1 to {s} {n}.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"section_spliter": rng.choice(["Section", "SECTION"]), "num_sections": rng.choice([1, 6]) if edge else rng.randint(2, 5)}

    def clashes_with(self, other: Constraint) -> bool:
        spliter = self.params.section_spliter
        if other.kind == "change_case:english_lowercase":
            return spliter != spliter.lower()
        if other.kind == "change_case:english_capital":
            return spliter != spliter.upper()
        if other.kind == "change_case:capital_word_frequency":
            return spliter.isupper() and other.params.capital_relation == "less than"
        if other.kind == "length_constraints:number_paragraphs":
            return other.params.num_paragraphs < self.params.num_sections
        if other.kind == "length_constraints:number_sentences" and other.params.relation == "less than":
            # Each section is its heading line (a sentence to the splitter) plus at least one sentence
            # of content: an empty section is a stub the hack-check rejects.
            return other.params.num_sentences <= 2 * self.params.num_sections
        return False

    def realise(self, draft: ResponseDraft) -> None:
        n = self.params.num_sections
        if not draft.fixed_paragraphs and len(draft.blocks) < n:
            draft.set_block_count(n)
        for i, block in enumerate(draft.blocks, start=1):
            block.heading = f"{self.params.section_spliter} {i}"


def _strip_fences(value: str) -> str:
    value = value.strip()
    for prefix in ("```json", "```Json", "```JSON", "```"):
        value = value.removeprefix(prefix)
    return value.removesuffix("```").strip()


def _as_json(text: str) -> str:
    parts = split_paragraphs(text)
    title = None
    if parts:
        first_line = parts[0].split("\n", 1)
        if first_line[0].startswith("<<") and first_line[0].endswith(">>"):
            title = first_line[0][2:-2]
            parts[0] = first_line[1] if len(first_line) > 1 else ""
    body: dict[str, Any] = {}
    if title:
        body["title"] = title
    body["paragraphs"] = [p for p in parts if p.strip()]
    return json.dumps(body, indent=2, ensure_ascii=False)


class JsonFormat(Constraint):
    """`detectable_format:json_format` — the whole response parses as JSON (optional ``` fences)."""

    kind: ClassVar[str] = "detectable_format:json_format"
    family: ClassVar[str] = "format"
    ifeval = True
    realise_order = ORDER_WRAP + 8
    only_with: ClassVar[frozenset[str] | None] = frozenset({"keywords:forbidden_words", "keywords:existence"})

    def evaluate(self, response: str) -> ConstraintCheck:
        try:
            json.loads(_strip_fences(response))
        except ValueError as error:
            return ConstraintCheck(False, f"not valid JSON: {error}")
        except RecursionError:
            return ConstraintCheck(False, "JSON nested too deeply to parse")
        return ConstraintCheck(True, "parses as JSON")

    def describe(self) -> list[str]:
        return [
            "Entire output should be wrapped in JSON format. You can use markdown ticks such as ```.",
            "Format your whole answer as valid JSON.",
            "Return the response as a JSON object and nothing else.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        if _as_json not in draft.wrappers:
            draft.wrappers.append(_as_json)


class Title(Constraint):
    """`detectable_format:title` — a title in double angular brackets, `<<title>>`."""

    kind: ClassVar[str] = "detectable_format:title"
    family: ClassVar[str] = "format"
    ifeval = True
    realise_order = ORDER_STRUCTURE
    conflicts: ClassVar[frozenset[str]] = frozenset({"startend:quotation", "detectable_format:constrained_response"})

    def evaluate(self, response: str) -> ConstraintCheck:
        for title in find_titles(response):
            if title.lstrip("<").rstrip(">").strip():
                return ConstraintCheck(True, f"title {title[:80]!r}")
        return ConstraintCheck(False, "no non-empty <<title>> found")

    def describe(self) -> list[str]:
        return [
            "Your answer must contain a title, wrapped in double angular brackets, such as <<poem of joy>>.",
            "Give your response a title written inside double angle brackets, like <<my title>>.",
            "Start with a title enclosed in << and >>.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        if draft.title is None:
            draft.title = draft.safe_title() or "Overview"

