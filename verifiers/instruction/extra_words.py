"""Word-level constraints from IFBench and open-instruct (`words:*`).

No two adjacent words with the same first letter, a longest-word limit, a cap on how often any
word repeats, palindromes, alliterative runs, the same first and last word, and a keyword at a
given position of a given sentence. "Words" are alphabetic words (`alpha_words`: digits and
punctuation separate them, an inner apostrophe is kept), compared case-insensitively, so a case
transform asked for alongside never changes the verdict.

Realisations ban sentences that break a per-sentence rule (so later additions respect it), add
own pinned sentences that carry what is required, and fix the seams between pieces (the last
word of one sentence next to the first word of the next) by prefixing a connective.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import Field

from vrgym.verifiers.instruction.base import (
    ORDER_CONTENT,
    ORDER_COUNT,
    ORDER_STRUCTURE,
    ORDER_WRAP,
    Constraint,
    ConstraintCheck,
    Params,
    compare_count,
)
from vrgym.verifiers.instruction.draft import Block, ResponseDraft
from vrgym.verifiers.instruction.extra_common import (
    COMBINATION,
    END_PHRASE,
    POSTSCRIPT,
    SECTIONS,
    TITLE,
    WHOLE_RESPONSE,
    add_own_sentence,
    alpha_words,
    capitalise,
    decapitalise,
    lower_words,
    ordinal,
    own_sentences,
    replace_piece,
    required_texts,
)
from vrgym.verifiers.instruction.extra_count import min_words_required
from vrgym.verifiers.instruction.text import split_sentences

# ----------------------------------------------------------------------------- adjacent initials


def first_adjacent_clash(text: str) -> tuple[str, str] | None:
    """The first pair of adjacent alphabetic words that start with the same letter (None if none)."""
    previous = ""
    for word in alpha_words(text):
        if previous and previous[0] == word[0]:
            return previous, word
        previous = word
    return None


def _internal_clash(text: str) -> bool:
    return first_adjacent_clash(text) is not None


_CONNECTIVES: tuple[str, ...] = (
    "Also", "Indeed", "Still", "Meanwhile", "Besides", "Naturally", "Overall", "Generally", "Likewise",
    "Today", "Ultimately", "Equally", "Happily", "Rightly", "Plainly",
)


def _edge_words(piece: str) -> tuple[str, str]:
    words = alpha_words(piece)
    return (words[0], words[-1]) if words else ("", "")


def _render_order(draft: ResponseDraft) -> list[tuple[Block | None, str, int, str]]:
    """Every piece in the order `render` lays it out: (block or None, field, index, text)."""
    pieces: list[tuple[Block | None, str, int, str]] = []
    for i, line in enumerate(draft.prefix_lines):
        pieces.append((None, "prefix", i, line))
    if draft.title is not None:
        pieces.append((None, "title", 0, draft.title))
    for block in list(draft.blocks) + list(draft.second or []):
        if block.heading:
            pieces.append((None, "heading", 0, block.heading))
        pieces.extend((block, "sentences", i, s) for i, s in enumerate(block.sentences))
        pieces.extend((block, "bullets", i, b) for i, b in enumerate(block.bullets))
    for extra in (draft.answer_line, draft.postscript, draft.end_phrase):
        if extra:
            pieces.append((None, "tail", 0, extra))
    return pieces


class NoConsecutiveFirstLetter(Constraint):
    """`words:no_consecutive_first_letter` — no two adjacent words start with the same letter."""

    kind: ClassVar[str] = "words:no_consecutive_first_letter"
    family: ClassVar[str] = "words"
    realise_order = ORDER_CONTENT - 1  # first, so every sentence added later respects the ban
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION, "words:alliteration", "words:keyword_position",
        "detectable_content:number_placeholders", "count:conjunctions", "count:person_names", "format:markdown_table",
        "format:numbered_steps", "format:markdown_sections", "sentence:start_letter", "first_word:*", "last_word:*", "copy:*"}

    def evaluate(self, response: str) -> ConstraintCheck:
        clash = first_adjacent_clash(response)
        if clash is None:
            return ConstraintCheck(True, "no two adjacent words share a first letter")
        return ConstraintCheck(False, f"adjacent words {clash[0]!r} and {clash[1]!r} start with the same letter")

    def describe(self) -> list[str]:
        return [
            "No two adjacent words in your response may start with the same letter.",
            "Make sure that consecutive words never begin with the same letter.",
            "Write the reply so that each word starts with a different letter from the word right before it.",
        ]

    def clashes_with(self, other: Constraint) -> bool:
        return any(_internal_clash(t) for t in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        if _internal_clash not in draft.bans:
            draft.ban(_internal_clash)
        for _ in range(200):
            pieces = _render_order(draft)
            for (left_block, left_field, _, left), (block, field, index, right) in zip(pieces, pieces[1:]):
                last, first = _edge_words(left)[1], _edge_words(right)[0]
                if not (last and first and last[0] == first[0]):
                    continue
                if block is not None:
                    connective = next(c for c in _CONNECTIVES if c[0].lower() not in {last[0], first[0]})
                    replace_piece(draft, block, field, index, f"{connective}, {decapitalise(right)}")
                elif left_block is not None and left_field == "sentences":
                    # A fixed piece follows (an end phrase): put a bridging sentence in between.
                    if not self._bridge(draft, left_block, last, first):
                        return
                else:
                    return
                break
            else:
                return

    @staticmethod
    def _bridge(draft: ResponseDraft, block: Block, last: str, first: str) -> bool:
        for _ in range(40):
            candidate = draft.make_sentence()
            if candidate is None:
                return False
            head, tail = _edge_words(candidate)
            if head and head[0] != last[0] and tail[0] != first[0]:
                block.sentences.append(candidate)
                return True
        return False


# ----------------------------------------------------------------------------- word length and repeats


@dataclass(frozen=True)
class _LongWordBan:
    max_letters: int

    def __call__(self, text: str) -> bool:
        return any(len(w) > self.max_letters for w in alpha_words(text))


class MaxWordLengthParams(Params):
    max_letters: int = Field(ge=3, le=50, description="Longest allowed word, in letters.")


class MaxWordLength(Constraint):
    """`words:max_word_length` — no alphabetic word longer than N letters."""

    kind: ClassVar[str] = "words:max_word_length"
    family: ClassVar[str] = "words"
    Params = MaxWordLengthParams
    realise_order = ORDER_CONTENT
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {COMBINATION}

    def evaluate(self, response: str) -> ConstraintCheck:
        longest = max(alpha_words(response), key=len, default="")
        return compare_count(len(longest), "at most", self.params.max_letters, f"longest word {longest!r} has {len(longest)} letters")

    def describe(self) -> list[str]:
        n = self.params.max_letters
        return [
            f"Do not use any word longer than {n} letters.",
            f"Every word in your response must have at most {n} letters.",
            f"Keep all words short: none may exceed {n} letters.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"max_letters": rng.randint(8, 9) if edge else rng.randint(10, 14)}

    def clashes_with(self, other: Constraint) -> bool:
        return any(_LongWordBan(self.params.max_letters)(t) for t in required_texts(other))

    def realise(self, draft: ResponseDraft) -> None:
        ban = _LongWordBan(self.params.max_letters)
        if ban not in draft.bans:
            draft.ban(ban)


class WordRepeatsParams(Params):
    max_repeats: int = Field(ge=1, le=1000, description="Most times any one word may be used.")


class WordRepeats(Constraint):
    """`words:word_repeats` — no word (case-insensitive `\\w+` token) is used more than N times."""

    kind: ClassVar[str] = "words:word_repeats"
    family: ClassVar[str] = "words"
    Params = WordRepeatsParams
    realise_order = ORDER_COUNT + 5
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, "copy:repeat_phrase", "count:unique_word_count", "count:conjunctions", "format:markdown_table",
        "format:numbered_steps",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        counts = Counter(lower_words(response))
        word, n = counts.most_common(1)[0] if counts else ("", 0)
        return compare_count(n, "at most", self.params.max_repeats, f"most repeated word {word!r} is used {n} times")

    def describe(self) -> list[str]:
        n = self.params.max_repeats
        return [
            f"Do not use any single word more than {n} times in your response.",
            f"No word may appear more than {n} times (this includes short words like 'the' and 'and').",
            f"Limit every word, small words included, to at most {n} uses.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"max_repeats": rng.randint(4, 5) if edge else rng.randint(6, 10)}

    def clashes_with(self, other: Constraint) -> bool:
        if min_words_required(other) > self.params.max_repeats * 12:
            return True
        frequency = getattr(other.params, "frequency", None)
        relation = getattr(other.params, "relation", "at least")
        return isinstance(frequency, int) and relation != "less than" and frequency > self.params.max_repeats

    def realise(self, draft: ResponseDraft) -> None:
        """Drop the last unpinned sentence that uses the most repeated word, until no word is over the cap."""
        for _ in range(500):
            counts = Counter(lower_words(draft.render()))
            over = [w for w, n in counts.most_common() if n > self.params.max_repeats]
            if not over:
                return
            if not any(self._drop_sentence_with(draft, word) for word in over):
                return

    @staticmethod
    def _drop_sentence_with(draft: ResponseDraft, word: str) -> bool:
        for block in reversed(draft.blocks):
            keep = 0 if block.bullets or block.heading else 1
            if len(block.sentences) <= keep:
                continue
            for i in range(len(block.sentences) - 1, -1, -1):
                sentence = block.sentences[i]
                if sentence not in draft.pinned and word in lower_words(sentence):
                    del block.sentences[i]
                    return True
        return False


# ----------------------------------------------------------------------------- palindromes and alliteration

PALINDROMES: tuple[str, ...] = ("level", "radar", "civic", "refer", "stats", "kayak", "tenet", "rotor", "noon", "madam")
_PALINDROME_SENTENCES: dict[str, tuple[str, ...]] = {
    "level": ("Keep a level head about {t}.", "A level approach to {t} works best."),
    "radar": ("A radar for small problems helps with {t}.", "Keep {t} on your radar."),
    "civic": ("A civic spirit shapes {t} in many towns.", "Civic groups often discuss {t}."),
    "refer": ("Refer back to your notes on {t} often.", "Good guides on {t} refer to real cases."),
    "stats": ("Check the stats on {t} now and then.", "Simple stats show how {t} is going."),
    "kayak": ("A kayak trip is a fine break from {t}.", "Even a kayak club can learn from {t}."),
    "tenet": ("One core tenet of {t} is patience.", "A basic tenet of {t} is to start small."),
    "rotor": ("Like a rotor, {t} keeps turning with steady effort.", "A spinning rotor is a good picture of {t} in motion."),
    "noon": ("A noon check on {t} fits most days.", "By noon most people can make progress with {t}."),
    "madam": ("As one madam at the market said, {t} takes care.", "A shop madam once shared advice on {t}."),
}


def palindromes_in(text: str, min_letters: int) -> set[str]:
    """Distinct alphabetic words of at least `min_letters` letters that read the same backwards."""
    return {w for w in alpha_words(text) if len(w) >= min_letters and w == w[::-1]}


class PalindromesParams(Params):
    num_palindromes: int = Field(ge=1, le=50, description="Least number of different palindromic words.")
    min_letters: int = Field(ge=3, le=10, description="Shortest palindrome that counts, in letters.")


class Palindromes(Constraint):
    """`words:palindromes` — at least N different palindromic words ("level", "radar") of at least L letters."""

    kind: ClassVar[str] = "words:palindromes"
    family: ClassVar[str] = "words"
    Params = PalindromesParams
    realise_order = ORDER_CONTENT + 3
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE

    def evaluate(self, response: str) -> ConstraintCheck:
        found = sorted(palindromes_in(response, self.params.min_letters))
        n = self.params.num_palindromes
        return compare_count(len(found), "at least", n, f"{len(found)} different palindromes of {self.params.min_letters}+ letters ({', '.join(found) or 'none'})")

    def describe(self) -> list[str]:
        n, k = self.params.num_palindromes, self.params.min_letters
        what = "a palindrome" if n == 1 else f"{n} different palindromes"
        return [
            f"Include at least {what} (words of {k} or more letters that read the same backwards, like 'level').",
            f"Your response must use {n} or more distinct palindromic words with at least {k} letters each.",
            f"Work {what} of at least {k} letters (e.g. 'radar', 'civic') into the answer.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_palindromes": 6 if edge else rng.randint(1, 3), "min_letters": 5 if edge else rng.choice([4, 5])}

    def realise(self, draft: ResponseDraft) -> None:
        words = [w for w in PALINDROMES if len(w) >= self.params.min_letters]
        block = 0
        for word in words:
            if self.check(draft.render()).ok:
                return
            if word in palindromes_in(draft.render(), self.params.min_letters):
                continue
            if add_own_sentence(draft, own_sentences(draft, _PALINDROME_SENTENCES[word]), block=block % len(draft.blocks)):
                block += 1


def alliterative_runs(text: str, min_run: int = 3) -> int:
    """Number of maximal runs of `min_run`+ adjacent alphabetic words that start with the same letter."""
    runs, length, previous = 0, 0, ""
    for word in alpha_words(text):
        length = length + 1 if previous and previous[0] == word[0] else 1
        if length == min_run:
            runs += 1
        previous = word
    return runs


_ALLITERATIONS: tuple[str, ...] = (
    "With {t}, small steady steps beat rushing.",
    "Patient planning pays off with {t}.",
    "Careful, consistent choices make {t} easier.",
    "Good, gradual gains are typical of {t}.",
    "Many modest moves improve {t}.",
    "Fresh, focused feedback helps with {t}.",
    "Bold but balanced beginnings suit {t}.",
    "Regular, relaxed reviews keep {t} on track.",
)


class AlliterationParams(Params):
    num_runs: int = Field(ge=1, le=50, description="Least number of alliterative runs (3+ adjacent words, same first letter).")


class Alliteration(Constraint):
    """`words:alliteration` — at least N alliterative runs: 3 or more adjacent words starting with the same letter."""

    kind: ClassVar[str] = "words:alliteration"
    family: ClassVar[str] = "words"
    Params = AlliterationParams
    realise_order = ORDER_CONTENT + 3
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {"words:no_consecutive_first_letter"}

    def evaluate(self, response: str) -> ConstraintCheck:
        n = alliterative_runs(response)
        return compare_count(n, "at least", self.params.num_runs, f"{n} alliterative runs of 3+ words")

    def describe(self) -> list[str]:
        n = self.params.num_runs
        return [
            f"Include at least {n} alliterations: runs of three or more adjacent words starting with the same letter (like 'patient planning pays').",
            f"Use {n} or more alliterative phrases, each made of at least three consecutive words that begin with the same letter.",
            f"Your response needs no fewer than {n} spots where three or more words in a row share their first letter.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        return {"num_runs": 6 if edge else rng.randint(1, 3)}

    def realise(self, draft: ResponseDraft) -> None:
        block = 0
        while alliterative_runs(draft.render()) < self.params.num_runs:
            candidates = (s for s in own_sentences(draft, _ALLITERATIONS) if alliterative_runs(s) >= 1)
            if add_own_sentence(draft, candidates, block=block % len(draft.blocks)) is None:
                return
            block += 1


# ----------------------------------------------------------------------------- positions

_OPENINGS: tuple[str, ...] = ("{W} is at the heart of this answer.", "{W} deserves a clear and practical look.", "{W} comes first in this reply.")
_CLOSINGS: tuple[str, ...] = ("In short, it all comes back to {w}.", "Every point above leads back to {w}.", "That is the story of {w}.")


class StartEndSame(Constraint):
    """`words:start_end_same` — the response starts and ends with the same word (case-insensitive)."""

    kind: ClassVar[str] = "words:start_end_same"
    family: ClassVar[str] = "words"
    realise_order = ORDER_WRAP - 5
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, TITLE, SECTIONS, POSTSCRIPT, END_PHRASE, "first_word:*", "last_word:*",
        "format:numbered_steps", "format:markdown_table", "format:markdown_sections", "format:answer_template",
        "length_constraints:nth_paragraph_first_word", "words:keyword_position", "sentence:start_letter",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        words = lower_words(response)
        ok = bool(words) and words[0] == words[-1]
        first, last = (words[0], words[-1]) if words else ("", "")
        return ConstraintCheck(ok, f"starts with {first!r} and ends with {last!r}; required the same word")

    def describe(self) -> list[str]:
        return [
            "Start and end your response with the same word.",
            "The first word and the last word of your answer must be identical.",
            "Make your reply begin and finish with one and the same word.",
        ]

    def realise(self, draft: ResponseDraft) -> None:
        if self.check(draft.render()).ok:
            return
        terms = [t for t in draft.topic_terms if len(t.split()) == 1 and t.isalpha()] or ["everything"]
        for term in terms:
            opening = add_own_sentence(draft, (capitalise(o.format(W=capitalise(term))) for o in _OPENINGS), block=0, index=0)
            if opening is None:
                continue
            last = draft.blocks[-1]
            closings = [c.format(w=term) for c in _CLOSINGS]
            if last.bullets:
                closing = next((c for c in closings if draft.allowed(c)), None)
                if closing is not None:
                    replace_piece(draft, last, "bullets", len(last.bullets) - 1, f"{last.bullets[-1].rstrip('.')}; {decapitalise(closing)}")
            else:
                add_own_sentence(draft, closings, block=-1)
            if self.check(draft.render()).ok:
                return


_POSITION_LEADS: dict[int, tuple[str, ...]] = {
    1: ("{W} matters a great deal for {t}.", "{W} shapes how {t} turns out."),
    2: ("Real {w} matters a great deal for {t}.", "Steady {w} shapes how {t} turns out."),
    3: ("In practice, {w} matters a great deal for {t}.", "Over time, {w} shapes how {t} turns out."),
    4: ("For most people, {w} matters a great deal for {t}.", "As anyone knows, {w} shapes how {t} turns out."),
    5: ("Over the long run, {w} matters a great deal for {t}.", "In almost every case, {w} shapes how {t} turns out."),
}
_POSITION_KEYWORDS = ("balance", "patience", "practice", "clarity", "routine", "effort", "planning", "timing")


class KeywordPositionParams(Params):
    keyword: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z]+$", description="The keyword.")
    sentence_index: int = Field(ge=1, le=50, description="Which sentence (1-based) holds it.")
    word_index: int = Field(ge=1, le=50, description="Which word (1-based) of that sentence it must be.")


class KeywordPosition(Constraint):
    """`words:keyword_position` — a keyword is the m-th word of the n-th sentence."""

    kind: ClassVar[str] = "words:keyword_position"
    family: ClassVar[str] = "words"
    Params = KeywordPositionParams
    realise_order = ORDER_STRUCTURE + 8
    conflicts: ClassVar[frozenset[str]] = WHOLE_RESPONSE | {
        COMBINATION, TITLE, SECTIONS, "format:numbered_steps", "format:markdown_table", "format:markdown_sections",
        "format:answer_template", "sentence:start_letter", "first_word:*", "count:question_marks", "words:start_end_same",
    }

    def evaluate(self, response: str) -> ConstraintCheck:
        p = self.params
        sentences = split_sentences(response)
        if len(sentences) < p.sentence_index:
            return ConstraintCheck(False, f"{len(sentences)} sentences; sentence {p.sentence_index} does not exist")
        words = alpha_words(sentences[p.sentence_index - 1])
        if len(words) < p.word_index:
            return ConstraintCheck(False, f"sentence {p.sentence_index} has {len(words)} words; word {p.word_index} does not exist")
        word = words[p.word_index - 1]
        return ConstraintCheck(word == p.keyword.lower(), f"word {p.word_index} of sentence {p.sentence_index} is {word!r}; required {p.keyword.lower()!r}")

    def describe(self) -> list[str]:
        p = self.params
        w, s = ordinal(p.word_index), ordinal(p.sentence_index)
        return [
            f"Make the word \"{p.keyword}\" the {w} word of the {s} sentence of your response.",
            f"In your answer, the {s} sentence must have \"{p.keyword}\" as its {w} word.",
            f"Place the keyword '{p.keyword}' exactly at word position {p.word_index} in sentence number {p.sentence_index}.",
        ]

    @classmethod
    def sample_params(cls, rng: random.Random, *, edge: bool = False) -> dict[str, Any]:
        keyword = rng.choice(_POSITION_KEYWORDS)
        if edge:
            return {"keyword": keyword, "sentence_index": rng.choice([1, 4]), "word_index": rng.choice([1, 5])}
        return {"keyword": keyword, "sentence_index": rng.randint(1, 4), "word_index": rng.randint(1, 5)}

    def clashes_with(self, other: Constraint) -> bool:
        words = {w.lower() for w in getattr(other.params, "forbidden_words", None) or []}
        return self.params.keyword.lower() in words or (
            other.kind == "length_constraints:nth_paragraph_first_word" and other.params.nth_paragraph == 1
        )

    def realise(self, draft: ResponseDraft) -> None:
        if self.check(draft.render()).ok:
            return
        p = self.params
        first = draft.blocks[0].sentences
        while len(first) < p.sentence_index - 1:
            extra = draft.make_sentence()
            if extra is None:
                return
            first.append(extra)
        leads = _POSITION_LEADS.get(p.word_index, ())
        candidates = own_sentences(draft, leads, w=p.keyword.lower(), W=capitalise(p.keyword.lower()))
        add_own_sentence(draft, candidates, block=0, index=p.sentence_index - 1)
