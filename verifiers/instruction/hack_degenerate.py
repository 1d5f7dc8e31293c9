"""Degenerate outputs: text that satisfies counts or formats without saying anything.

IFEval's checkers test the letter of a constraint, and 19 of 20 degenerate outputs pass them
("word " × 300 for "at least 300 words", "." for "no commas", `""` for "wrap in quotes"). The
guards here apply to every instruction-following response, whatever its constraints:

* a content floor: at least `min_words` words made of letters (the caller lowers it when a
  constraint caps the length, and switches it off with `allow` "short");
* repetition loops: the most frequent word trigram covering too much of the text, a sentence
  repeated many times, or a zlib compression ratio far below that of prose;
* low lexical diversity once the text is long enough (mean type/token ratio over 100-word windows,
  which, unlike the plain ratio, does not fall just because a good essay is long);
* filler and junk: lorem ipsum / blah tokens, number words counted out ("one two three …"),
  strings of single letters, vowel-less gibberish, word salad without function words, and a high
  share of non-letter characters.

Every threshold is calibrated on realistic good responses (tests/verifiers/instruction/fixtures)
with a wide margin: prose sits at a windowed type/token ratio of 0.6–0.8 and a compression ratio
of 0.35–0.6, loops at ≤ 0.1 on both. All measures are linear in the text and capped in tokens.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Sequence

from vrgym.verifiers.instruction.hack_finding import DEGENERATE, HackFinding
from vrgym.verifiers.instruction.text import ALPHA_WORD, split_sentences

MIN_CONTENT_WORDS = 12
"""Default content floor in letter words: the base tasks are writing tasks (emails, stories, …)."""

_MAX_TOKENS = 100_000
_MAX_ZLIB_BYTES = 400_000
_TRIGRAM_MIN_TOKENS = 20
_TRIGRAM_SHARE = 0.12
_WINDOW = 100
_MIN_WINDOW_TTR = 0.3
_SHORT_TTR_TOKENS = 40
_SHORT_MIN_TTR = 0.25
_ZLIB_MIN_CHARS = 600
_ZLIB_MIN_RATIO = 0.15
_SENTENCE_REPEATS = 3
_SENTENCE_REPEAT_SHARE = 0.25
_MIN_LETTER_SHARE = 0.45
_LETTER_SHARE_MIN_CHARS = 20
_JUNK_MIN_TOKENS = 10
_FILLER_SHARE = 0.05
_NUMBER_WORD_SHARE = 0.4
_SINGLE_LETTER_SHARE = 0.5
_VOWELLESS_SHARE = 0.4

_FILLER = frozenset(
    "lorem ipsum dolor amet consectetur adipiscing elit sed eiusmod tempor incididunt blah bla blablabla filler padding "
    "asdf asdfgh qwerty xxx yada foo baz lol".split()
)
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand""".split()
)
_VOWELS = frozenset("aeiouyAEIOUY")
_FUNCTION_WORDS = frozenset(
    """the a an and or but of to in on at for with is are was were be been it its that this as by from not no you i
    we he she they his her their our my your have has had will can do if so than then there which who what when all
    more one into about up out""".split()
)
_FUNCTION_MIN_TOKENS = 40
_MIN_FUNCTION_SHARE = 0.05


def content_words(text: str, limit: int = _MAX_TOKENS) -> list[str]:
    """Lower-cased words made of letters, at most `limit` (digits and symbols are not content)."""
    words = ALPHA_WORD.findall(text.lower())
    return words if len(words) <= limit else words[:limit]


def find_too_short(text: str, min_words: int) -> HackFinding | None:
    """`hack:degenerate` when `text` has fewer than `min_words` letter words."""
    n = len(content_words(text, limit=min_words))
    if n >= min_words:
        return None
    return HackFinding(DEGENERATE, f"only {n} words of content; a real answer to the task needs at least {min_words}")


def _windowed_ttr(words: Sequence[str]) -> float:
    """Mean type/token ratio over consecutive windows of `_WINDOW` words (the last partial window dropped)."""
    windows = [words[i : i + _WINDOW] for i in range(0, len(words) - _WINDOW + 1, _WINDOW)]
    return sum(len(set(w)) / len(w) for w in windows) / len(windows)


def find_repetition(text: str, words: Sequence[str]) -> HackFinding | None:
    """`hack:degenerate` for repetition loops and very low lexical diversity."""
    n = len(words)
    if n >= _TRIGRAM_MIN_TOKENS:
        grams = Counter(zip(words, words[1:], words[2:]))
        gram, count = grams.most_common(1)[0]
        share = count / (n - 2)  # share of trigram positions taken by the most frequent one
        if count >= 4 and share > _TRIGRAM_SHARE:
            return HackFinding(
                DEGENERATE, f"the phrase {' '.join(gram)!r} repeats {count} times ({share:.0%} of all 3-word runs): a repetition loop"
            )
    if n >= _WINDOW:
        ttr = _windowed_ttr(words)
        if ttr < _MIN_WINDOW_TTR:
            return HackFinding(DEGENERATE, f"lexical diversity {ttr:.2f} (distinct words per 100) is far below prose: repetitive filler")
    elif n >= _SHORT_TTR_TOKENS and len(set(words)) / n < _SHORT_MIN_TTR:
        return HackFinding(DEGENERATE, f"only {len(set(words))} distinct words out of {n}: repetitive filler")
    loop = find_compression_loop(text)
    if loop is not None:
        return loop
    return _find_repeated_sentences(text)


def find_compression_loop(text: str) -> HackFinding | None:
    """`hack:degenerate` when the text (its first 400 kB) compresses far better than prose does."""
    if len(text) < _ZLIB_MIN_CHARS:
        return None
    data = text[:_MAX_ZLIB_BYTES].encode("utf-8", "surrogatepass")
    ratio = len(zlib.compress(data, 6)) / len(data)
    if ratio < _ZLIB_MIN_RATIO:
        return HackFinding(DEGENERATE, f"the text compresses to {ratio:.0%} of its size: it repeats itself")
    return None


def _find_repeated_sentences(text: str) -> HackFinding | None:
    sentences = [" ".join(content_words(s)) for s in split_sentences(text[:_MAX_ZLIB_BYTES])]
    sentences = [s for s in sentences if s.count(" ") >= 2]
    if len(sentences) < _SENTENCE_REPEATS:
        return None
    sentence, count = Counter(sentences).most_common(1)[0]
    if count >= _SENTENCE_REPEATS and (count - 1) / len(sentences) >= _SENTENCE_REPEAT_SHARE:
        return HackFinding(DEGENERATE, f"the sentence {sentence[:60]!r} is repeated {count} times: padding, not content")
    return None


def find_junk(text: str, words: Sequence[str], *, allow_symbols: bool, english: bool = True) -> HackFinding | None:
    """`hack:degenerate` for filler words, counted-out numbers, letter strings, gibberish and symbol soup.

    With `english` (no other response language was asked for), a long text must also contain
    English function words: prose, lists and tables all do (28 %+ of the words in the fixtures),
    while word salad that dodges every other measure has next to none.
    """
    if not allow_symbols:
        sample = text[:_MAX_ZLIB_BYTES]
        visible = len(sample) - sum(map(str.isspace, sample))
        if visible >= _LETTER_SHARE_MIN_CHARS:
            letters = sum(map(str.isalpha, sample))
            if letters / visible < _MIN_LETTER_SHARE:
                return HackFinding(DEGENERATE, f"only {letters / visible:.0%} of the characters are letters: not prose")
    n = len(words)
    if n < _JUNK_MIN_TOKENS:
        return None
    filler = sum(1 for w in words if w in _FILLER)
    if filler >= 3 and filler / n >= _FILLER_SHARE:
        return HackFinding(DEGENERATE, f"{filler} filler words (lorem ipsum, blah, …) pad the text")
    numbers = sum(1 for w in words if w in _NUMBER_WORDS)
    if numbers / n >= _NUMBER_WORD_SHARE:
        return HackFinding(DEGENERATE, f"{numbers} of {n} words are number words: counting, not content")
    singles = sum(1 for w in words if len(w) == 1 and w not in {"a", "i"})
    if singles / n >= _SINGLE_LETTER_SHARE:
        return HackFinding(DEGENERATE, f"{singles} of {n} words are single letters: not prose")
    ascii_words = [w for w in words if len(w) >= 3 and w.isascii()]
    if len(ascii_words) >= _JUNK_MIN_TOKENS:
        vowelless = sum(1 for w in ascii_words if not (set(w) & _VOWELS))
        if vowelless / len(ascii_words) >= _VOWELLESS_SHARE:
            return HackFinding(DEGENERATE, f"{vowelless} of {len(ascii_words)} words have no vowel: gibberish")
    if english and n >= _FUNCTION_MIN_TOKENS:
        function = sum(1 for w in words if w in _FUNCTION_WORDS)
        if function / n < _MIN_FUNCTION_SHARE:
            return HackFinding(DEGENERATE, f"only {function} of {n} words are ordinary function words (the, of, and …): word salad, not prose")
    return None


def find_degenerate(
    text: str, *, min_words: int, allow_repetition: bool, allow_symbols: bool, english: bool = True
) -> HackFinding | None:
    """The general degeneracy guards, in order: content floor, repetition, junk."""
    if min_words > 0:
        short = find_too_short(text, min_words)
        if short is not None:
            return short
    words = content_words(text)
    if not allow_repetition:
        loop = find_repetition(text, words)
        if loop is not None:
            return loop
    return find_junk(text, words, allow_symbols=allow_symbols, english=english)
