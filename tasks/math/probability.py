"""`Probability`: exact probabilities and expected values as fractions in lowest terms.

Why this template: probability questions punish the classic slips — replacing when the draw is
without replacement, forgetting to condition, adding where events overlap — and an exact fraction
leaves no room for a "close enough" answer.

Levels change the kind of reasoning:

* easy — one experiment, count favourable outcomes: sums of two or three dice (4 to 20 faces),
  k heads (girls, right guesses …) in n fair trials, one card from a standard deck (either / both /
  neither of two overlapping sets), one item from an urn, bag or jar;
* medium — two-stage experiments: two items without replacement, events on two or three dice
  (product, maximum, minimum, difference, all equal or all different), two or three cards, "at
  least / at most k heads";
* hard — conditional probability (given a condition on the dice), Bayes' rule with two urns,
  the hypergeometric distribution, the expected value of a dice game;
* expert — infinite processes and expectations: who (of 2-4 players) rolls the target first, the
  expected number of draws until the first marked item, birthday-style matches among dice or
  picked numbers, Bayes' rule for a medical test, the expected largest or smallest of several dice,
  spins or tickets drawn without replacement.

Every answer is `G.rational` of an exact `Fraction` (integers stay integers); the prompt asks for a
fraction in lowest terms. Generation computes by formula or by enumerating at most a few hundred
outcomes; the tests re-derive each answer by brute-force enumeration or an independent series.
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import product
from math import comb, perm
from typing import Any, ClassVar

from pydantic import Field

from vrgym.registry import register
from vrgym.tasks.math._counting import hypergeometric
from vrgym.tasks.math._kinds import KindsConfig, KindTemplate, Made
from vrgym.verifiers.math import gold as G

FRACTION = "Give the probability as a fraction in lowest terms, such as 5/12 (or 0 or 1)."
EXPECTED = "Give the expected value exactly, as an integer or a fraction in lowest terms such as 7/2."
_COLOURS = ("red", "blue", "green", "white")


class ProbabilityConfig(KindsConfig):
    """Which kinds of probability question a level asks, and how large the urns and games are."""

    KINDS: ClassVar[tuple[str, ...]] = (
        "dice_sum", "coins", "one_card", "urn_one",
        "urn_two", "dice_event", "two_cards", "coins_at_least",
        "conditional_dice", "bayes_urns", "hypergeometric", "dice_game",
        "first_six", "draws_until_red", "dice_match", "medical_test", "expected_max",
    )
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("dice_sum", "coins", "one_card", "urn_one"), size=1),
        "medium": dict(kinds=("urn_two", "dice_event", "two_cards", "coins_at_least"), size=2),
        "hard": dict(kinds=("conditional_dice", "bayes_urns", "hypergeometric", "dice_game"), size=3),
        "expert": dict(kinds=("first_six", "draws_until_red", "dice_match", "medical_test", "expected_max"), size=4),
    }
    default_level: ClassVar[str | None] = "medium"

    kinds: tuple[str, ...] = ("urn_two", "dice_event", "two_cards", "coins_at_least")
    size: int = Field(2, ge=1, le=4, description="Size of urns, hands and games: 1 small .. 4 large.")


def _gold(value: Fraction) -> dict[str, Any]:
    return G.rational(value)


def _p(favourable: int, total: int) -> str:
    """`9/36 = 1/4` (the reduced form only when it differs)."""
    value = Fraction(favourable, total)
    reduced = str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    return f"{favourable}/{total}" + (f" = {reduced}" if (value.numerator, value.denominator) != (favourable, total) else "")


# --------------------------------------------------------------------------------------- dice events

DICE_SIDES = (4, 6, 8, 10, 12)
DICE_EVENTS: dict[str, str] = {
    "sum_equals": "the sum of the {dice} is {t}",
    "sum_at_least": "the sum of the {dice} is at least {t}",
    "sum_at_most": "the sum of the {dice} is at most {t}",
    "product_even": "the product of the numbers shown is even",
    "max_at_least": "the largest number shown (any of them, if several are equal) is at least {t}",
    "min_at_most": "the smallest number shown is at most {t}",
    "difference": "the two numbers differ by exactly {t}",
    "doubles": "all the dice show the same number",
    "all_different": "no two of the dice show the same number",
    "at_least_one_six": "at least one die shows a {s}",
    "sum_even": "the sum of the {dice} is even",
    "sum_prime": "the sum of the {dice} is a prime number",
}
_TWO_ONLY = ("difference",)
_DICE_WORDS = {2: "two dice", 3: "three dice"}


def dice_event_holds(event: str, t: int, roll: tuple[int, ...], sides: int) -> bool:
    """Whether the outcome `roll` (one face per die) is in the named event with threshold `t`."""
    total = sum(roll)
    if event == "sum_prime":
        return total > 1 and all(total % d for d in range(2, int(total**0.5) + 1))
    if event == "product_even":
        return any(face % 2 == 0 for face in roll)
    return {
        "sum_equals": total == t, "sum_at_least": total >= t, "sum_at_most": total <= t, "max_at_least": max(roll) >= t,
        "min_at_most": min(roll) <= t, "difference": len(roll) == 2 and abs(roll[0] - roll[1]) == t,
        "doubles": len(set(roll)) == 1, "all_different": len(set(roll)) == len(roll),
        "at_least_one_six": sides in roll, "sum_even": total % 2 == 0,
    }[event]


def _dice_count(event: str, t: int, sides: int, count: int = 2, given: tuple[str, int] | None = None) -> tuple[int, int]:
    outcomes = [r for r in product(range(1, sides + 1), repeat=count) if given is None or dice_event_holds(*given, r, sides)]
    return sum(dice_event_holds(event, t, r, sides) for r in outcomes), len(outcomes)


def _threshold(rng: random.Random, event: str, sides: int, count: int = 2) -> int:
    return {"sum_equals": rng.randint(count + 1, count * sides - 1), "sum_at_least": rng.randint(sides + 1, count * sides - 1),
            "sum_at_most": rng.randint(count + 1, sides + count - 1),
            "max_at_least": rng.randint(3, sides), "min_at_most": rng.randint(1, sides - 2),
            "difference": rng.randint(1, sides - 2)}.get(event, 0)


_PAIR_WORDING = {"doubles": "both dice show the same number", "all_different": "the two dice show different numbers"}


def event_text(event: str, t: int, sides: int, count: int = 2) -> str:
    """The event in words for `count` dice (two dice read "both" / "the two", not "all")."""
    if count == 2 and event in _PAIR_WORDING:
        return _PAIR_WORDING[event]
    return DICE_EVENTS[event].format(t=t, s=sides, dice=_DICE_WORDS[count])


_DICE_OBJECTS = (
    "fair {sides}-sided dice (faces 1 to {sides})", "fair dice, each with {sides} faces numbered 1 to {sides},",
    "fair {sides}-sided dice of different colours (faces 1 to {sides})",
)
_EVENT_SIDES = (4, 6, 8, 10, 12, 20)
"""Dice for the one-roll events: 20 sides only for two dice (three d20s are 8000 outcomes to enumerate)."""


def _dice_intro(sides: int, count: int = 2, rng: random.Random | None = None) -> str:
    obj = _DICE_OBJECTS[0] if rng is None else rng.choice(_DICE_OBJECTS)
    return f"{_DICE_WORDS[count].split()[0].capitalize()} {obj.format(sides=sides)} are rolled."


def _two_dice(rng: random.Random, events: tuple[str, ...], counting: str, tag_event: bool) -> Made:
    """A two- or three-dice event drawn from `events`, counted by enumeration; `counting` words the first step."""
    count = rng.choice((2, 2, 3))
    event = rng.choice([e for e in events if count == 2 or e not in _TWO_ONLY])
    sides = rng.choice(_EVENT_SIDES if count == 2 else DICE_SIDES)
    t = _threshold(rng, event, sides, count)
    good, total = _dice_count(event, t, sides, count)
    text = event_text(event, t, sides, count)
    return Made(
        f"{_dice_intro(sides, count, rng)} What is the probability that {text}?",
        _gold(Fraction(good, total)), FRACTION,
        [counting.format(good=good, total=total), f"P = {_p(good, total)}"],
        (f"math/probability/dice/{event}",) if tag_event else (), data={"event": event, "t": t, "sides": sides, "count": count},
    )


def make_dice_sum(rng: random.Random, config: ProbabilityConfig) -> Made:
    return _two_dice(rng, ("sum_equals", "sum_at_least", "sum_at_most", "sum_even", "sum_prime"),
                     "{total} equally likely ordered outcomes; {good} of them satisfy the event", tag_event=False)


def make_dice_event(rng: random.Random, config: ProbabilityConfig) -> Made:
    return _two_dice(rng, ("product_even", "max_at_least", "min_at_most", "difference", "doubles", "all_different", "at_least_one_six"),
                     "Count the ordered outcomes (one face per die): {good} of the {total} satisfy the event",
                     tag_event=True)


def make_conditional_dice(rng: random.Random, config: ProbabilityConfig) -> Made:
    while True:
        sides = rng.choice(DICE_SIDES)
        given = rng.choice((("at_least_one_six", 0), ("sum_even", 0), ("max_at_least", rng.randint(3, sides - 1)), ("doubles", 0)))
        event = rng.choice(("sum_at_least", "sum_equals", "product_even", "difference"))
        t = _threshold(rng, event, sides)
        good, total = _dice_count(event, t, sides, 2, given)
        if 0 < good < total and event != given[0]:
            break
    condition = event_text(given[0], given[1], sides)
    return Made(
        f"{_dice_intro(sides)} Given that {condition}, what is the probability that "
        f"{event_text(event, t, sides)}?", _gold(Fraction(good, total)), FRACTION,
        [f"Restrict to the {total} ordered outcomes where {condition}", f"{good} of those also satisfy the event",
         f"P = {_p(good, total)}"], data={"event": event, "t": t, "given": list(given), "sides": sides, "count": 2},
    )


# --------------------------------------------------------------------------------------- coins


_COIN_CONTEXTS: tuple[tuple[str, str, str], ...] = (
    # (experiment of n trials, the outcome counted, its complement): every trial is a fair 50/50 chance
    ("A fair coin is flipped {n} times.", "heads", "tails"),
    ("{n} fair coins are tossed at once.", "heads", "tails"),
    ("A family has {n} children; each child is a girl or a boy with probability 1/2, independently.", "girls", "boys"),
    (("A student guesses every answer of a {n}-question true/false quiz at random (each guess is right with "
      "probability 1/2, independently)."), "correct answers", "wrong answers"),
    ("A fair spinner with two equal halves, red and blue, is spun {n} times.", "reds", "blues"),
)


def _coin_question(rng: random.Random, n: int, k: int, mode: str) -> tuple[str, str]:
    """The worded coin experiment for "`mode` k" successes in n fair trials, and the name of a success."""
    intro, success, failure = rng.choice(_COIN_CONTEXTS)
    if rng.random() < 0.5:
        success = failure  # counting tails / boys / … is the same distribution
    how = {"exactly": "exactly", "at_least": "at least", "at_most": "at most"}[mode]
    return f"{intro.format(n=n)} What is the probability of getting {how} {k} {success}?", success


def make_coins(rng: random.Random, config: ProbabilityConfig) -> Made:
    n = rng.randint(3, 8 + config.size)
    k = rng.randint(1, n - 1)
    question, success = _coin_question(rng, n, k, "exactly")
    return Made(
        question, _gold(Fraction(comb(n, k), 2**n)), FRACTION,
        [f"C({n}, {k}) = {comb(n, k)} of the 2^{n} = {2**n} equally likely sequences have {k} {success}",
         f"P = {_p(comb(n, k), 2**n)}"],
        data={"n": n, "k": k, "mode": "exactly"},
    )


def make_coins_at_least(rng: random.Random, config: ProbabilityConfig) -> Made:
    n = rng.randint(4, 7 + config.size)
    mode = rng.choice(("at_least", "at_most"))
    k = rng.randint(2, n - 1) if mode == "at_least" else rng.randint(1, n - 2)
    counts = range(k, n + 1) if mode == "at_least" else range(k + 1)
    good = sum(comb(n, j) for j in counts)
    question, success = _coin_question(rng, n, k, mode)
    return Made(
        question, _gold(Fraction(good, 2**n)), FRACTION,
        [" + ".join(f"C({n}, {j})" for j in counts) + f" = {good} of the {2**n} sequences have {mode.replace('_', ' ')} {k} {success}",
         f"P = {_p(good, 2**n)}"], (f"math/probability/coins/{mode}",), data={"n": n, "k": k, "mode": mode},
    )


# --------------------------------------------------------------------------------------- cards

_SUITS = ("hearts", "diamonds", "clubs", "spades")
_RANKS = ("ace", "2", "3", "4", "5", "6", "7", "8", "9", "10", "jack", "queen", "king")
DECK = "A standard 52-card deck has 4 suits (hearts and diamonds are red, clubs and spades are black) of 13 ranks (ace, 2-10, jack, queen, king)."
CARD_SETS: dict[str, str] = {
    "heart": "a heart", "diamond": "a diamond", "club": "a club", "spade": "a spade", "red": "a red card",
    "black": "a black card", "face": "a face card (jack, queen or king)", "ace": "an ace", "king": "a king",
    "queen": "a queen", "high": "a card of rank 10 or higher (10, jack, queen, king)",
    "even": "a card with an even number (2, 4, 6, 8 or 10)", "low": "a card numbered 2 to 5",
}
CARD_PLURALS: dict[str, str] = {
    "heart": "hearts", "diamond": "diamonds", "club": "clubs", "spade": "spades", "red": "red cards",
    "black": "black cards", "face": "face cards", "ace": "aces", "king": "kings", "queen": "queens",
    "high": "cards of rank 10 or higher", "even": "cards with an even number", "low": "cards numbered 2 to 5",
}


def card_in(name: str, rank: int, suit: int) -> bool:
    """Whether the card (rank index 0..12 from ace, suit index 0..3) belongs to the named set."""
    return {
        "heart": suit == 0, "diamond": suit == 1, "club": suit == 2, "spade": suit == 3, "red": suit in (0, 1),
        "black": suit in (2, 3), "face": rank >= 10, "ace": rank == 0, "king": rank == 12, "queen": rank == 11,
        "high": rank >= 9, "even": rank in (1, 3, 5, 7, 9), "low": 1 <= rank <= 4,
    }[name]


_CARDS = [(r, s) for s in range(4) for r in range(13)]


def _card_count(name: str, also: str | None = None) -> int:
    return sum(card_in(name, r, s) and (also is None or card_in(also, r, s)) for r, s in _CARDS)


def make_one_card(rng: random.Random, config: ProbabilityConfig) -> Made:
    what = rng.choice(("or", "or", "and", "neither"))
    while True:
        a, b = rng.sample(sorted(CARD_SETS), 2)
        both = _card_count(a, b)
        na, nb = _card_count(a), _card_count(b)
        # overlapping (the point is not to double count), neither set inside the other
        if 0 < both < min(na, nb) and na + nb - both < 52:
            break
    union = na + nb - both
    good = {"or": union, "and": both, "neither": 52 - union}[what]
    text = {"or": f"{CARD_SETS[a]} or {CARD_SETS[b]} (or both)", "and": f"both {CARD_SETS[a]} and {CARD_SETS[b]}",
            "neither": f"neither {CARD_SETS[a]} nor {CARD_SETS[b]}"}[what]
    steps = {"or": [f"{na} + {nb} - {both} (counted twice) = {good} cards"],
             "and": [f"{both} cards are in both sets"],
             "neither": [f"{na} + {nb} - {both} = {union} cards are in either set; 52 - {union} = {good} are in neither"]}[what]
    return Made(
        f"{DECK} One card is drawn at random. What is the probability that it is {text}?",
        _gold(Fraction(good, 52)), FRACTION, [*steps, f"P = {_p(good, 52)}"],
        (f"math/probability/cards/one_{what}",), data={"sets": [a, b], "what": what},
    )


_HAND_VERBS = ("drawn at random without replacement", "dealt from a well-shuffled deck",
               "taken from the top of a well-shuffled deck")


def make_two_cards(rng: random.Random, config: ProbabilityConfig) -> Made:
    """Two or three cards without replacement: all / none / exactly one in a set, or all of one rank or suit."""
    m = rng.choice((2, 2, 3))
    what = rng.choice(("all", "pair", "at_least_one", "exactly_one", "same_suit"))
    name = rng.choice(sorted(CARD_SETS)) if what in ("all", "at_least_one", "exactly_one") else ""
    n, hands = (_card_count(name) if name else 0), comb(52, m)
    cards = "two cards" if m == 2 else "three cards"
    if what == "all":
        good = comb(n, m)
        text = f"{'both' if m == 2 else 'all three'} cards are {CARD_PLURALS[name]}"
        steps = [f"C({n}, {m}) = {good} of the C(52, {m}) = {hands} hands"]
    elif what == "pair":
        good = 13 * comb(4, m)
        text = f"the {cards} have the same rank"
        steps = [f"13 ranks × C(4, {m}) = {good} same-rank hands of {hands}"]
    elif what == "same_suit":
        good = 4 * comb(13, m)
        text = f"the {cards} are all of the same suit"
        steps = [f"4 suits × C(13, {m}) = {good} one-suit hands of {hands}"]
    elif what == "exactly_one":
        good = n * comb(52 - n, m - 1)
        text = f"exactly one of the {cards} is {CARD_SETS[name]}"
        steps = [f"{n} choices of that card × C({52 - n}, {m - 1}) for the rest = {good} of {hands} hands"]
    else:
        good = hands - comb(52 - n, m)
        text = f"at least one of the {cards} is {CARD_SETS[name]}"
        steps = [f"Complement: none is: C({52 - n}, {m}) = {comb(52 - n, m)}; {hands} - {comb(52 - n, m)} = {good} of {hands} hands"]
    return Made(
        f"{DECK} {cards.capitalize()} are {rng.choice(_HAND_VERBS)}. What is the probability that {text}?",
        _gold(Fraction(good, hands)), FRACTION, [*steps, f"P = {_p(good, hands)}"], (f"math/probability/cards/{what}",),
        data={"what": what, "set": name, "cards": m},
    )


# --------------------------------------------------------------------------------------- urns


def _urn(rng: random.Random, colours: int, size: int) -> dict[str, int]:
    return {c: rng.randint(2, 3 + 2 * size) for c in _COLOURS[:colours]}  # >= 2 each: "both red" is possible


_CONTAINERS: tuple[tuple[str, str, str], ...] = (
    # (container, plural item, singular item): the same urn model in different words
    ("An urn", "balls", "ball"), ("A bag", "marbles", "marble"), ("A jar", "sweets", "sweet"),
    ("A box", "pens", "pen"), ("A drawer", "socks", "sock"),
)


def _describe(urn: dict[str, int], items: str = "balls") -> str:
    parts = [f"{n} {c}" for c, n in urn.items()]
    return ", ".join(parts[:-1]) + f" and {parts[-1]} {items}"


def make_urn_one(rng: random.Random, config: ProbabilityConfig) -> Made:
    urn = _urn(rng, rng.randint(3, 4), config.size)
    box, items, item = rng.choice(_CONTAINERS)
    total = sum(urn.values())
    colour = rng.choice(list(urn))
    negate = rng.random() < 0.5
    good = total - urn[colour] if negate else urn[colour]
    return Made(
        f"{box} holds {_describe(urn, items)}. One {item} is drawn at random. What is the probability that it is "
        f"{'not ' if negate else ''}{colour}?", _gold(Fraction(good, total)), FRACTION,
        [f"{good} of the {total} {items} qualify", f"P = {_p(good, total)}"], data={"urn": urn, "colour": colour, "negate": negate},
    )


def make_urn_two(rng: random.Random, config: ProbabilityConfig) -> Made:
    urn = _urn(rng, rng.randint(2, 3), config.size)
    box, items, _ = rng.choice(_CONTAINERS)
    total = sum(urn.values())
    what = rng.choice(("same", "different", "both"))
    pairs = comb(total, 2)
    same = sum(comb(n, 2) for n in urn.values())
    if what == "same":
        good, text = same, f"both {items} have the same colour"
        steps = [" + ".join(f"C({n}, 2)" for n in urn.values()) + f" = {same} same-colour pairs of C({total}, 2) = {pairs}"]
    elif what == "different":
        good, text = pairs - same, f"the two {items} have different colours"
        steps = [f"Complement of same colour: {pairs} - {same} = {pairs - same} of {pairs} pairs"]
    else:
        colour = rng.choice(list(urn))
        good, text = comb(urn[colour], 2), f"both {items} are {colour}"
        steps = [f"C({urn[colour]}, 2) = {good} of C({total}, 2) = {pairs} pairs"]
    return Made(
        f"{box} holds {_describe(urn, items)}. Two {items} are drawn at random without replacement. What is the "
        f"probability that {text}?", _gold(Fraction(good, pairs)), FRACTION, [*steps, f"P = {_p(good, pairs)}"],
        (f"math/probability/urn/{what}",), data={"urn": urn, "what": what, "text": text},
    )


def make_hypergeometric(rng: random.Random, config: ProbabilityConfig) -> Made:
    red, blue = rng.randint(3, 5 + 2 * config.size), rng.randint(3, 5 + 2 * config.size)
    drawn = rng.randint(3, 5)
    hits = rng.randint(max(1, drawn - blue), min(drawn - 1, red))  # both colours among the drawn, possible counts
    value = hypergeometric(red + blue, red, drawn, hits)
    return Made(
        f"A bag holds {red} red and {blue} blue marbles. {drawn} marbles are drawn at random without replacement. "
        f"What is the probability that exactly {hits} of them are red?", _gold(value), FRACTION,
        [f"C({red}, {hits})·C({blue}, {drawn - hits}) = {comb(red, hits) * comb(blue, drawn - hits)} favourable of "
         f"C({red + blue}, {drawn}) = {comb(red + blue, drawn)}", f"P = {value}"],
        data={"red": red, "blue": blue, "drawn": drawn, "hits": hits},
    )


def make_bayes_urns(rng: random.Random, config: ProbabilityConfig) -> Made:
    while True:
        a = (rng.randint(1, 6 + config.size), rng.randint(1, 6 + config.size))  # (red, blue) in urn A
        b = (rng.randint(1, 6 + config.size), rng.randint(1, 6 + config.size))
        if a[0] * sum(b) != b[0] * sum(a):  # otherwise the draw says nothing about the urn
            break
    prior = Fraction(rng.choice((1, 1, 1, 2, 3)), 4) if config.size >= 3 else Fraction(1, 2)
    like_a, like_b = Fraction(a[0], sum(a)), Fraction(b[0], sum(b))
    joint_a, joint_b = prior * like_a, (1 - prior) * like_b
    value = joint_a / (joint_a + joint_b)
    choose = "at random (each equally likely)" if prior == Fraction(1, 2) else f"with probability {prior} for urn A and {1 - prior} for urn B"
    return Made(
        f"Urn A holds {a[0]} red and {a[1]} blue balls; urn B holds {b[0]} red and {b[1]} blue balls. An urn is chosen "
        f"{choose}, and one ball is drawn from it. The ball is red. What is the probability that it came from urn A?",
        _gold(value), FRACTION,
        [f"P(A and red) = {prior}·{like_a} = {joint_a}", f"P(B and red) = {1 - prior}·{like_b} = {joint_b}",
         f"P(A | red) = {joint_a} / ({joint_a} + {joint_b}) = {value}"],
        data={"a": list(a), "b": list(b), "prior": str(prior)},
    )


_FIRST_HIT: tuple[tuple[str, str, str, str], ...] = (
    # (container, target items, other items, what is drawn): "draw until the first target" in different words
    ("A box holds", "red balls", "white balls", "balls"),
    ("A carton holds", "faulty bulbs", "working bulbs", "bulbs"),
    ("A hat holds", "winning tickets", "losing tickets", "tickets"),
    ("A shuffled pile holds", "jokers", "ordinary cards", "cards"),
)


def make_draws_until_red(rng: random.Random, config: ProbabilityConfig) -> Made:
    red, other = rng.randint(1, 6), rng.randint(3, 6 + 2 * config.size)
    box, target, rest, items = rng.choice(_FIRST_HIT)
    value = Fraction(red + other + 1, red + 1)
    return Made(
        f"{box} {red} {target} and {other} {rest}. {items.capitalize()} are drawn one at a time at random without "
        f"replacement until the first of the {target} appears. What is the expected number of {items} drawn "
        "(including that one)?", _gold(value), EXPECTED,
        [(f"The {other} {rest} fall into {red + 1} equally likely gaps around the {red} {target}; each of them "
          f"precedes the first of the {target} with probability 1/{red + 1}"), f"E = 1 + {other}/{red + 1} = {value}"],
        data={"red": red, "other": other},
    )


# --------------------------------------------------------------------------------------- games

_NAMES = ("Ann", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kim", "Lou")


def make_dice_game(rng: random.Random, config: ProbabilityConfig) -> Made:
    """A die game: win the face value on some faces, pay a fixed amount on the others."""
    win = sorted(rng.sample(range(1, 7), rng.randint(2, 4)))
    multiplier = rng.randint(1, 3)
    loss = rng.randint(1, 6)
    payouts = {f: multiplier * f if f in win else -loss for f in range(1, 7)}
    value = Fraction(sum(payouts.values()), 6)
    faces = ", ".join(map(str, win))
    rule = "the number shown" if multiplier == 1 else f"{multiplier} times the number shown"
    return Made(
        f"In a game you roll one fair six-sided die. If it shows {faces}, you win {rule} in dollars; otherwise you "
        f"lose {loss} dollars. What are your expected winnings in dollars per game (negative if you lose on average)?",
        _gold(value), EXPECTED,
        [" + ".join(f"({payouts[f]})" for f in range(1, 7)) + f" = {sum(payouts.values())} over 6 faces", f"E = {value}"],
        data={"payouts": [payouts[f] for f in range(1, 7)]},
    )


def make_first_six(rng: random.Random, config: ProbabilityConfig) -> Made:
    players = rng.randint(2, 4)
    position = rng.randint(1, players)
    sides = rng.choice(DICE_SIDES)
    faces = rng.randint(1, 2)
    p = Fraction(faces, sides)
    q = 1 - p
    value = q ** (position - 1) * p / (1 - q**players)
    names = rng.sample(_NAMES, players)
    target = names[position - 1]
    return Made(
        f"{', '.join(names[:-1])} and {names[-1]} take turns rolling a fair {sides}-sided die (faces 1 to {sides}), "
        f"in that order, repeating the cycle, until someone rolls {str(sides) if faces == 1 else f'{sides - 1} or {sides}'}; that player wins. What is the probability "
        f"that {target} wins?", _gold(value), FRACTION,
        [f"One roll succeeds with p = {p}; {target} wins in the first cycle with probability ({q})^{position - 1}·{p}",
         f"each full cycle without a win has probability ({q})^{players}, so P = ({q})^{position - 1}·{p} / (1 - ({q})^{players}) = {value}"],
        data={"players": players, "position": position, "sides": sides, "faces": faces},
    )


def make_dice_match(rng: random.Random, config: ProbabilityConfig) -> Made:
    """Birthday-style: k uniform draws from 1..sides; at least two equal, or all different."""
    k = rng.randint(3, 5)
    if rng.random() < 0.5:
        sides = rng.choice((6, 8, 10, 12, 20))
        setup, what = f"{k} fair {sides}-sided dice are rolled.", "of them show the same number"
    else:
        sides = rng.randint(7, 30)
        setup = (f"{k} people each pick a whole number from 1 to {sides} uniformly at random, independently of each other.")
        what = "of them pick the same number"
    distinct = perm(sides, k)
    all_different = Fraction(distinct, sides**k)
    match = rng.random() < 0.6
    value = 1 - all_different if match else all_different
    question = f"at least two {what}" if match else f"no two {what}"
    return Made(
        f"{setup} What is the probability that {question}?", _gold(value), FRACTION,
        [f"All different: {sides}·" + "·".join(str(sides - i) for i in range(1, k)) + f" = {distinct} of {sides}^{k} = {sides**k}",
         f"P = 1 - {_p(distinct, sides**k)} = {value}" if match else f"P = {_p(distinct, sides**k)}"],
        (f"math/probability/match/{'some_equal' if match else 'all_different'}",),
        data={"k": k, "sides": sides, "match": match},
    )


def make_medical_test(rng: random.Random, config: ProbabilityConfig) -> Made:
    prevalence = Fraction(1, rng.choice((10, 20, 25, 40, 50, 100, 200)))
    sensitivity = Fraction(rng.choice((75, 80, 85, 90, 95, 98, 99)), 100)
    false_positive = Fraction(rng.choice((1, 2, 3, 4, 5, 8, 10)), 100)
    true_pos = prevalence * sensitivity
    false_pos = (1 - prevalence) * false_positive
    value = true_pos / (true_pos + false_pos)
    pct = lambda f: f"{f * 100}%"  # noqa: E731 - exact percentages of the chosen rates
    return Made(
        f"A disease affects {pct(prevalence)} of a population. A test detects it in {pct(sensitivity)} of people who have "
        f"it, and wrongly reports it in {pct(false_positive)} of people who do not. A random person tests positive. "
        "What is the probability that they have the disease?", _gold(value), FRACTION,
        [f"P(ill and positive) = {prevalence}·{sensitivity} = {true_pos}", f"P(healthy and positive) = {1 - prevalence}·{false_positive} = {false_pos}",
         f"P(ill | positive) = {true_pos} / ({true_pos} + {false_pos}) = {value}"],
        data={"prevalence": str(prevalence), "sensitivity": str(sensitivity), "false_positive": str(false_positive)},
    )


def make_expected_max(rng: random.Random, config: ProbabilityConfig) -> Made:
    """Expected largest or smallest of k values: dice or a spinner (with replacement), or numbered tickets (without)."""
    k = rng.randint(2, 4)
    extreme = rng.choice(("largest", "smallest"))
    source = rng.choice(("dice", "spinner", "tickets"))
    if source == "tickets":
        sides = rng.randint(k + 3, 30)
        setup = f"{k} tickets are drawn at random without replacement from a hat holding {sides} tickets numbered 1 to {sides}."
        # P(max = m) = C(m - 1, k - 1) / C(N, k); the smallest mirrors the largest (m -> N + 1 - m)
        weights = {m: comb(m - 1, k - 1) for m in range(k, sides + 1)}
        total = comb(sides, k)
        rule = f"P(max = m) = C(m - 1, {k - 1}) / C({sides}, {k})"
    else:
        sides = rng.choice(DICE_SIDES)
        setup = (f"{k} fair {sides}-sided dice (faces 1 to {sides}) are rolled." if source == "dice" else
                 f"A fair spinner with {sides} equal sectors numbered 1 to {sides} is spun {k} times.")
        weights = {m: m**k - (m - 1) ** k for m in range(1, sides + 1)}
        total = sides**k
        rule = f"P(max = m) = (m^{k} - (m - 1)^{k}) / {sides}^{k}"
    top = Fraction(sum(m * w for m, w in weights.items()), total)
    value = top if extreme == "largest" else sides + 1 - top
    steps = [rule, "E[max] = " + " + ".join(f"{m}·{w}" for m, w in weights.items()) + f" / {total} = {top}"]
    if extreme == "smallest":
        steps.append(f"By symmetry (value v ↔ {sides + 1} - v) E[min] = {sides + 1} - E[max] = {value}")
    return Made(
        f"{setup} What is the expected value of the {extreme} number {'drawn' if source == 'tickets' else 'shown'}?",
        _gold(value), EXPECTED, steps, (f"math/probability/extreme/{source}",),
        data={"k": k, "sides": sides, "extreme": extreme, "replace": source != "tickets"},
    )


@register
class Probability(KindTemplate):
    """Exact probabilities and expectations, answered as fractions in lowest terms."""

    name = "Probability"
    version = 0
    tags = ("math/probability",)
    description = "Dice, coins, cards, urns without replacement, conditional probability, Bayes, expected values."
    Config = ProbabilityConfig
    kind_tag = "math/probability"
    makers = {
        "dice_sum": make_dice_sum, "coins": make_coins, "one_card": make_one_card, "urn_one": make_urn_one,
        "urn_two": make_urn_two, "dice_event": make_dice_event, "two_cards": make_two_cards,
        "coins_at_least": make_coins_at_least, "conditional_dice": make_conditional_dice,
        "bayes_urns": make_bayes_urns, "hypergeometric": make_hypergeometric, "dice_game": make_dice_game,
        "first_six": make_first_six, "draws_until_red": make_draws_until_red, "dice_match": make_dice_match,
        "medical_test": make_medical_test, "expected_max": make_expected_max,
    }
