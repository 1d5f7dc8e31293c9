"""Shared helpers of the IFBench / open-instruct style constraint kinds (the `extra_*` modules).

The extra kinds measure words, sentences, letters and lines, and their `realise` steps edit a
`ResponseDraft` in the same few ways: add an own sentence that must pass the draft's bans, rewrite
every prose piece (prefix a connective, change the final mark), or look at the verbatim text
another constraint forces into the response (an end phrase, a repeated prompt) to declare a
parameter-level clash. Those pieces live here once instead of being copied into every kind.

Nothing here registers a kind; every function is total on any `str` and linear in its length.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from vrgym.verifiers.instruction.base import Constraint, ConstraintCheck
from vrgym.verifiers.instruction.draft import Ban, Block, ResponseDraft
from vrgym.verifiers.instruction.text import ALPHA_WORD, split_sentences

_WORD = re.compile(r"\w+")

# Kinds that put verbatim text or line structure into the response which the extra kinds cannot
# edit: almost every line-, sentence- or letter-level rule conflicts with some of them.
JSON = "detectable_format:json_format"
LANGUAGE = "language:*"
COMBINATION = "combination:*"
CONSTRAINED = "detectable_format:constrained_response"
TITLE = "detectable_format:title"
SECTIONS = "detectable_format:multiple_sections"
POSTSCRIPT = "detectable_content:postscript"
END_PHRASE = "startend:end_checker"
QUOTATION = "startend:quotation"
BULLETS = "detectable_format:number_bullet_lists"

WHOLE_RESPONSE: frozenset[str] = frozenset({JSON, LANGUAGE, CONSTRAINED})
"""Conflicts of every extra kind: a JSON-wrapped, non-English or one-option answer has no room for them."""

FIXED_LINES: frozenset[str] = frozenset({
    COMBINATION, TITLE, SECTIONS, POSTSCRIPT, END_PHRASE, "format:markdown_sections", "format:markdown_table",
    "format:answer_template", "format:numbered_steps", "format:sub_bullets", "detectable_content:number_placeholders",
    "length_constraints:nth_paragraph_first_word", "words:keyword_position", "words:start_end_same",
    "first_word:answer", "copy:repeat_phrase",
})
"""Kinds whose fixed lines (titles, headings, "P.S.", a table, a placeholder) are sentences that no
per-sentence rewrite reaches: "every sentence …" kinds conflict with them."""

FIXED_TEXT_FIELDS: frozenset[str] = frozenset(
    {"end_phrase", "prompt_to_repeat", "postscript_marker", "keywords", "keyword", "first_word", "last_word",
     "phrase", "names", "forbidden_words"}
)
"""Parameter names whose values another constraint requires (or forbids) verbatim in the response."""


def alpha_words(text: str) -> list[str]:
    """Lower-cased alphabetic words (an inner apostrophe kept: "don't"); digits and `_` split words."""
    return [w.lower() for w in ALPHA_WORD.findall(text)]


def lower_words(text: str) -> list[str]:
    """Lower-cased `\\w+` tokens (IFEval's word units)."""
    return [w.lower() for w in _WORD.findall(text)]


def every_sentence(response: str, holds: Callable[[str], bool], *, passes: str, fails: str, tail: bool = False) -> ConstraintCheck:
    """Pass when `holds` is true of every sentence (`split_sentences`), else name the first offender.

    The reasons read "every sentence <passes>" and "sentence 3 ('…') <fails>", showing the
    sentence's start, or its end with `tail` (where an end-of-sentence rule was broken).
    """
    for i, sentence in enumerate(split_sentences(response), 1):
        if not holds(sentence):
            shown = sentence[-40:] if tail else sentence[:40]
            return ConstraintCheck(False, f"sentence {i} ({shown!r}) {fails}")
    return ConstraintCheck(True, f"every sentence {passes}")


def required_texts(other: Constraint) -> list[str]:
    """Strings that `other` puts into (or keeps out of) the response verbatim, from its parameters.

    Used for parameter-level clashes: a "no letter z" rule cannot meet an end phrase "Is there
    anything else I can help with?" only if the phrase holds a z, so the clash depends on values.
    """
    out: list[str] = []
    for name, value in other.params.model_dump().items():
        if name not in FIXED_TEXT_FIELDS or value is None:
            continue
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, (list, tuple)):
            out.extend(str(v) for v in value)
    span = getattr(other, "span", None)  # copy:copy_span: the part of the request it copies
    if isinstance(span, str):
        out.append(span)
    return out


def capitalise(text: str) -> str:
    """`text` with its first character upper-cased (the rest untouched)."""
    return text[:1].upper() + text[1:]


def decapitalise(sentence: str) -> str:
    """Lower-case the first letter of a sentence unless its first word is "I" or an acronym/name-like all-caps word."""
    match = ALPHA_WORD.search(sentence)
    if not match or match.start() != 0:
        return sentence
    word = match.group(0)
    if word == "I" or (len(word) > 1 and word.isupper()):
        return sentence
    return sentence[:1].lower() + sentence[1:]


def topic_phrases(draft: ResponseDraft) -> list[str]:
    """The base task's topic terms, then generic stand-ins (for own sentences built around the topic)."""
    return list(draft.topic_terms) + ["this topic", "the task at hand", "the subject"]


def first_allowed(draft: ResponseDraft, candidates: Iterable[str], *, ignore: Ban | None = None) -> str | None:
    """The first candidate that passes the draft's bans (all but `ignore`) and is not in the draft already.

    `ignore` lets a kind that bans some text everywhere ("no digits", "no question marks") add the
    exact carriers it needs itself; they are pinned, so the ban does not remove them later.
    """
    present = set(draft.text_pieces())
    bans = [ban for ban in draft.bans if ban is not ignore]
    for candidate in candidates:
        if candidate and candidate not in present and not any(ban(candidate) for ban in bans):
            return candidate
    return None


def own_sentences(draft: ResponseDraft, templates: Sequence[str], **fields: Any) -> Iterator[str]:
    """Every template filled with every topic phrase (`{t}`, `{T}` capitalised) and `fields`."""
    for term in topic_phrases(draft):
        for template in templates:
            yield capitalise(template.format(t=term, T=capitalise(term), **fields))


def rotated(templates: Sequence[str], offset: int) -> tuple[str, ...]:
    """`templates` starting at position `offset` (cyclically): successive additions that pass a
    growing offset use a different template each time instead of repeating the first one with a
    new number ("Setting aside 3 minutes…", "Setting aside 4 minutes…")."""
    if not templates:
        return ()
    k = offset % len(templates)
    return tuple(templates[k:]) + tuple(templates[:k])


def add_own_sentence(
    draft: ResponseDraft,
    candidates: Iterable[str],
    *,
    block: int = -1,
    index: int | None = None,
    pin: bool = True,
    ignore: Ban | None = None,
) -> str | None:
    """Insert the first allowed candidate into a block (appended, or at `index`); pinned by default."""
    sentence = first_allowed(draft, candidates, ignore=ignore)
    if sentence is None:
        return None
    target = draft.blocks[block].sentences
    if index is None:
        target.append(sentence)
    else:
        target.insert(min(index, len(target)), sentence)
    if pin:
        draft.pinned.add(sentence)
    return sentence


def all_blocks(draft: ResponseDraft) -> list[Block]:
    """The main blocks and, for two-response drafts, the second response's blocks."""
    return list(draft.blocks) + list(draft.second or [])


def rewrite_prose(draft: ResponseDraft, rewrite: Callable[[str], str], *, bullets: bool = True, tail: bool = False) -> None:
    """Apply `rewrite` to every prose sentence (and bullet, and with `tail` the postscript), keeping pins.

    A pinned sentence stays pinned under its new text, so shortening the draft later still keeps
    the keyword it carries.
    """

    def apply(text: str) -> str:
        new = rewrite(text)
        draft.repin(text, new)
        return new

    for block in all_blocks(draft):
        block.sentences = [apply(s) for s in block.sentences]
        if bullets:
            block.bullets = [apply(b) for b in block.bullets]
    if tail and draft.postscript:
        draft.postscript = apply(draft.postscript)


def prose_pieces(draft: ResponseDraft) -> Iterator[tuple[Block, str, int]]:
    """(block, "sentences"|"bullets", index) of every prose piece, main response first."""
    for block in all_blocks(draft):
        for i in range(len(block.sentences)):
            yield block, "sentences", i
        for i in range(len(block.bullets)):
            yield block, "bullets", i


def replace_piece(draft: ResponseDraft, block: Block, field: str, index: int, new: str) -> None:
    """Replace one sentence or bullet of `block`, moving its pin to the new text."""
    pieces: list[str] = getattr(block, field)
    old = pieces[index]
    pieces[index] = new
    draft.repin(old, new)


def attach_lines(draft: ResponseDraft, lines: str, *, block: int = -1) -> None:
    """Render `lines` (a multi-line block such as a table or numbered list) at the top of a block.

    `Block` has no slot for free-form lines, so they ride on the block's heading line (after an
    existing heading such as "SECTION 2"); the block count, and so every paragraph constraint,
    is unchanged.
    """
    target = draft.blocks[block]
    target.heading = f"{target.heading}\n{lines}" if target.heading else lines


def ordinal(n: int) -> str:
    """"first", "second" … "tenth", then "11th"."""
    names = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh", 8: "eighth",
             9: "ninth", 10: "tenth"}
    return names.get(n, f"{n}th")
