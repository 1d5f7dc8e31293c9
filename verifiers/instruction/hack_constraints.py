"""Constraint-specific anti-gaming: how each kind is satisfied in letter but not in spirit.

IFEval's checkers are kept with their exact strict semantics (a dataset written for IFEval must
score the same), so the shortcuts they leave open are closed here, on top of them:

* keywords must be whole words (or their inflections) inside sentences: "cart" does not contain
  the keyword "art", and "ocean, whisper" appended as a list is not using them;
* a forbidden word's inflections are forbidden too ("dogs" when "dog" is banned);
* JSON must be an object or array with real text in it (`{}`, `[]`, `{"a": ""}`, `42` fail);
* a title needs letters, a postscript comes after a body, the end phrase / placeholders / title /
  repeated prompt / quotes are not the content: the content floor is measured on what is left;
* the two responses of `two_responses` must differ by a real edit, not "Yes." vs "Yes!";
* `constrained_response` must commit to one option, not "My answer is yes. Actually no.";
* sections, paragraphs and sentences asked for by count must not be stubs.

It also says what a constraint legitimately requires (`implied_allow`: a repeat-the-request kind
allows echo, a yes/no option allows a short answer) and how far a length cap lowers the content
floor (`content_floor`).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from vrgym.verifiers.instruction.hack_degenerate import content_words
from vrgym.verifiers.instruction.hack_finding import (
    ALLOW_ECHO,
    ALLOW_OFF_TASK,
    ALLOW_REPETITION,
    ALLOW_SHORT,
    ALLOW_SYMBOLS,
    DEGENERATE,
    HackFinding,
)
from vrgym.verifiers.instruction.hack_relevance import lemma
from vrgym.verifiers.instruction.text import split_paragraphs, split_sentences

if TYPE_CHECKING:
    from vrgym.verifiers.instruction.base import Constraint

_TITLE = re.compile(r"<<([^\n]*?)>>")
_PLACEHOLDER = re.compile(r"\[[^\]\n]*\]")
_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*|\s*```\s*$")
_OPTION = re.compile(r"my\s+answer\s+is\s+(yes|no|maybe)\b", re.IGNORECASE)
_VERDICT_WORD = re.compile(r"\b(?:yes|no|maybe|not|nope|yeah)\b", re.IGNORECASE)
_LIST_CONNECTORS = frozenset({"and", "or", "keywords", "keyword", "tags", "tag", "plus", "also", "included", "including"})
_MAX_JSON_NODES = 20_000
_MAX_DIFF_WORDS = 400
_SIMILAR = 0.8
_STUB_WORDS = 4
_SECTION_MIN_WORDS = 3

# Kind ids (or id fragments) whose task is to reproduce given text: echo, brevity, no relevance floor.
_COPY_KINDS = ("copy:copy", "copy:copying_simple", "copy:copying_multiple", "new:copy_span_idx", "repeat:repeat_simple", "repeat:repeat_span", "repeat:repeat_change")
_REPETITION_KINDS = ("repeat_phrase", "copying_multiple", "counting_composition")
_UNREADABLE_KINDS = ("character_reverse", "no_whitespace", "square_brackets", "bigram_wrapping")


def _params(constraint: Constraint) -> dict[str, Any]:
    try:
        return dict(constraint.params.model_dump())
    except Exception:
        return {}


def implied_allow(constraints: Iterable[Constraint]) -> set[str]:
    """Checks switched off because an attached constraint requires the behaviour they flag."""
    allow: set[str] = set()
    for c in constraints:
        kind = c.kind
        if kind in _COPY_KINDS:
            allow |= {ALLOW_ECHO, ALLOW_SHORT, ALLOW_OFF_TASK, ALLOW_REPETITION}
        if any(fragment in kind for fragment in _REPETITION_KINDS):
            allow.add(ALLOW_REPETITION)
        if any(fragment in kind for fragment in _UNREADABLE_KINDS):
            allow |= {ALLOW_SHORT, ALLOW_OFF_TASK, ALLOW_SYMBOLS}
        if kind == "detectable_format:constrained_response":
            allow.add(ALLOW_SHORT)
    return allow


def content_floor(constraints: Iterable[Constraint], default: int) -> int:
    """The content floor in words, lowered when a constraint caps the length of the response."""
    floor = default
    for c in constraints:
        p = _params(c)
        relation = str(p.get("relation") or p.get("let_relation") or "")
        if c.kind == "length_constraints:number_words" and relation == "less than":
            floor = min(floor, max(3, (int(p["num_words"]) - 1) // 3))
        elif c.kind == "length_constraints:number_sentences" and relation == "less than":
            floor = min(floor, max(3, 4 * (int(p["num_sentences"]) - 1)))
        else:
            for key, value in p.items():  # other kinds with a word cap ("max_words", "num_words" + "less than")
                if "word" in key and isinstance(value, int) and not isinstance(value, bool) and (key.startswith("max") or relation == "less than"):
                    floor = min(floor, max(3, value // 3))
    return floor


def content_body(text: str, constraints: Sequence[Constraint]) -> str:
    """The part of `text` that carries content: required decorations (title, placeholders, end
    phrase, repeated prompt, postscript, quotes, JSON syntax) removed."""
    body = text
    for c in constraints:
        p = _params(c)
        if c.kind == "detectable_format:title":
            body = _TITLE.sub(" ", body)
        elif c.kind == "detectable_content:number_placeholders":
            body = _PLACEHOLDER.sub(" ", body)
        elif c.kind == "startend:end_checker":
            body = _strip_suffix(body, str(p.get("end_phrase") or ""))
        elif c.kind == "combination:repeat_prompt":
            body = _strip_prefix(body, str(p.get("prompt_to_repeat") or ""))
        elif c.kind == "detectable_content:postscript":
            body = _before_postscript(body, str(p.get("postscript_marker") or ""))
        elif c.kind == "startend:quotation":
            stripped = body.strip()
            if len(stripped) >= 2 and stripped[0] == stripped[-1] == '"':
                body = stripped[1:-1]
        elif c.kind == "detectable_format:json_format":
            leaves = json_text(body)
            if leaves is not None:
                body = leaves
    return body


def _strip_suffix(text: str, phrase: str) -> str:
    stripped = text.strip().rstrip("\"'”’")
    if phrase and stripped.lower().endswith(phrase.lower()):
        return stripped[: len(stripped) - len(phrase)]
    return text


def _strip_prefix(text: str, phrase: str) -> str:
    stripped = text.strip()
    if phrase and stripped.lower().startswith(phrase.strip().lower()):
        return stripped[len(phrase.strip()) :]
    return text


def _postscript_line(text: str, marker: str) -> int | None:
    """Character offset of the first line that starts with the postscript marker (None if none)."""
    if not marker.strip():
        return None
    pattern = re.compile(r"^[ \t]*" + re.escape(marker.strip()), re.IGNORECASE | re.MULTILINE)
    match = pattern.search(text)
    return None if match is None else match.start()


def _before_postscript(text: str, marker: str) -> str:
    start = _postscript_line(text, marker)
    return text if start is None else text[:start]


def parse_json(text: str) -> tuple[bool, Any]:
    """(parsed?, value) of the response as JSON after removing a ``` / ```json fence; never raises."""
    try:
        return True, json.loads(_FENCE.sub("", text.strip()))
    except Exception:  # not JSON, or nested deeper than the recursion limit
        return False, None


def json_text(text: str) -> str | None:
    """The string leaves of the JSON value in `text`, joined by newlines (None if it is not JSON)."""
    ok, value = parse_json(text)
    if not ok:
        return None
    pieces: list[str] = []
    stack: list[Any] = [value]
    seen = 0
    while stack and seen < _MAX_JSON_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, str):
            pieces.append(node)
        elif isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return "\n".join(pieces)


def _is_list_line(line: str, keywords: set[str]) -> bool:
    """A line that only lists keywords ("ocean, whisper", "Keywords: ocean and whisper")."""
    words = content_words(line)
    if not words:
        return False
    hits = [w for w in words if lemma(w) in keywords]
    rest = [w for w in words if lemma(w) not in keywords and w not in _LIST_CONNECTORS]
    return not rest and (len(hits) >= 2 or bool(re.search(r"[,;/|]|keywords?\s*:", line, re.IGNORECASE)))


def _whole_word_lines(text: str, keyword: str) -> tuple[list[str], bool]:
    """(lines holding `keyword` as a whole word or inflection, whether it occurs as a substring at all)."""
    key = keyword.strip().lower()
    if not key:
        return [], False
    if " " in key:
        pattern = re.compile(rf"(?<!\w){re.escape(key)}(?!\w)", re.IGNORECASE)
        return [line for line in text.splitlines() if pattern.search(line)], key in text.lower()
    target = lemma(key)
    lines = [line for line in text.splitlines() if any(w == key or lemma(w) == target for w in content_words(line))]
    return lines, key in text.lower()


def _check_keywords(text: str, keywords: Sequence[str], *, need: int = 1) -> HackFinding | None:
    lemmas = {lemma(k) for k in keywords if k and " " not in k.strip()}
    for keyword in keywords:
        lines, substring = _whole_word_lines(text, keyword)
        if not lines:
            if substring:
                return HackFinding(DEGENERATE, f"the keyword {keyword!r} appears only inside other words, never as a word of its own")
            continue  # absent: the constraint checker fails it
        in_sentences = [line for line in lines if not _is_list_line(line, lemmas)]
        if not in_sentences:
            return HackFinding(DEGENERATE, f"the keyword {keyword!r} is only listed, never used in a sentence")
        if need > 1:
            target = lemma(keyword.strip().lower())
            count = sum(1 for line in in_sentences for w in content_words(line) if w == keyword.lower() or lemma(w) == target)
            if " " not in keyword.strip() and count < need:
                return HackFinding(
                    DEGENERATE, f"{keyword!r} occurs {count} times as a word in sentences; the other matches are inside other words or lists"
                )
    return None


def forbidden_inflection(text: str, forbidden: Sequence[str]) -> tuple[str, str] | None:
    """(forbidden word, the longer inflection of it that `text` uses) or None: "skills" when
    "skill" is forbidden. IFEval's checker matches whole words only, so this closes the plural
    loophole; the reference builder bans the same forms, so its references never trip it."""
    targets = {lemma(w.strip().lower()): w for w in forbidden if w and " " not in w.strip()}
    if not targets:
        return None
    for word in content_words(text):
        stem = lemma(word)
        if stem in targets and len(word) > len(targets[stem]) and word != targets[stem].lower():  # "dogs" for "dog"
            return targets[stem], word
    return None


def _check_forbidden(text: str, forbidden: Sequence[str]) -> HackFinding | None:
    found = forbidden_inflection(text, forbidden)
    if found is None:
        return None
    return HackFinding(DEGENERATE, f"the forbidden word {found[0]!r} appears as {found[1]!r}")


def _check_json(text: str, min_words: int) -> HackFinding | None:
    ok, value = parse_json(text)
    if not ok:
        return None  # not JSON at all: the json_format checker fails it
    if not isinstance(value, (dict, list)):
        return HackFinding(DEGENERATE, f"the JSON is a bare {type(value).__name__}, not an object or array with content")
    words = len(content_words(json_text(text) or ""))
    if words < min_words:
        return HackFinding(DEGENERATE, f"the JSON holds {words} words of text; a real answer needs at least {min_words}")
    return None


def _check_two_responses(text: str, min_words: int) -> HackFinding | None:
    parts = [p for p in text.split("******") if p.strip()]
    if len(parts) != 2:
        return None
    a, b = (content_words(p, limit=_MAX_DIFF_WORDS) for p in parts)
    floor = max(3, min_words // 2)
    if min(len(a), len(b)) < floor:
        return HackFinding(DEGENERATE, f"one of the two responses has fewer than {floor} words")
    similarity = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    if similarity >= _SIMILAR:
        return HackFinding(DEGENERATE, f"the two responses are {similarity:.0%} identical word for word: not two different responses")
    return None


def _check_constrained(text: str) -> HackFinding | None:
    options = {m.group(1).lower() for m in _OPTION.finditer(text)}
    if len(options) > 1:
        return HackFinding(DEGENERATE, f"the response gives several options ({', '.join(sorted(options))}): it must commit to one")
    if not options:
        return None
    for sentence in split_sentences(text):
        if _OPTION.search(sentence):
            continue
        if len(content_words(sentence)) <= 4 and _VERDICT_WORD.search(sentence):
            return HackFinding(DEGENERATE, f"{sentence!r} contradicts or hedges the chosen option")
    return None


def _check_title(text: str) -> HackFinding | None:
    match = _TITLE.search(text)
    if match is not None and sum(1 for ch in match.group(1) if ch.isalpha()) < 3:
        return HackFinding(DEGENERATE, f"the title {match.group(0)!r} has no real words")
    return None


def _check_postscript(text: str, marker: str, min_words: int) -> HackFinding | None:
    start = _postscript_line(text, marker)
    if start is None:
        return None
    before = len(content_words(text[:start], limit=min_words))
    if before < min_words:
        return HackFinding(DEGENERATE, f"the {marker.strip()} postscript is not after a real body ({before} words come before it)")
    return None


def _check_sections(text: str, splitter: str) -> HackFinding | None:
    if not splitter.strip():
        return None
    parts = re.split(r"\s?" + re.escape(splitter.strip()) + r"\s?\d+\s?", text)
    for index, part in enumerate(parts[1:], start=1):
        if len(content_words(part, limit=_SECTION_MIN_WORDS)) < _SECTION_MIN_WORDS:
            return HackFinding(DEGENERATE, f"{splitter.strip()} {index} is empty or a stub")
    return None


def _check_paragraph_stubs(text: str) -> HackFinding | None:
    stars = [p for p in re.split(r"\s*\*\*\*+\s*", text) if p.strip()]
    paragraphs = stars if len(stars) > 1 else split_paragraphs(text)
    if len(paragraphs) < 2:
        return None
    stubs = sum(1 for p in paragraphs if len(content_words(p, limit=_STUB_WORDS)) < _STUB_WORDS)
    if stubs * 2 > len(paragraphs):
        return HackFinding(DEGENERATE, f"{stubs} of {len(paragraphs)} paragraphs are stubs of fewer than {_STUB_WORDS} words")
    return None


def _check_sentence_stubs(text: str) -> HackFinding | None:
    sentences = split_sentences(text)
    if len(sentences) < 4:
        return None
    stubs = sum(1 for s in sentences if len(content_words(s, limit=3)) < 3)
    if stubs * 2 > len(sentences):
        return HackFinding(DEGENERATE, f"{stubs} of {len(sentences)} sentences have fewer than 3 words: padding the count")
    return None


def find_constraint_gaming(text: str, constraints: Sequence[Constraint], *, min_words: int) -> HackFinding | None:
    """The first way `text` games one of `constraints` (see the module docstring), or None."""
    for c in constraints:
        p = _params(c)
        kind = c.kind
        finding: HackFinding | None = None
        if kind == "keywords:existence":
            finding = _check_keywords(text, [str(k) for k in p.get("keywords") or []])
        elif kind == "keywords:frequency" and p.get("relation") == "at least":
            finding = _check_keywords(text, [str(p.get("keyword") or "")], need=int(p.get("frequency") or 1))
        elif kind == "keywords:forbidden_words":
            finding = _check_forbidden(text, [str(w) for w in p.get("forbidden_words") or []])
        elif kind == "detectable_format:json_format":
            finding = _check_json(text, min_words)
        elif kind == "combination:two_responses":
            finding = _check_two_responses(text, min_words)
        elif kind == "detectable_format:constrained_response":
            finding = _check_constrained(text)
        elif kind == "detectable_format:title":
            finding = _check_title(text)
        elif kind == "detectable_content:postscript":
            finding = _check_postscript(text, str(p.get("postscript_marker") or ""), min_words)
        elif kind == "detectable_format:multiple_sections":
            finding = _check_sections(text, str(p.get("section_spliter") or ""))
        elif kind in {"length_constraints:number_paragraphs", "length_constraints:nth_paragraph_first_word"}:
            finding = _check_paragraph_stubs(text)
        elif kind == "length_constraints:number_sentences" and p.get("relation") == "at least":
            finding = _check_sentence_stubs(text)
        if finding is not None:
            return finding
    return None
