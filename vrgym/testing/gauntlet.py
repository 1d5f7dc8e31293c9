"""The gauntlet: adversarial responses that every verifier must score 0, without raising, quickly.

Built per problem from its reference response, so answer-based attacks (the right answer padded,
hedged, unmarked, hidden in unfinished thinking …) use this problem's real answer, and the
"another problem's answer" attacks use references of other problems. Everything is deterministic:
random junk comes from an RNG seeded with the problem id, so a failure reproduces exactly.

An attack is a *response*; what counts as passing (reward 0, reason not `verifier_error`, within
the time limit) is decided by the contract check, not here. Attacks that need the reference answer
are skipped when the template's reference has no extractable final answer (e.g. code templates);
the contract records that as a note.

The attacks, by family:

* garbage — empty, whitespace, random Unicode (control bytes, NUL, lone surrogates, RTL marks),
  junk / a surrogate / NUL / nothing / whitespace inside the marker, a lone opener, "The answer
  is" and "Final answer:" with nothing after, non-strings (None, bytes), the prompt echoed back;
* foreign — reference responses of up to three other problems whose answers differ from this one;
* answer-based (templates with a marker; none for whole-response templates) — the right answer
  padded with words inside the marker (before, after, around),
  listed among wrong ones ("A or B or C", "A, B, C", "A; B" — not for code, where joining two
  programs with "; " or ", " writes a new program judged on its merits), the reference followed by a second
  different answer (and the reverse), two markers, the answer in prose without the marker, the
  reference with its marker stripped, an unterminated marker, the answer in an unclosed <think>;
* heavy — 1 MB of text (over the default length limit), and text, many markers and deep nesting
  just under the template's `max_response_chars`.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from vrgym.problem import Problem
from vrgym.seeding import canonical_json, digest
from vrgym.template import Template
from vrgym.verifiers.extraction import AnswerFormat

ONE_MB = 1_000_000
_SENTINEL = "\x00VRGYM\x00"
_LOREM = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
    "et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris. "
)
_NASTY_CHARS = (
    "\x00\x01\x02\x07\x08\x1b\x7f\x85\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202d\u202e\u2066\u2067\u2069"
    "\ufeff\ufffd\ufffe\uffff\ud800\udbff\udc00\udfff\U0001f600\U0010ffff\u0301\u0338\u00a0\u3000\t\r\n"
    "{}\\<>/$"
)


@dataclass(frozen=True)
class Attack:
    """One adversarial response and the name that identifies it in reports."""

    name: str
    response: Any
    heavy: bool = False
    """Large responses (hundreds of KB); the contract runs them on fewer problems."""


@dataclass(frozen=True)
class Marker:
    """The template's final-answer marker split around its content: `opener + answer + closer`."""

    opener: str
    closer: str

    @classmethod
    def of(cls, template: Template) -> Marker:
        opener, closer = template.answer_format.wrap(_SENTINEL).split(_SENTINEL)
        return cls(opener, closer)

    def wrap(self, content: str) -> str:
        return f"{self.opener}{content}{self.closer}"


def answer_key(answer: str) -> str:
    """Loose form of an answer used to decide that two answers collide (skip rather than misjudge)."""
    return "".join(answer.split()).casefold()


def build_gauntlet(
    template: Template,
    problem: Problem,
    reference: str,
    answer: str | None,
    others: Sequence[tuple[str, str | None]] = (),
    *,
    heavy: bool = True,
) -> list[Attack]:
    """Every attack for `problem`.

    `reference` is the problem's reference response and `answer` its extracted final answer (None
    when it has none); `others` are (reference response, extracted answer) of *other* problems.
    Other problems whose answer collides with this one are left out: small answer spaces repeat.
    """
    rng = random.Random(int.from_bytes(digest(canonical_json(["gauntlet", problem.id]), 8), "big"))
    marker = Marker.of(template)
    foreign = [(resp, ans) for resp, ans in others if ans is None or answer is None or answer_key(ans) != answer_key(answer)]
    attacks = [*_garbage(rng, marker), *_foreign_answers(foreign), *_prompt_echo(template, problem, answer)]
    if answer is not None and marker.opener:  # marker attacks mean nothing when the whole reply is the answer
        wrong = _wrong_answers(answer, [ans for _, ans in foreign if ans])
        program = template.answer_format is AnswerFormat.CODE
        attacks += _answer_attacks(marker, reference, answer, wrong, listed=not program)
    if heavy:
        attacks += _heavy(template, marker)
    return attacks


def _garbage(rng: random.Random, marker: Marker) -> Iterable[Attack]:
    junk = "".join(rng.choice(_NASTY_CHARS) for _ in range(200))
    yield Attack("empty", "")
    yield Attack("whitespace", " \t\n\r\u00a0\u2003\u3000\n  ")
    yield Attack("unicode_junk", junk)
    yield Attack("control_bytes", "".join(chr(rng.randrange(0, 32)) for _ in range(64)) + "\x00")
    yield Attack("lone_surrogates", "\ud800 \udfff \ud83d" + junk[:20])
    yield Attack("rtl_marks", "\u202e\u200f\u2067 \u061c" + _LOREM[:40] + "\u202c")
    yield Attack("junk_in_marker", marker.wrap(junk[:60]))
    yield Attack("surrogate_in_marker", marker.wrap("\ud800"))
    yield Attack("nul_in_marker", marker.wrap("\x00"))
    yield Attack("empty_marker", marker.wrap(""))
    yield Attack("whitespace_marker", marker.wrap(" \n\t "))
    yield Attack("marker_only_opener", marker.opener)
    yield Attack("answer_is_nothing", "The answer is")
    yield Attack("answer_is_colon", "Final answer:")
    yield Attack("non_string_none", None)
    yield Attack("non_string_bytes", b"\xff\xfe\x00 not text")


def _foreign_answers(foreign: Sequence[tuple[str, str | None]], limit: int = 3) -> Iterable[Attack]:
    for i, (response, _) in enumerate(foreign[:limit]):
        yield Attack(f"other_problem_answer_{i}", response)


def _prompt_echo(template: Template, problem: Problem, answer: str | None) -> Iterable[Attack]:
    """The prompt itself as the response — unless its format example happens to be this answer."""
    try:
        example = template.extract(problem.prompt).answer
    except Exception:  # noqa: BLE001  (a broken extract is the verifier's problem, found elsewhere)
        example = None
    if answer is None or example is None or answer_key(example) != answer_key(answer):
        yield Attack("prompt_echo", problem.prompt)


def _wrong_answers(answer: str, candidates: Sequence[str], n: int = 2) -> list[str]:
    """`n` answers different from `answer`: other problems' answers first, synthetic ones after."""
    wrong = list(dict.fromkeys(c.strip() for c in candidates if answer_key(c) != answer_key(answer)))
    for synthetic in (f"9{answer}", f"8{answer}7", "0" if answer_key(answer) != "0" else "1"):
        if len(wrong) >= n:
            break
        if answer_key(synthetic) not in {answer_key(w) for w in wrong}:
            wrong.append(synthetic)
    return wrong[:n]


def _answer_attacks(marker: Marker, reference: str, answer: str, wrong: Sequence[str], *, listed: bool = True) -> Iterable[Attack]:
    w1, w2 = wrong[0], wrong[1]
    wrapped = marker.wrap(answer)
    yield Attack("padded_before", marker.wrap(f"{_LOREM[:60]}{answer}"))
    yield Attack("padded_after", marker.wrap(f"{answer} {_LOREM[:60]}"))
    yield Attack("padded_both", marker.wrap(f"lorem ipsum {answer} dolor sit amet"))
    if listed:
        yield Attack("listed_or", marker.wrap(f"{w1} or {answer} or {w2}"))
        yield Attack("listed_comma", marker.wrap(f"{w1}, {answer}, {w2}"))
        yield Attack("listed_semicolon", marker.wrap(f"{answer}; {w1}"))
    second = reference.replace(wrapped, marker.wrap(w1)) if wrapped in reference else f"{reference}\n{marker.wrap(w1)}"
    yield Attack("reference_then_other_answer", f"{reference}\n\nLet me redo that.\n{second}")
    yield Attack("other_answer_then_reference", f"{marker.wrap(w1)}\n\n{reference}")
    yield Attack("two_markers", f"{marker.wrap(w1)} {wrapped}")
    yield Attack("answer_in_prose", f"The answer is {answer}.")
    if wrapped in reference:
        yield Attack("reference_without_marker", reference.replace(wrapped, answer))
    yield Attack("unterminated_marker", f"The answer is {marker.opener}{answer}")
    yield Attack("unclosed_think", f"<think>I believe it is {wrapped}")
    if "<think>" not in reference.lower():  # nested think tags are ambiguous, not an attack
        yield Attack("reference_in_unclosed_think", f"<think>{reference}")


def _heavy(template: Template, marker: Marker) -> Iterable[Attack]:
    near_limit = max(0, min(template.max_response_chars - 64, ONE_MB))
    yield Attack("one_megabyte_text", _lorem(ONE_MB), heavy=True)
    yield Attack("near_limit_text", _lorem(near_limit), heavy=True)
    yield Attack("near_limit_many_markers", _many_markers(marker, near_limit), heavy=True)
    yield Attack("near_limit_nesting", _nesting(marker, near_limit), heavy=True)


@functools.lru_cache(maxsize=4)
def _lorem(size: int) -> str:
    return (_LOREM * (size // len(_LOREM) + 1))[:size]


@functools.lru_cache(maxsize=4)
def _many_markers(marker: Marker, size: int) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        part = f"{marker.wrap(str(i))} <think> {marker.opener}{{ "
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)[:size]


@functools.lru_cache(maxsize=4)
def _nesting(marker: Marker, size: int) -> str:
    unit = f"{marker.opener}{{<think>"
    return (unit * (size // len(unit) + 1))[:size]
