"""`ResponseDraft`: the structured response that reference builders edit, then render to text.

A reference response for an instruction-following problem must satisfy every attached constraint
*and* still address the base task. Writing text that happens to pass is brittle; instead the
template starts a draft from the base task's own sentences, each constraint's `realise` edits the
draft (adds a keyword sentence, splits blocks into sections, sets a case transform, wraps in
quotes…), and `render()` produces the final string. Edits compose because they act on structure,
not on rendered text, and run in `realise_order` (content, counts, structure, form, wrapping).

Rendering layout (every part optional except the blocks)::

    prefix lines                      (e.g. the repeated prompt)
    <<title>>
    block 1: heading / prose sentences / bullet lines
    <paragraph_separator>
    block 2 …
    [****** second response, for two_responses]
    answer line, postscript, end phrase
    → text filters (e.g. comma removal) → case transform → wrappers (quotes, JSON) in order

Extra material — when a length constraint needs more words, or a keyword needs a sentence — comes
from `spare` (more on-topic sentences supplied by the template) and then from `make_sentence`,
which builds varied on-topic sentences around the base task's `topic_terms`. Both respect `bans`
(predicates that reject a sentence, e.g. one containing a forbidden word), and `pinned` sentences
(those that carry a required keyword) are never removed when a draft is shortened.

Topic anchors (`anchor_topic`): a reference must address its base task whatever constraints
apply, so the template pins a few sentences that together use at least two of the task's terms
(matched like the hack-check's relevance floor). Shortening and rewriting keep them like any
pinned sentence; a ban may remove one (a forbidden word, a sentence-length cap), and then
`ensure_topic` immediately adds an allowed replacement that carries the missing terms. Edits that
replace a sentence's text move its pin and anchor with `repin`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from vrgym.verifiers.instruction.base import Constraint, ConstraintCheck

Ban = Callable[[str], bool]
"""A predicate that returns True when a piece of text must not appear in the response."""

_FILLER_TEMPLATES: tuple[str, ...] = (
    "A clear look at {t} starts with the basic idea behind it.",
    "The details of {t} matter more than they might first appear.",
    "Anyone dealing with {t} benefits from a simple and steady plan.",
    "It helps to look at {t} from more than one angle.",
    "Small choices about {t} can add up over time.",
    "Concrete examples make {t} much easier to understand.",
    "The main goal with {t} is to stay practical and useful.",
    "Good habits around {t} save effort later on.",
    "People often underestimate how much {t} shapes the outcome.",
    "Thinking about {t} in everyday terms keeps the point grounded.",
    "Careful planning around {t} usually pays off.",
    "Questions about {t} deserve direct and honest answers.",
    "Most problems with {t} begin with a missed detail.",
    "Sharing what works for {t} helps everyone involved.",
    "Each step involving {t} should have a clear purpose.",
    "Patience makes a real difference when handling {t}.",
    "Reliable information about {t} leads to better decisions.",
    "Trying one change to {t} at a time shows what actually helps.",
    "Some mistakes with {t} are easy to avoid once they are named.",
    "Regular checks on {t} catch small issues before they grow.",
    "Budget and time both shape what is possible with {t}.",
    "Feedback from others can sharpen any plan for {t}.",
    "Writing down the facts about {t} makes them easier to compare.",
    "Simple tools are often enough to manage {t} well.",
    "Over time the benefits of attention to {t} become obvious.",
    "Starting early with {t} removes a lot of pressure.",
    "Clear priorities turn {t} into a manageable task.",
    "Every situation involving {t} has its own constraints.",
    "Local conditions can change how {t} plays out.",
    "Good communication about {t} prevents misunderstandings.",
)
_KEYWORD_TEMPLATES: tuple[str, ...] = (
    "When it comes to {t}, {w} is worth keeping in mind.",
    "The role of {w} in {t} is easy to overlook.",
    "Any honest account of {t} mentions {w} at some point.",
    "Thinking about {w} makes the picture of {t} more complete.",
    "Many people link {t} with {w} for good reason.",
    "A short note on {w} rounds out the discussion of {t}.",
    "Here {w} connects naturally to {t}.",
    "The link between {w} and {t} deserves attention.",
)
_ANCHOR_TEMPLATES: tuple[str, ...] = (
    "{T} matters here.",
    "{T} is the heart of it.",
    "Start with {t}.",
    "Think about {t} first.",
    "{T} deserves care.",
    "Keep {t} in view.",
    "{T} comes next.",
    "Plan for {t} early.",
)
"""Short topic sentences for `ensure_topic`: short enough for tight sentence-length caps."""
_GENERIC_TERMS: tuple[str, ...] = ("this topic", "the task at hand", "the subject", "the situation", "the request")
_MAX_RESPONSES = 2


@dataclass
class Block:
    """One paragraph or section: an optional heading line, prose sentences, then bullet items."""

    sentences: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    heading: str | None = None

    def is_empty(self) -> bool:
        """Whether the block has nothing to render (no heading, sentence or bullet)."""
        return not (self.sentences or self.bullets or self.heading)


class ResponseDraft:
    """A structured response that constraints edit (`Constraint.realise`) and `render` turns into text."""

    def __init__(
        self,
        topic_terms: Sequence[str],
        paragraphs: Iterable[Sequence[str]] = (),
        *,
        spare: Iterable[str] = (),
        title: str | None = None,
        title_hint: str | None = None,
    ) -> None:
        terms = [t.strip() for t in topic_terms if t and t.strip()]
        self.topic_terms: list[str] = terms
        self.blocks: list[Block] = [Block(list(p)) for p in paragraphs if p]
        if not self.blocks:
            self.blocks = [Block()]
        self.spare: list[str] = list(spare)
        self.title: str | None = title
        self.title_hint: str = title_hint or (" ".join(w.capitalize() for w in (terms[0].split() if terms else ["Overview"])))
        self.title_format: str = "<<{}>>"
        self.paragraph_separator: str = "\n\n"
        self.fixed_paragraphs: bool = False
        self.bullet_marker: str = "* "
        self.prefix_lines: list[str] = []
        self.answer_line: str | None = None
        self.postscript: str | None = None
        self.end_phrase: str | None = None
        self.second: list[Block] | None = None
        self.response_separator: str = "******"
        self.text_filters: list[Callable[[str], str]] = []
        self.case: str | None = None
        self.wrappers: list[Callable[[str], str]] = []
        self.language: str = "en"
        self.filler: Callable[[ResponseDraft, str | None, int], str] | None = None
        self.bans: list[Ban] = []
        self.pinned: set[str] = set()
        self.anchors: set[str] = set()
        self.topic_floor: int = 0
        self.source: tuple[str, ...] = tuple(s for b in self.blocks for s in b.sentences) + tuple(self.spare)
        """Every on-topic sentence the template supplied (content and spare), for keyword carriers."""
        self.notes: dict[str, object] = {}
        self._made = 0
        self._used: set[str] = set(s for b in self.blocks for s in b.sentences) | set(self.spare)

    # ------------------------------------------------------------------ rendering

    def render(self) -> str:
        """The response text: layout, then text filters, case transform and wrappers (module docstring)."""
        glue = "\n" if self.fixed_paragraphs else "\n\n"
        body = self._render_blocks(self.blocks)
        if self.second is not None:
            body = f"{body}\n{self.response_separator}\n{self._render_blocks(self.second)}"
        head: list[str] = list(self.prefix_lines)
        if self.title is not None:
            head.append(self.title_format.format(self.title))
        text = "\n".join(head + [body]) if head else body
        tail: list[str] = []
        if self.answer_line:
            tail.append(self.answer_line)
        if self.postscript:
            tail.append(f"{self.postscript} {self.end_phrase}" if self.end_phrase else self.postscript)
        elif self.end_phrase:
            tail.append(self.end_phrase)
        if tail:
            text = text + glue + "\n".join(tail)
        for text_filter in self.text_filters:
            text = text_filter(text)
        if self.case == "upper":
            text = text.upper()
        elif self.case == "lower":
            text = text.lower()
        for wrapper in self.wrappers:
            text = wrapper(text)
        return text

    def _render_blocks(self, blocks: Sequence[Block]) -> str:
        rendered = []
        for block in blocks:
            lines: list[str] = []
            if block.heading:
                lines.append(block.heading)
            if block.sentences:
                lines.append(" ".join(block.sentences))
            lines.extend(f"{self.bullet_marker}{item}" for item in block.bullets)
            if lines:
                rendered.append("\n".join(lines))
        return self.paragraph_separator.join(rendered)

    def check(self, constraint: Constraint) -> ConstraintCheck:
        """`constraint.check(self.render())`: does the draft currently pass?"""
        return constraint.check(self.render())

    def copy(self) -> ResponseDraft:
        """An independent deep copy (to try an edit and keep the original)."""
        return copy.deepcopy(self)

    # ------------------------------------------------------------------ reading

    def sentences(self) -> Iterator[str]:
        """Every prose sentence of the main response, block by block."""
        for block in self.blocks:
            yield from block.sentences

    def text_pieces(self) -> Iterator[str]:
        """Every piece of text the response renders (title, headings, sentences, bullets, tail)."""
        yield from self.prefix_lines
        if self.title is not None:
            yield self.title
        for blocks in (self.blocks, self.second or []):
            for block in blocks:
                if block.heading:
                    yield block.heading
                yield from block.sentences
                yield from block.bullets
        for extra in (self.answer_line, self.postscript, self.end_phrase):
            if extra:
                yield extra

    def allowed(self, text: str) -> bool:
        """Whether `text` passes every ban."""
        return not any(ban(text) for ban in self.bans)

    # ------------------------------------------------------------------ adding material

    def make_sentence(self, include: str | None = None) -> str | None:
        """A new on-topic sentence (optionally containing `include`) that passes every ban.

        Spare sentences of the base task come first (when nothing must be included); then
        sentences built around the topic terms, each used once. None when nothing allowed is left.
        """
        if include is None:
            while self.spare:
                candidate = self.spare.pop(0)
                if self.allowed(candidate):
                    self._used.add(candidate)
                    return candidate
        else:
            carrier = self._source_carrier(include)
            if carrier is not None:
                self._used.add(carrier)
                self.spare = [s for s in self.spare if s != carrier]
                return carrier
        terms = self.topic_terms or list(_GENERIC_TERMS)
        templates = _KEYWORD_TEMPLATES if include is not None else _FILLER_TEMPLATES
        attempts = len(templates) * (len(terms) + len(_GENERIC_TERMS))
        for _ in range(attempts):
            index = self._made
            self._made += 1
            if self.filler is not None:
                candidate = self.filler(self, include, index)
            else:
                pool = terms if index // len(templates) < len(terms) else list(_GENERIC_TERMS)
                term = pool[(index // len(templates)) % len(pool)]
                template = templates[(index * 7 + index // len(templates)) % len(templates)]
                candidate = template.format(t=term, w=include or "")
                candidate = candidate[0].upper() + candidate[1:]
            if candidate and candidate not in self._used and self.allowed(candidate):
                self._used.add(candidate)
                return candidate
        return None

    def _source_carrier(self, include: str) -> str | None:
        """The shortest of the task's own sentences that holds `include` as a word, is not in the
        response yet and passes every ban (a keyword then reads naturally, in the task's words)."""
        pattern = re.compile(r"(?<![^\W_])" + re.escape(include) + r"(?![^\W_])", re.IGNORECASE)
        return self.source_sentence(lambda s: bool(pattern.search(s)), key=len)

    def source_sentence(self, wanted: Callable[[str], bool], *, key: Callable[[str], float] = len) -> str | None:
        """The task's own sentence (content or spare) that is not in the response yet, passes every
        ban and `wanted`, with the smallest `key` (None if there is none). It is not added."""
        present = set(self.text_pieces())
        fits = [s for s in self.source if s not in present and wanted(s) and self.allowed(s)]
        return min(fits, key=key) if fits else None

    def add_sentence(self, include: str | None = None, *, block: int = -1, pin: bool = False) -> str | None:
        """Append a new sentence (see `make_sentence`) to a block; returns it, or None if none is left."""
        sentence = self.make_sentence(include)
        if sentence is None:
            return None
        self.blocks[block].sentences.append(sentence)
        if pin:
            self.pinned.add(sentence)
        return sentence

    def grow(self, until: Callable[[str], bool], *, limit: int = 2000) -> bool:
        """Add sentences (spread over the blocks) until `until(render())` holds; False if it never does."""
        for step in range(limit):
            if until(self.render()):
                return True
            target = step % len(self.blocks) if not self.fixed_paragraphs else step % len(self.blocks)
            if self.add_sentence(block=target) is None:
                return until(self.render())
        return until(self.render())

    def shrink(self, until: Callable[[str], bool]) -> bool:
        """Drop unpinned sentences from the end until `until(render())` holds (each block keeps one)."""
        while not until(self.render()):
            if not self._drop_one():
                return False
        return True

    def _drop_one(self) -> bool:
        for block in reversed(self.blocks):
            # A block keeps one sentence unless it carries other content (bullets, or lines such as a
            # table riding on its heading): a bare "Section 3" heading over nothing is a stub.
            keep = 0 if block.bullets or (block.heading and "\n" in block.heading) else 1
            for i in range(len(block.sentences) - 1, -1, -1):
                if len(block.sentences) > keep and block.sentences[i] not in self.pinned:
                    del block.sentences[i]
                    return True
        return False

    # ------------------------------------------------------------------ removing material

    def ban(self, predicate: Ban) -> None:
        """Forbid text matching `predicate` from now on, and remove what already matches.

        Unpinned sentences and bullets that match are dropped and spare sentences filtered; a
        matching title is replaced by an allowed one built from the topic terms. Pinned text is
        left alone: a constraint that pins a sentence conflicts with a ban on it.
        """
        self.bans.append(predicate)
        self.spare = [s for s in self.spare if not predicate(s)]
        dropped = {s for s in self.anchors if predicate(s)}
        self.anchors -= dropped
        self.pinned -= dropped
        for blocks in (self.blocks, self.second or []):
            for block in blocks:
                block.sentences = [s for s in block.sentences if s in self.pinned or not predicate(s)]
                block.bullets = [b for b in block.bullets if b in self.pinned or not predicate(b)]
        if self.title is not None and predicate(self.title):
            self.title = self.safe_title()
        if predicate(self.title_hint):
            self.title_hint = self.safe_title() or "Overview"
        for block in self.blocks:
            if not block.sentences and not block.bullets:
                self.add_sentence(block=self.blocks.index(block))
        self.ensure_topic()

    # ------------------------------------------------------------------ topic anchors

    def repin(self, old: str, new: str) -> None:
        """`old` was rewritten as `new`: the new text keeps the old one's pin and topic anchor."""
        if old in self.pinned:
            self.pinned.add(new)
        if old in self.anchors:
            self.anchors.add(new)

    def anchor_topic(self, min_terms: int = 2) -> bool:
        """Keep at least `min_terms` of the topic terms in the response from now on (see the module
        docstring); True when the draft meets it."""
        self.topic_floor = min(min_terms, len(self.topic_terms))
        return self.ensure_topic()

    def covered_terms(self, pieces: Iterable[str]) -> list[str]:
        """The topic terms that `pieces` use, matched like the hack-check's relevance floor."""
        from vrgym.verifiers.instruction.hack_relevance import matched_terms

        return matched_terms(" ".join(pieces), self.topic_terms)

    def ensure_topic(self) -> bool:
        """Anchor sentences until the anchors use `topic_floor` topic terms: first the draft's own
        sentences (fewest words per new term), then the task's unused sentences, then short
        sentences built around a missing term. False when nothing allowed is left."""
        if self.topic_floor <= 0:
            return True
        present = [s for b in self.blocks for s in b.sentences]
        self.anchors &= set(present)
        covered = set(self.covered_terms(self.anchors))
        while len(covered) < self.topic_floor:
            best: tuple[float, str] | None = None
            for sentence in present:
                if sentence in self.anchors:
                    continue
                gain = len(set(self.covered_terms([sentence])) - covered)
                if gain and (best is None or len(sentence) / gain < best[0]):
                    best = (len(sentence) / gain, sentence)
            if best is None:
                added = self._add_anchor(covered)
                if added is None:
                    return False
                present.append(added)
                best = (0.0, added)
            self.anchors.add(best[1])
            self.pinned.add(best[1])
            covered |= set(self.covered_terms([best[1]]))
        return True

    def _add_anchor(self, covered: set[str]) -> str | None:
        missing = [t for t in self.topic_terms if t not in covered]
        in_text = set(self.text_pieces())
        own = sorted((s for s in self.source if s not in in_text and self.allowed(s)
                      and set(self.covered_terms([s])) - covered), key=len)
        built = (
            template.format(t=term, T=term[:1].upper() + term[1:])
            for index, term in enumerate(missing)
            for template in _ANCHOR_TEMPLATES[index % len(_ANCHOR_TEMPLATES):] + _ANCHOR_TEMPLATES[: index % len(_ANCHOR_TEMPLATES)]
        )
        for candidate in (*own, *built):
            if candidate not in in_text and self.allowed(candidate):
                self._used.add(candidate)
                self.blocks[0].sentences.append(candidate)
                return candidate
        return None

    def safe_title(self) -> str | None:
        """A short title from the topic terms that passes every ban (None if there is none)."""
        candidates = [self.title_hint] + [f"Notes on {t}" for t in self.topic_terms] + ["A Short Overview", "Key Points", "Overview"]
        for candidate in candidates:
            if candidate and self.allowed(candidate):
                return candidate
        return None

    # ------------------------------------------------------------------ structure

    def set_block_count(self, count: int) -> bool:
        """Regroup the prose into exactly `count` blocks (merging or splitting, adding sentences if short)."""
        if count < 1:
            return False
        sentences = [s for b in self.blocks for s in b.sentences]
        bullets = [x for b in self.blocks for x in b.bullets]
        while len(sentences) < count:
            extra = self.make_sentence()
            if extra is None:
                return False
            sentences.append(extra)
        size, remainder = divmod(len(sentences), count)
        blocks: list[Block] = []
        start = 0
        for i in range(count):
            end = start + size + (1 if i < remainder else 0)
            blocks.append(Block(sentences[start:end]))
            start = end
        old_headings = [b.heading for b in self.blocks]
        for block, heading in zip(blocks, old_headings):
            block.heading = heading
        blocks[-1].bullets = bullets
        self.blocks = blocks
        return True

    def make_second_response(self) -> None:
        """Add a distinct second response (two_responses): the same material reordered, plus one new sentence."""
        second = [Block(list(reversed(b.sentences)), list(b.bullets), b.heading) for b in self.blocks]
        extra = self.make_sentence()
        if extra is not None:
            second[0].sentences.insert(0, extra)
        self.second = second
