"""Sentence-level grounding: is every factual claim in a response supported by the document's facts?

`find_unsupported(text, base)` judges each sentence on its own and returns the first sentence
with a claim the facts do not support, with the reason. Per sentence:

* **scope** — the entities the sentence names (full names or distinctive name words). A value
  must belong to one of them; when the sentence also uses a definite description ("the company
  Mara Quell works for was founded in 1987", "Velto's supplier"), their neighbours through the
  relations the sentence names count too ("Velto Systems was founded in 1989" may not borrow
  its supplier's year); a sentence that names no entity ("It was founded in 1987.") may speak
  about any entity.
* **quantities** — value and unit dimension must equal a quantity fact in scope (3500 g matches
  3.5 kg), or a number the question asks to derive (a sum, a difference). Unitless integers up to
  10 are counting words ("the 2 companies"), not claims.
* **dates and years** — a full or partial date must agree with a date fact in scope on every
  part it states; a bare year may also be a unitless quantity fact.
* **names** — every run of capitalised words must occur in the document or the question; an
  invented person or company is unsupported. A lone sentence-initial capital gets the benefit of
  the doubt ("Summing the two …"), and so does an initial -ing/-ly/-ed word before a known name.
* **relations** — between two consecutive entity mentions, a relation phrasing ("works for",
  "is led by", …) claims that relation; the document must state it (a negated claim must not
  contradict it). Coordinated verb phrases and appositives ("Velto Labs is based in Brask and
  makes the Orin Pro"; "Mara Quell, who works for Velto, reports to Ivo Sarn") also try the
  sentence's first entity as the subject.
* **roles** — a role phrase ("chief engineer") must be held by the sentence's first entity or
  the entity named just before it ("Ivo Sarn, the chief engineer, …" claims Ivo Sarn's role).
* **absent entities** — a sentence that gives a value next to an entity the question mentions
  but the document does not, or (unless negated) a role or relation for it, is unsupported.

Hedges and pure reasoning sentences carry no claims and pass. Everything is regex scanning and
set lookups: linear in the response, with per-call caches for repeated name runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from vrgym.verifiers.faithfulness.claims import Claims, extract_claims, sentences
from vrgym.verifiers.faithfulness.comparisons import comparison_problem
from vrgym.verifiers.faithfulness.events import event_cues, governing_event, relative_dates
from vrgym.verifiers.faithfulness.facts import FactBase
from vrgym.verifiers.faithfulness.possessives import possessive_problem
from vrgym.verifiers.faithfulness.lazy import LazyPattern
from vrgym.verifiers.faithfulness.relations import DESCRIPTION, NEGATION, RELATIONS, SPLIT
from vrgym.verifiers.faithfulness.values import DateValue, Quantity

MAX_BETWEEN = 80
"""Longest text between two entity mentions read as one relation claim (longer: no binding)."""
SMALL_COUNT = 10
_NOT_NAME_ENDINGS = ("ing", "ly", "ed")
_FILLER = LazyPattern(r"(?:\s+|[,\"'(]|\b(?:the|a|an|its|their|his|her|by|of|to|for|at|in|from|with|both|either)\b)*", re.IGNORECASE)
_CONJUNCTION = LazyPattern(r"\s*(?:\([^()]{0,40}\)\s*)?,?\s*(?:and|or|&|as\s+well\s+as|,)\s+(?:also\s+)?(?:the\s+)?", re.IGNORECASE)
MAX_CHARS = 200_000
"""Longer texts are not checked sentence by sentence: they are reported unsupported (never a lucky pass)."""


@dataclass(frozen=True)
class Unsupported:
    """The first sentence with an unsupported claim, and what the claim was."""

    sentence: str
    claim: str

    def describe(self) -> str:
        shown = self.sentence if len(self.sentence) <= 300 else self.sentence[:297] + "…"
        return f"unsupported claim ({self.claim}) in the sentence: {shown!r}"


def find_unsupported(text: str, base: FactBase, *, max_chars: int = MAX_CHARS) -> Unsupported | None:
    """The first sentence of `text` with a claim `base` does not support, or None if all are grounded.

    Texts over `max_chars` are not read (a bounded cost on any input) and count as unsupported.
    Repeated sentences are judged once.
    """
    if len(text) > max_chars:
        return Unsupported(text[:200], f"the text has {len(text)} characters, over the {max_chars} that are checked")
    name_cache: dict[str, bool] = {}
    seen: set[tuple[str, tuple[str, ...]]] = set()
    previous: tuple[str, ...] = ()
    for sentence in sentences(text):
        key = (sentence, previous)  # the same words after another sentence may point elsewhere
        mentions = resolve_pronouns(sentence, base, previous)
        named = tuple(dict.fromkeys(n for _, _, names in mentions for n in names))
        if key not in seen:
            seen.add(key)
            problem = check_sentence(sentence, base, name_cache, mentions, previous)
            if problem is not None:
                return Unsupported(sentence, problem)
        previous = named or previous
    return None


Mention = tuple[int, int, tuple[str, ...]]
"""(start, end, the entities it may name): one for a name, the compatible antecedents for a pronoun."""

_PRONOUN = LazyPattern(r"\b(?:(he|she|him|his|hers?)|(it|its)|(they|them|their))\b", re.IGNORECASE)
_PERSON_TYPES = frozenset({"person"})
_POSSESSIVE_PRONOUNS = frozenset({"his", "her", "its", "their"})
_COPULA = LazyPattern(r"\s*(?:,|\(|(?:is|was|are|were)(?:\s+also)?)\s*", re.IGNORECASE)


def _fitting(match: re.Match[str], pool: list[str], base: FactBase) -> list[str]:
    """The entities of `pool` a pronoun may stand for: people for he/she, non-people for it, any for they."""
    if match.group(1):
        return [n for n in pool if base.entities.get(n) in _PERSON_TYPES]
    if match.group(2):
        return [n for n in pool if n in base.entities and base.entities[n] not in _PERSON_TYPES]
    return [n for n in pool if n in base.entities]


def resolve_pronouns(sentence: str, base: FactBase, previous: tuple[str, ...]) -> list[Mention]:
    """The sentence's entity mentions, with each pronoun standing for the entities it may refer to.

    Without this, "Mara Quell founded Velto. She also founded Ostrik." or "It was founded in 1990."
    make claims about nobody, and a policy could say anything through a pronoun. A person pronoun
    (he, she, his, her) may name any person, "it"/"its" any non-person, and "they"/"their" anything,
    among the entities named earlier in the same sentence, or else (when none of those fits) in
    the previous sentence that named any. A possessive pronoun right after a copula or a comma
    does not stand for the entity just before it ("Mol Tromil is his sister"). All candidates
    are kept (no guessing which one is meant): a claim through the pronoun is supported if it
    holds for one of them. A pronoun with no candidate names nothing.
    """
    named = [(start, end, (name,)) for start, end, name in base.mentions(sentence)]
    if not _PRONOUN.search(sentence):
        return named
    found: list[Mention] = list(named)
    for match in _PRONOUN.finditer(sentence):
        if any(start <= match.start() < end for start, end, _ in named):
            continue  # part of a name ("Them Fouther" is a person, not a pronoun)
        earlier = sorted((end, names) for start, end, names in found if start < match.start())
        if match.group().lower() in _POSSESSIVE_PRONOUNS and earlier and _COPULA.fullmatch(sentence, earlier[-1][0], match.start()):
            earlier = earlier[:-1]  # "Mol Tromil is his sister": his is not Mol Tromil
        before = [n for _, names in earlier for n in names]
        candidates = _fitting(match, before, base) or _fitting(match, list(previous), base)
        if candidates:
            found.append((match.start(), match.end(), tuple(dict.fromkeys(candidates))))
    found.sort()
    return found


def check_sentence(
    sentence: str,
    base: FactBase,
    name_cache: dict[str, bool] | None = None,
    resolved: list[Mention] | None = None,
    previous: tuple[str, ...] = (),
) -> str | None:
    """What is unsupported in one sentence (a short description), or None.

    `resolved` are its mentions with pronouns resolved (`resolve_pronouns`); without them, only
    the names it writes count. `previous` are the entities the previous sentence named.
    """
    claims = extract_claims(sentence)
    resolved = resolved if resolved is not None else resolve_pronouns(sentence, base, previous)
    mentions = resolved
    stated = [(start, claims.dates[i] if kind == "date" else DateValue(claims.years[i])) for start, _, kind, i in claims.spans if kind != "quantity"]
    relatives = relative_dates(sentence, mentions, base, stated)
    for relative in relatives:
        if not relative.holds:
            return f"the relative date {relative.text!r} does not agree with the document's dates"
    if relatives:  # their amounts ("two years before X") are checked: not durations to look up
        masked = sentence
        for relative in relatives:
            masked = masked[: relative.start] + " " * (relative.end - relative.start) + masked[relative.end :]
        claims = extract_claims(masked)
    negated = NEGATION.search(sentence) is not None
    present = list(dict.fromkeys(n for _, _, names in resolved for n in names if n in base.entities))
    absent = [names[0] for _, _, names in resolved if len(names) == 1 and names[0] not in base.entities]
    roles = [(m.start(), m.group().lower()) for m in base.role_pattern.finditer(sentence)] if base.role_pattern else []
    relation_claim = _relation_problem(sentence, mentions, base)
    if absent and (claims.values or (not negated and (roles or relation_claim is not None))):
        return f"attributes a value or relation to {absent[0]}, which the document does not mention"
    if relation_claim is not None:
        return relation_claim
    linked = possessive_problem(sentence, mentions, base) or comparison_problem(sentence, mentions, base, previous)
    if linked is not None:
        return linked
    name = _name_problem(claims, base, name_cache if name_cache is not None else {})
    if name is not None:
        return name
    quote = _quote_problem(sentence, base)
    if quote is not None:
        return quote
    scope, near = _scope(sentence, present, base)
    if negated:
        return _value_problem(sentence, claims, scope, near, base)
    return _value_problem(sentence, claims, scope, near, base) or _role_problem(roles, mentions, base)


def _scope(sentence: str, present: list[str], base: FactBase) -> tuple[set[str] | None, set[str]]:
    """(entities a value may belong to, their neighbours reachable through a relation phrasing)."""
    if not present:
        return None, set()
    scope = set(present)
    near: set[str] = set()
    if DESCRIPTION.search(sentence):
        cued = {name for name, relation in RELATIONS.items() if relation.cued(sentence)}
        for name in present:
            near |= {other for relation, other in base.links.get(name, ()) if relation in cued}
    return scope, near - scope


def _value_problem(sentence: str, claims: Claims, scope: set[str] | None, near: set[str], base: FactBase) -> str | None:
    """The first value claim that no entity in scope has (named, or a neighbour a description reaches).

    A date or year governed by an event verb ("founded in 1991") must be that event's date. A
    quantity no fact gives may be the sum or difference of two values the same sentence states
    that facts do give ("34.9 kg and 33.2 kg, a difference of 1.7 kg").
    """
    if not claims.values:
        return None
    entities = scope if scope is None else scope | near
    quantities, dates = base.values_of(entities)
    direct: list[tuple[int, Quantity | DateValue]] = []
    unmatched: list[tuple[Quantity, int]] = []
    spans = claims.spans
    cues = event_cues(sentence) if len(spans) > len(claims.quantities) else []
    for order, (start, end, kind, index) in enumerate(spans):
        previous_end = spans[order - 1][1] if order else 0
        next_start = spans[order + 1][0] if order + 1 < len(spans) else len(sentence)
        if kind == "quantity":
            claim = claims.quantities[index]
            if any(claim.matches(q) for _, q in quantities):
                direct.append((start, claim))
            elif any(claim.matches(d) for d in base.derived):
                continue
            elif claim.dimension is None and claim.value.denominator == 1 and 0 <= claim.value <= SMALL_COUNT:
                continue
            else:
                unmatched.append((claim, start))
            continue
        event = governing_event(sentence, cues, start, end, previous_end, next_start)
        facts = [d for predicate, d in dates if event is None or predicate in event]
        if kind == "date":
            date = claims.dates[index]
            if not any(date.consistent_with(d) for d in facts):
                return f"the date {date.render()} is not stated for {_who(scope)}{_event(event)}"
            direct.append((start, date))
            continue
        year = claims.years[index]
        as_number = Quantity(year)
        if any(d.year == year for d in facts):
            direct.append((start, DateValue(year)))
        elif event is None and any(as_number.matches(q) for _, q in quantities):
            direct.append((start, as_number))
        elif not any(as_number.matches(d) for d in base.derived):
            return f"the year {year} is not stated for {_who(scope)}{_event(event)}"
    if unmatched:
        computed = _computed([value for _, value in direct])
        for claim, _ in unmatched:
            if not any(claim.matches(c) for c in computed):
                return f"the quantity {_show(claim)} is not stated for {_who(scope)}"
    return None


MAX_OPERANDS = 12
"""Values of one sentence combined into sums and differences (more: only the first are used)."""


def _computed(values: list[Quantity | DateValue]) -> list[Quantity]:
    """Sums and differences of two supported values of a sentence (dates: years between them)."""
    out: list[Quantity] = []
    values = values[:MAX_OPERANDS]
    for i, a in enumerate(values):
        for b in values[i + 1 :]:
            if isinstance(a, DateValue) and isinstance(b, DateValue):
                out.append(Quantity(Fraction(abs(a.year - b.year)), "duration"))
            elif isinstance(a, Quantity) and isinstance(b, Quantity) and a.matches(Quantity(a.value, b.dimension)):
                dimension = a.dimension or b.dimension
                out.extend((Quantity(abs(a.value - b.value), dimension), Quantity(a.value + b.value, dimension)))
    return out


def _event(event: frozenset[str] | None) -> str:
    return "" if event is None else f" as a {'/'.join(sorted(event)).replace('_on', '').replace('_', ' ')} date"


def _name_problem(claims: Claims, base: FactBase, cache: dict[str, bool]) -> str | None:
    for run, initial in claims.names:
        if _known(run, base, cache):
            continue
        if initial:  # "Adding Velto Systems …": an initial verb or adverb is not part of the name
            first, _, rest = run.partition(" ")
            if not rest or (first.lower().endswith(_NOT_NAME_ENDINGS) and _known(rest, base, cache)):
                continue
        return f"the name {run!r} does not occur in the document"
    return None


_QUOTE = LazyPattern(r"[\"“”]([^\"“”]{1,300})[\"“”]")


def _quote_problem(sentence: str, base: FactBase) -> str | None:
    """A quotation of two or more words must occur in the document (or the question) word for word.

    Quoting claims the document says it; a made-up quote ("called it 'the oldest firm'") carries
    no name or number the other checks would catch.
    """
    for match in _QUOTE.finditer(sentence):
        words = match.group(1).split()
        if len(words) >= 2 and not base.is_known_phrase(match.group(1)):
            return f"the quotation {match.group(1)[:80]!r} does not occur in the document"
    return None


def _known(phrase: str, base: FactBase, cache: dict[str, bool]) -> bool:
    if phrase not in cache:
        cache[phrase] = base.is_known_phrase(phrase)
    return cache[phrase]


def _relation_problem(sentence: str, mentions: list[Mention], base: FactBase) -> str | None:
    """The first relation claim between consecutive mentions the document does not state.

    A mention is the set of entities it may name (a pronoun's antecedents): the claim holds when
    it holds for one of them.
    """
    first = set(mentions[0][2]) if mentions else set()
    for index, ((_, a_end, a), (b_start, b_end, b)) in enumerate(pairwise(mentions)):
        if a == b:  # "Ivo Sarn works for Velto and founded it": the claim is the subject's
            if not first or first == set(b):
                continue
            a = tuple(first)
        between = sentence[a_end:b_start]
        tail = sentence[b_end : b_end + 40]
        if len(between) > MAX_BETWEEN:
            continue
        candidates: list[tuple[tuple[str, ...], str, tuple[str, ...], bool]] = []
        for relation in RELATIONS.values():
            if relation.symmetric:
                if _links(relation.active, between) or (re.fullmatch(r"\s*(?:and|&)\s*", between) and relation.active.search(tail)):
                    candidates.append((a, relation.name, b, True))
                continue
            if relation.passive is not None and _links(relation.passive, between):
                candidates.append((b, relation.name, a, False))
            elif _links(relation.active, between):
                candidates.append((a, relation.name, b, False))
        for name, (verb, particle, _) in SPLIT.items() if not candidates else ():  # "set it up"
            if verb.fullmatch(between) and particle.match(tail):
                candidates.append((a, name, b, False))
        if not candidates:
            continue
        alternatives = set(a) | (first if first and first != set(b) else set())  # coordinated/appositive verb phrases
        holds = any(_stated(base, candidate, a, alternatives) for candidate in candidates)
        for follower in _coordinated(sentence, mentions, index + 1, base):  # "co-founded by A and B": B's claim too
            swapped = [(follower if x == b else x, name, follower if y == b else y, sym) for x, name, y, sym in candidates]
            holds = holds and any(_stated(base, candidate, a, alternatives) for candidate in swapped)
        shown_a, shown_b = "/".join(a), "/".join(b)
        if NEGATION.search(between):
            if holds:
                return f"denies a relation between {shown_a} and {shown_b} that the document states"
            continue
        if all(n in base.entities for n in (*a, *b)) and not holds:
            names = " or ".join(sorted({c[1] for c in candidates}))
            return f"the document does not state that {shown_a} {names.replace('_', ' ')} {shown_b}"
        if not holds:
            return f"a relation between {shown_a} and {shown_b}, one of which the document does not mention"
    return None


def _coordinated(sentence: str, mentions: list[Mention], index: int, base: FactBase) -> list[tuple[str, ...]]:
    """Mentions after `mentions[index]` joined to it by "and"/"or"/commas, of the same entity type.

    A relation claimed for one member of a coordination is claimed for each: "founded both Velto
    Systems (1990) and Ostrik Labs" says who founded Ostrik Labs too.
    """
    kind = {base.entities.get(n) for n in mentions[index][2]}
    found: list[tuple[str, ...]] = []
    for (_, end, _), (start, _, names) in pairwise(mentions[index:]):
        if not _CONJUNCTION.fullmatch(sentence[end:start]) or not {base.entities.get(n) for n in names} & kind:
            break
        found.append(names)
    return found


def _stated(base: FactBase, candidate: tuple[tuple[str, ...], str, tuple[str, ...], bool], a: tuple[str, ...], alternatives: set[str]) -> bool:
    """Whether the document states a candidate relation, with `a` replaceable by the sentence's subject."""
    subject, relation, obj, symmetric = candidate
    subjects = alternatives if subject == a else set(subject)
    objects = alternatives if obj == a else set(obj)
    return any(base.holds(x, relation, y, symmetric) for x in subjects for y in objects)


def _links(cue: re.Pattern[str], between: str) -> bool:
    """True when `cue` is the phrase that leads into the second entity: only filler words follow it.

    "was founded in 1990 and [Defasteim]" does not claim that anyone founded Defasteim; "is based
    in Brask and makes the [Kiro Pro]" does claim a makes relation (for the sentence's subject).
    """
    last = None
    for last in cue.finditer(between):
        pass
    return last is not None and _FILLER.fullmatch(between, last.end()) is not None


def _role_problem(roles: list[tuple[int, str]], mentions: list[Mention], base: FactBase) -> str | None:
    """A role phrase must belong to the sentence's first entity or the one named just before it."""
    for position, role in roles:
        before = [set(names) for _, end, names in mentions if end <= position]
        after = [set(names) for start, _, names in mentions if start >= position]
        candidates = set(mentions[0][2]) | before[-1] if before else (after[0] if after else set())
        holders = {f.subject for f in base.facts_of(candidates or None) if f.predicate == "role" and f.value.lower() == role}
        if not holders:
            return f"the role {role!r} is not stated for {_who(candidates or None)}"
    return None


def _who(scope: set[str] | None) -> str:
    return "any entity in the document" if scope is None else ", ".join(sorted(scope))


def _show(quantity: Quantity) -> str:
    unit = f" ({quantity.dimension})" if quantity.dimension else ""
    try:
        return f"{float(quantity.value):g}{unit}"
    except OverflowError:  # a claimed number of hundreds of digits
        return f"a number too large to show{unit}"
