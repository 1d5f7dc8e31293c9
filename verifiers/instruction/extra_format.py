"""Format constraints from IFBench and open-instruct (`format:*`).

Numbered steps, a markdown table of a given shape, an exact number of emojis, parentheses nested
to a given depth, markdown `##` sections, title case throughout, and a two-level bullet list with
an exact number of sub-items per bullet. Checks read lines and characters only (linear).

Realisations: line structures (steps, a table) ride on a block's heading slot via
`attach_lines`, so the paragraph count stays what the paragraph constraints made it; sections
regroup the prose with `set_block_count`; emojis and parentheses go into own or existing
sentences before their final mark, so the sentence splitter still sees the sentence end; title
case is a text filter applied at render time (after every other edit), and the nested list rides
on a heading slot like the steps.
"""

from __future__ import annotations

import random
import re
from typing import Any, ClassVar, Literal

from pydantic import Field

from vrgym.verifiers.instruction.base import (
    ORDER_CONTENT,
    ORDER_FORM,
    ORDER_STRUCTURE,
    Constraint,
    ConstraintCheck,
    Params,
    compare_count,
)
from vrgym.verifiers.instruction.draft import ResponseDraft
from vrgym.verifiers.instruction.extra_common import (
    COMBINATION,
    SECTIONS,
    TITLE,
    WHOLE_RESPONSE,
    add_own_sentence,
    alpha_words,
    attach_lines,
    capitalise,
    own_sentences,
    prose_pieces,
    replace_piece,
)

_NUMBERED = re.compile(r"^\s*(\d{1,4})[.)]\s+\S", re.MULTILINE)


class NumberedStepsParams(Params):
    num_steps: int = Field(ge=1, le=100, description="Exact number of numbered lines (1., 2., …).")


class NumberedSteps(Constraint):
    """`format:numbered_steps` — exactly N numbered lines, numbered 1, 2, …, N in order ("1. …" or "1) …")."""

    kind: ClassVar[str] = "format:numbered_steps"
    family: ClassVar[str] = "format"
    Params = NumberedStepsParams
    realise_order = ORDER_STRUCTURE + 5
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION, "count:numbers", "length_constraints:nth_paragraph_first_word"}

    def evaluate(self, response: str) -> ConstraintCheck:
        numbers = [int(n) for n in _NUMBERED.findall(response)]
        want = list(range(1, self.params.num_steps + 1))
        if numbers == want:
            return ConstraintCheck(True, f"{len(numbers)} numbered steps 1 to {len(numbers)}")
        return ConstraintCheck(False, f"numbered lines {numbers[:12]}; required exactly 1 to {self.params.num_steps} in order")

    def describe(self) -> list[str]:
        n = self.params.num_steps
        return [
            f"Include exactly {n} numbered steps, one per line, formatted as '1.', '2.', and so on.",
            f"Your answer must contain a numbered list of {n} steps (1. … {n}.), and no other numbered lines.",
            f"Lay out {n} steps as a numbered list, each on its own line starting with its number and a period.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_steps": rng.choice([1, 9]) if edge else rng.randint(2, 6)}

    def realise(self, draft: ResponseDraft) -> None:
        if self.check(draft.render()).ok:
            return
        steps = []
        for _ in range(self.params.num_steps):
            sentence = draft.make_sentence()
            if sentence is None:
                return
            steps.append(sentence)
        attach_lines(draft, "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)))


_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_SEPARATOR_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")


def markdown_tables(text: str) -> list[tuple[int, int, bool]]:
    """(data rows, columns, well-formed) of every markdown table: a header row, a `---` separator
    row with the same number of cells, then data rows; well-formed means every row has that many cells."""
    tables: list[tuple[int, int, bool]] = []
    block: list[list[str]] = []
    for line in text.splitlines() + [""]:
        match = _TABLE_ROW.match(line)
        if match:
            block.append([c.strip() for c in match.group(1).split("|")])
            continue
        if block:
            if len(block) >= 2 and all(_SEPARATOR_CELL.match(c) for c in block[1]):
                columns = len(block[0])
                ok = all(len(row) == columns for row in block) and all(all(c for c in row) for row in block[2:])
                tables.append((len(block) - 2, columns, ok and all(block[0])))
            block = []
    return tables


_COLUMN_NAMES = ("Point", "Detail", "Why it matters", "Example", "Tip", "Note")


class MarkdownTableParams(Params):
    rows: int = Field(ge=1, le=50, description="Data rows (the header and separator rows not counted).")
    columns: int = Field(ge=2, le=10, description="Columns.")


class MarkdownTable(Constraint):
    """`format:markdown_table` — exactly one markdown table, with N data rows and M columns and no empty cells."""

    kind: ClassVar[str] = "format:markdown_table"
    family: ClassVar[str] = "format"
    Params = MarkdownTableParams
    realise_order = ORDER_STRUCTURE + 6
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION, "length_constraints:nth_paragraph_first_word"}

    def evaluate(self, response: str) -> ConstraintCheck:
        tables = markdown_tables(response)
        p = self.params
        if len(tables) != 1:
            return ConstraintCheck(False, f"{len(tables)} markdown tables; required exactly one")
        rows, columns, ok = tables[0]
        if not ok:
            return ConstraintCheck(False, "the table has rows with a different number of cells or empty cells")
        good = rows == p.rows and columns == p.columns
        return ConstraintCheck(good, f"table with {rows} data rows and {columns} columns; required {p.rows} rows and {p.columns} columns")

    def describe(self) -> list[str]:
        p = self.params
        return [
            f"Include one markdown table with exactly {p.rows} rows (not counting the header) and {p.columns} columns.",
            f"Your answer must contain a single markdown table: a header row, then {p.rows} data rows, {p.columns} columns each.",
            f"Present part of your answer as a markdown table of {p.rows} data rows by {p.columns} columns, with every cell filled.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        if edge:
            return {"rows": rng.choice([1, 8]), "columns": rng.choice([2, 5])}
        return {"rows": rng.randint(2, 5), "columns": rng.randint(2, 4)}

    def realise(self, draft: ResponseDraft) -> None:
        if self.check(draft.render()).ok:
            return
        p = self.params
        terms = list(draft.topic_terms) or ["the topic"]
        header = ["Topic"] + list(_COLUMN_NAMES[: p.columns - 1])
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * p.columns) + "|"]
        for r in range(p.rows):
            sentence = draft.make_sentence() or f"More about {terms[r % len(terms)]}."
            words = sentence.replace("|", "/").rstrip(".").split()
            size = max(1, len(words) // (p.columns - 1))
            cells = [" ".join(words[i * size:(i + 1) * size] if i < p.columns - 2 else words[i * size:]) or "-" for i in range(p.columns - 1)]
            lines.append("| " + " | ".join([capitalise(terms[r % len(terms)])] + cells) + " |")
        attach_lines(draft, "\n".join(lines))


# Emoji: pictographic code points, each optionally followed by a variation selector, a skin tone
# or a zero-width-joiner sequence; one such cluster is one emoji.
_PICTO = "\U0001F300-\U0001FAFF\u2600-\u27BF\U0001F000-\U0001F2FF\u2B00-\u2BFF"
_EMOJI = re.compile(f"[{_PICTO}](?:\uFE0F|\u200D[{_PICTO}]\uFE0F?)*")
_EMOJIS = ("🌱", "💡", "📌", "🔍", "📝", "🌟", "🚀", "🎯", "🧭", "🔑", "🌿", "🙂")
_FINAL = re.compile(r"([.!?…]*[\"'”’)\]]*)$")


def count_emojis(text: str) -> int:
    """Number of emoji clusters (a ZWJ family or a flag-like sequence counts once)."""
    return sum(1 for _ in _EMOJI.finditer(text))


class EmojiCountParams(Params):
    num_emojis: int = Field(ge=0, le=200, description="Emoji count threshold.")
    relation: Literal["exactly", "at least"] = Field(default="exactly", description="'exactly' or 'at least'.")


class EmojiCount(Constraint):
    """`format:emoji_count` — exactly / at least N emojis."""

    kind: ClassVar[str] = "format:emoji_count"
    family: ClassVar[str] = "format"
    Params = EmojiCountParams
    realise_order = ORDER_FORM + 5
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE

    def evaluate(self, response: str) -> ConstraintCheck:
        n = count_emojis(response)
        p = self.params
        return compare_count(n, p.relation, p.num_emojis, f"{n} emojis")

    def describe(self) -> list[str]:
        n, rel = self.params.num_emojis, self.params.relation
        if n == 0:
            return ["Do not use any emojis.", "Your response must not contain a single emoji.", "Write the answer without emojis."]
        return [
            f"Use {rel} {n} emojis in your response.",
            f"Your answer should contain {rel} {n} emoji{'s' if n != 1 else ''}.",
            f"Decorate the reply with {rel} {n} emoji{'s' if n != 1 else ''} placed inside sentences.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        if edge:
            return {"num_emojis": rng.choice([0, 12]), "relation": "exactly"}
        return {"num_emojis": rng.randint(1, 6), "relation": rng.choice(["exactly", "at least"])}

    def realise(self, draft: ResponseDraft) -> None:
        missing = self.params.num_emojis - count_emojis(draft.render())
        if missing <= 0:
            return
        pieces = [(b, f, i) for b, f, i in prose_pieces(draft) if not count_emojis(getattr(b, f)[i])]
        while len(pieces) < missing:
            if draft.add_sentence() is None:
                return
            pieces = [(b, f, i) for b, f, i in prose_pieces(draft) if not count_emojis(getattr(b, f)[i])]
        for k, (block, field, index) in enumerate(pieces[:missing]):
            text = getattr(block, field)[index]
            emoji = _EMOJIS[k % len(_EMOJIS)]
            new = _FINAL.sub(lambda m, e=emoji: f" {e}{m.group(1)}", text.rstrip(), count=1)
            replace_piece(draft, block, field, index, new)


def paren_depth(text: str) -> tuple[int, bool]:
    """(deepest nesting of round brackets, whether every bracket is balanced and properly ordered)."""
    depth = deepest = 0
    for ch in text:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return deepest, False
    return deepest, depth == 0


_NEST_PHRASES = (
    "and that includes beginners", "who often start small", "with one simple change", "such as a weekly check",
    "or a short note", "written down somewhere visible", "like a calendar", "or a phone reminder", "set for the morning",
    "before anything else", "as a start", "in any case", "or a list", "kept close at hand",
)


class ParenthesesDepthParams(Params):
    depth: int = Field(ge=1, le=20, description="Least nesting depth of round brackets.")


class ParenthesesDepth(Constraint):
    """`format:parentheses_depth` — round brackets nested at least N deep somewhere, all of them balanced."""

    kind: ClassVar[str] = "format:parentheses_depth"
    family: ClassVar[str] = "format"
    Params = ParenthesesDepthParams
    realise_order = ORDER_CONTENT + 5
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {"sentence:max_words", "words:no_consecutive_first_letter"}

    def evaluate(self, response: str) -> ConstraintCheck:
        deepest, balanced = paren_depth(response)
        if not balanced:
            return ConstraintCheck(False, "round brackets are not balanced")
        return compare_count(deepest, "at least", self.params.depth, f"brackets nested {deepest} deep")

    def describe(self) -> list[str]:
        n = self.params.depth
        return [
            f"Include parentheses nested at least {n} levels deep (a bracket inside a bracket …), all properly closed.",
            f"Somewhere in your answer, nest round brackets {n} or more levels deep, and balance every bracket.",
            f"Use nested parentheses reaching a depth of at least {n}; every '(' must be closed by a ')'.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"depth": rng.choice([1, 8]) if edge else rng.randint(2, 5)}

    def realise(self, draft: ResponseDraft) -> None:
        if self.check(draft.render()).ok:
            return
        n = self.params.depth
        phrases = [p for p in _NEST_PHRASES if draft.allowed(p)] or ["and more"]
        nest = " ".join(f"({p}" for p in (phrases * (n // len(phrases) + 1))[:n]) + ")" * n
        templates = tuple(t + " " + nest + "." for t in ("Good habits with {t} help everyone", "Small steps in {t} add up", "Good habits in {t} help a lot"))
        add_own_sentence(draft, own_sentences(draft, templates), block=-1)


_HEADING = re.compile(r"^##[ \t]+(\S.*)$", re.MULTILINE)
_HEADINGS = ("Overview", "Key points", "In practice", "Common mistakes", "Next steps", "Useful details", "Summary", "Final thoughts")


class MarkdownSectionsParams(Params):
    num_sections: int = Field(ge=1, le=50, description="Exact number of `## ` markdown sections.")


class MarkdownSections(Constraint):
    """`format:markdown_sections` — exactly N sections, each opened by a `## Heading` line and followed by text."""

    kind: ClassVar[str] = "format:markdown_sections"
    family: ClassVar[str] = "format"
    Params = MarkdownSectionsParams
    realise_order = ORDER_STRUCTURE
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, SECTIONS, TITLE, "length_constraints:number_paragraphs", "length_constraints:nth_paragraph_first_word",
        "count:paragraph_range", "startend:quotation",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        matches = list(_HEADING.finditer(response))
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(response)
            if not alpha_words(response[match.end():end]):
                return ConstraintCheck(False, f"section {i + 1} ({match.group(1)[:30]!r}) has no text under its heading")
        n = self.params.num_sections
        return compare_count(len(matches), "exactly", n, f"{len(matches)} '## ' sections")

    def describe(self) -> list[str]:
        n = self.params.num_sections
        return [
            f"Organise your response into exactly {n} sections, each starting with a markdown heading line '## <heading>'.",
            f"Use {n} markdown sections: every section opens with a line beginning with '## ' followed by its heading.",
            f"Split the answer into {n} parts with level-two markdown headers (## Heading), with text under each.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_sections": rng.choice([1, 6]) if edge else rng.randint(2, 4)}

    def realise(self, draft: ResponseDraft) -> None:
        n = self.params.num_sections
        draft.fixed_paragraphs = True
        if not draft.set_block_count(n):
            return
        names = [capitalise(t) for t in draft.topic_terms] + list(_HEADINGS)
        names = [h for h in dict.fromkeys(names) if draft.allowed(h)] or list(_HEADINGS)
        for i, block in enumerate(draft.blocks):
            heading = f"## {names[i % len(names)]}" if i < len(names) else f"## Part {i + 1}"
            rest = block.heading.split("\n", 1)[1] if block.heading and block.heading.startswith("## ") and "\n" in block.heading else (
                block.heading if block.heading and not block.heading.startswith("## ") else None)
            block.heading = f"{heading}\n{rest}" if rest else heading


# ----------------------------------------------------------------------------- title case

TITLE_CASE_MINOR: frozenset[str] = frozenset(
    "a an the and but or nor for so yet as at by in of off on per to up via with from into onto than vs".split()
)
"""Short function words that title case may leave in lower case (except as a line's first word)."""
_TITLE_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def title_case_offender(text: str) -> str | None:
    """The first word that breaks title case (a major word, or a line's first word, starting with a
    lower-case letter), or None when every line is in title case."""
    for line in text.splitlines():
        for index, match in enumerate(_TITLE_TOKEN.finditer(line)):
            word = match.group(0)
            if word[0].islower() and (index == 0 or word.lower() not in TITLE_CASE_MINOR):
                return word
    return None


def to_title_case(text: str) -> str:
    """`text` with every major word and every line's first word capitalised (the rest untouched)."""

    def line_title(line: str) -> str:
        index = 0

        def fix(match: re.Match[str]) -> str:
            nonlocal index
            word = match.group(0)
            first, index = index == 0, index + 1
            return word if (not first and word.lower() in TITLE_CASE_MINOR) else word[:1].upper() + word[1:]

        return _TITLE_TOKEN.sub(fix, line)

    return "\n".join(line_title(line) for line in text.split("\n"))


class TitleCase(Constraint):
    """`format:title_case` — the whole response in title case: every word except short function
    words ("a", "of", "with"…) starts with a capital, and so does every line's first word."""

    kind: ClassVar[str] = "format:title_case"
    family: ClassVar[str] = "format"
    realise_order = ORDER_FORM + 6
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, "change_case:*", "startend:end_checker", "copy:copy_span", "words:no_consecutive_first_letter",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        offender = title_case_offender(response)
        if offender is None:
            return ConstraintCheck(True, "every major word starts with a capital letter")
        return ConstraintCheck(False, f"{offender!r} is not capitalised; title case needs every major word capitalised")

    def describe(self) -> list[str]:
        return [
            "Write your entire response in title case: capitalise the first letter of every major word.",
            "Use Title Case Throughout: Every Word Except Short Ones Like 'of' or 'the' Starts With a Capital Letter.",
            "Every major word of your reply must begin with a capital letter (title case); small words such as 'a', "
            "'and', 'of' may stay lower case.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        if to_title_case not in draft.text_filters:
            draft.text_filters.append(to_title_case)


# ----------------------------------------------------------------------------- nested bullets

_TOP_BULLET = re.compile(r"^[*+\-•]\s+\S")
_SUB_BULLET = re.compile(r"^(?: {2,}|\t+)[*+\-•]\s+\S")


def bullet_tree(text: str) -> tuple[list[int], int]:
    """(sub-item count of every top-level bullet, sub-items found before any top-level bullet).

    A top-level bullet starts its line with `*`, `-`, `+` or `•` and a space; a sub-item is such a
    bullet indented by two or more spaces or a tab, and belongs to the last top-level bullet."""
    tops: list[int] = []
    orphans = 0
    for line in text.splitlines():
        if _TOP_BULLET.match(line):
            tops.append(0)
        elif _SUB_BULLET.match(line):
            if tops:
                tops[-1] += 1
            else:
                orphans += 1
    return tops, orphans


class SubBulletsParams(Params):
    num_bullets: int = Field(ge=1, le=20, description="Exact number of top-level bullet points.")
    num_sub_items: int = Field(ge=1, le=10, description="Exact number of indented sub-items under each top-level bullet.")


class SubBullets(Constraint):
    """`format:sub_bullets` — exactly N top-level bullets, each with exactly M indented sub-items."""

    kind: ClassVar[str] = "format:sub_bullets"
    family: ClassVar[str] = "format"
    Params = SubBulletsParams
    realise_order = ORDER_STRUCTURE + 6
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, "detectable_format:number_bullet_lists", "length_constraints:nth_paragraph_first_word",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        p = self.params
        tops, orphans = bullet_tree(response)
        if orphans:
            return ConstraintCheck(False, f"{orphans} indented sub-item(s) come before any top-level bullet")
        if len(tops) != p.num_bullets:
            return ConstraintCheck(False, f"{len(tops)} top-level bullets; required exactly {p.num_bullets}")
        wrong = [(i, n) for i, n in enumerate(tops, 1) if n != p.num_sub_items]
        if wrong:
            i, n = wrong[0]
            return ConstraintCheck(False, f"bullet {i} has {n} sub-items; every bullet needs exactly {p.num_sub_items}")
        return ConstraintCheck(True, f"{p.num_bullets} bullets with {p.num_sub_items} sub-items each")

    def describe(self) -> list[str]:
        n, m = self.params.num_bullets, self.params.num_sub_items
        items = "one sub-item" if m == 1 else f"{m} sub-items"
        points = "one bullet point" if n == 1 else f"{n} bullet points"
        return [
            f"Include a nested list: exactly {points} (lines starting with '* '), each followed by exactly {items} "
            "indented by two spaces and starting with '- '.",
            f"Your answer must contain {points}, and under each one exactly {items} as an indented sub-bullet.",
            f"Use a two-level bulleted list with {points} at the top level and {items} nested under every one of them.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        if edge:  # the smallest tree, or the deepest fan-out
            return rng.choice([{"num_bullets": 1, "num_sub_items": 1}, {"num_bullets": 2, "num_sub_items": 4}])
        return {"num_bullets": rng.randint(2, 4), "num_sub_items": rng.randint(1, 3)}

    def realise(self, draft: ResponseDraft) -> None:
        if self.check(draft.render()).ok:
            return
        p = self.params
        lines: list[str] = []
        for _ in range(p.num_bullets):
            top = draft.make_sentence()
            subs = [draft.make_sentence() for _ in range(p.num_sub_items)]
            if top is None or any(s is None for s in subs):
                return
            lines.append(f"* {top}")
            lines.extend(f"  - {s}" for s in subs)
        attach_lines(draft, "\n".join(lines))
