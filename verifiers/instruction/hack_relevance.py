"""Relevance floor: a response must be about its base task, and must not just echo the prompt.

Constraint checkers look only at the letter of a constraint, so "The cart rolled away." passes a
keyword check for "art" in an essay about art history. The floor here is tied to the base task's
own terms (`task_terms`, supplied by the template) and is deliberately lenient, because a false
positive costs a correct policy its reward: one term must appear (two when the task has five or more and the response runs to 60+ words), matched on a cheap
lemma (lower case, plural / -ing / -ed stripped) or an extension of a 4+ letter stem by at most
three letters, so "heating" matches "heater" and "cities" matches "city" (but "household" does
not match "house": another task's answer must not pass on a shared prefix).

Echo: if most word trigrams of the response are copied from the prompt, the response restates
the request instead of answering it (unless the prompt asks for a repeat: `allow` "echo").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from vrgym.verifiers.instruction.hack_finding import OFF_TASK, HackFinding
from vrgym.verifiers.instruction.text import ALPHA_WORD

_MAX_TOKENS = 200_000
_ECHO_SHARE = 0.6
_MIN_ECHO_TRIGRAMS = 4
_MIN_STEM = 4
_MAX_EXTENSION = 3
_TWO_TERMS_FROM = 5  # with 5+ terms, two must appear in a response of 60+ words (one can match by chance)
_TWO_TERMS_WORDS = 60
_STOPWORDS = frozenset(
    """a an the and or of to in on for with about at by from as is are be was were it its this that these those
    your you my our their his her how what why when which who write give make describe explain tell""".split()
)


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """A cheap lemma: lower case, possessive/plural/-ing/-ed removed, a final silent e dropped.

    Deliberately crude (no dictionary): it only has to make a task term and its inflections meet
    ("cities"/"city", "writing"/"write", "baked"/"bake"), never to be linguistically right.
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'")
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    elif len(w) > 4 and w.endswith("es") and (w[-3] in "sxz" or w[-4:-2] in ("ch", "sh")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":  # "stopp(ed)", "runn(ing)"
        w = w[:-1]
    return w


def letter_words(text: str, limit: int = _MAX_TOKENS) -> list[str]:
    """Lower-cased words made of letters (apostrophes inside kept), at most `limit` of them."""
    words = ALPHA_WORD.findall(text.lower())
    return words if len(words) <= limit else words[:limit]


def lemmas(words: Iterable[str]) -> set[str]:
    """The set of `lemma`s of `words`."""
    return {lemma(w) for w in words}


def lemma_matches(term: str, present: set[str]) -> bool:
    """Whether the lemma `term` is in `present`, or a word that extends it (or that it extends) by
    at most `_MAX_EXTENSION` letters on a stem of 4+ letters ("heat"-ing / "heat"-er, "travel"-led),
    but not a mere shared prefix ("house" / "household", "earth" / "earthquake")."""
    if term in present:
        return True
    if len(term) < _MIN_STEM:
        return False
    for p in present:
        if len(p) < _MIN_STEM or abs(len(p) - len(term)) > _MAX_EXTENSION:
            continue
        if p.startswith(term) or term.startswith(p):
            return True
    return False


def term_lemmas(task_terms: Sequence[str]) -> list[set[str]]:
    """Each task term (possibly several words) as the set of lemmas of its content words."""
    out: list[set[str]] = []
    for term in task_terms:
        words = [w for w in letter_words(str(term)) if w not in _STOPWORDS and len(w) >= 2]
        if words:
            out.append(lemmas(words))
    return out


def matched_terms(text: str, task_terms: Sequence[str]) -> list[str]:
    """The task terms that `text` uses, by the relevance floor's own lemma matching.

    "Earthquakes" counts for "earthquake" and "heating" for "heater", but "household" does not
    count for "house". One function for the hack-check, the reference builder (which keeps two
    terms in every reference) and the tests, so "uses the topic" means one thing everywhere.
    """
    return _matched(lemmas(letter_words(text)), task_terms)


def _matched(present: set[str], task_terms: Sequence[str]) -> list[str]:
    return [term for term, wanted in zip(task_terms, _term_sets(tuple(map(str, task_terms))))
            if wanted and any(lemma_matches(word, present) for word in wanted)]


@lru_cache(maxsize=4096)
def _term_sets(task_terms: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """Lemmas of each term's content words (empty for a term of stop words only), cached: a
    problem's terms are checked against every response of a batch."""
    return tuple(
        frozenset(lemma(w) for w in letter_words(term) if w not in _STOPWORDS and len(w) >= 2) for term in task_terms
    )


def find_off_task(text: str, task_terms: Sequence[str]) -> HackFinding | None:
    """`hack:off_task` when none of the base task's terms appear in `text` (fewer than two of 5+
    terms in a response of 60+ words: another task's long answer shares one word by chance)."""
    terms = term_lemmas(task_terms)
    if not terms:
        return None
    words = letter_words(text)
    hits = _matched(lemmas(words), task_terms)
    need = 2 if len(terms) >= _TWO_TERMS_FROM and len(words) >= _TWO_TERMS_WORDS else 1
    if len(hits) >= need:
        return None
    shown = ", ".join(sorted(str(t) for t in task_terms)[:8])
    return HackFinding(
        OFF_TASK,
        f"the response uses {len(hits)} of the base task's {len(terms)} terms ({shown}); at least {need} must appear",
    )


def _trigrams(words: Sequence[str]) -> list[tuple[str, str, str]]:
    return list(zip(words, words[1:], words[2:]))


def echo_share(text: str, prompt: str) -> float:
    """Fraction of the response's word trigrams that also occur in the prompt (0 for < 3 words)."""
    response_grams = _trigrams(letter_words(text))
    if not response_grams:
        return 0.0
    prompt_grams = set(_trigrams(letter_words(prompt)))
    if not prompt_grams:
        return 0.0
    copied = sum(1 for gram in response_grams if gram in prompt_grams)
    return copied / len(response_grams)


def find_echo(text: str, prompt: str) -> HackFinding | None:
    """`hack:off_task` when most of the response is copied from the prompt."""
    words = letter_words(text)
    if len(words) < _MIN_ECHO_TRIGRAMS + 2:
        return None
    share = echo_share(text, prompt)
    if share < _ECHO_SHARE:
        return None
    return HackFinding(
        OFF_TASK, f"{share:.0%} of the response's word trigrams are copied from the prompt: it restates the request"
    )
