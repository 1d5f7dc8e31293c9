"""`Probability`: exact probabilities and expected values as fractions in lowest terms.

Why this template: probability questions punish the classic slips — replacing when the draw is
without replacement, forgetting to condition, adding where events overlap — and an exact fraction
leaves no room for a "close enough" answer.

Levels change the kind of reasoning:

* easy — one experiment, count favourable outcomes: the sum of two dice, k heads in n coin
  flips, one card from a standard deck (overlapping events), one ball from an urn;
* medium — two-stage experiments: two balls without replacement, events on two dice (product,
  maximum, difference), two cards, "at least k heads";
* hard — conditional probability (given a condition on the dice), Bayes' rule with two urns,
  the hypergeometric distribution, the expected value of a dice game;
* expert — infinite processes and expectations: who rolls a six first, the expected number of
  draws until the first red ball, a birthday-style "two dice match", Bayes' rule for a medical
  test, the expected maximum of several dice.

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
    "sum_equals": "the sum of the two dice is {t}",
    "sum_at_least": "the sum of the two dice is at least {t}",
    "product_even": "the product of the two dice is even",
    "max_at_least": "the larger of the two numbers (either one, if they are equal) is at least {t}",
    "difference": "the two numbers differ by exactly {t}",
    "doubles": "both dice show the same number",
    "at_least_one_six": "at least one die shows a {s}",
    "sum_even": "the sum of the two dice is even",
}


def dice_event_holds(event: str, t: int, a: int, b: int, sides: int) -> bool:
    """Whether the two-dice outcome (a, b) is in the named event with threshold `t`."""
    return {
        "sum_equals": a + b == t, "sum_at_least": a + b >= t, "product_even": a * b % 2 == 0,
        "max_at_least": max(a, b) >= t, "difference": abs(a - b) == t, "doubles": a == b,
        "at_least_one_six": sides in (a, b), "sum_even": (a + b) % 2 == 0,
    }[event]


def _dice_count(event: str, t: int, sides: int, given: tuple[str, int] | None = None) -> tuple[int, int]:
    outcomes = [(a, b) for a, b in product(range(1, sides + 1), repeat=2) if given is None or dice_event_holds(*given, a, b, sides)]
    return sum(dice_event_holds(event, t, a, b, sides) for a, b in outcomes), len(outcomes)


def _threshold(rng: random.Random, event: str, sides: int) -> int:
    return {"sum_equals": rng.randint(3, 2 * sides - 1), "sum_at_least": rng.randint(sides + 1, 2 * sides - 1),
            "max_at_least": rng.randint(3, sides), "difference": rng.randint(1, sides - 2)}.get(event, 0)


def _dice_intro(sides: int) -> str:
    return f"Two fair {sides}-sided dice (faces 1 to {sides}) are rolled."


def _two_dice(rng: random.Random, events: tuple[str, ...], counting: str, tag_event: bool) -> Made:
    """A two-dice event drawn from `events`, counted by enumeration; `counting` words the first step."""
    event, sides = rng.choice(events), rng.choice(DICE_SIDES)
    t = _threshold(rng, event, sides)
    good, total = _dice_count(event, t, sides)
    return Made(
        f"{_dice_intro(sides)} What is the probability that {DICE_EVENTS[event].format(t=t, s=sides)}?",
        _gold(Fraction(good, total)), FRACTION,
        [counting.format(good=good, total=total), f"P = {_p(good, total)}"],
        (f"math/probability/dice/{event}",) if tag_event else (), data={"event": event, "t": t, "sides": sides},
    )


def make_dice_sum(rng: random.Random, config: ProbabilityConfig) -> Made:
    return _two_dice(rng, ("sum_equals", "sum_at_least"),
                     "{total} equally likely ordered outcomes; {good} of them satisfy the event", tag_event=False)


def make_dice_event(rng: random.Random, config: ProbabilityConfig) -> Made:
    return _two_dice(rng, ("product_even", "max_at_least", "difference", "doubles", "at_least_one_six"),
                     "Count the ordered pairs (first die, second die): {good} of the {total} satisfy the event",
                     tag_event=True)


def make_conditional_dice(rng: random.Random, config: ProbabilityConfig) -> Made:
    while True:
        sides = rng.choice(DICE_SIDES)
        given = rng.choice((("at_least_one_six", 0), ("sum_even", 0), ("max_at_least", rng.randint(3, sides - 1)), ("doubles", 0)))
        event = rng.choice(("sum_at_least", "sum_equals", "product_even", "difference"))
        t = _threshold(rng, event, sides)
        good, total = _dice_count(event, t, sides, given)
        if 0 < good < total and event != given[0]:
            break
    condition = DICE_EVENTS[given[0]].format(t=given[1], s=sides)
    return Made(
        f"{_dice_intro(sides)} Given that {condition}, what is the probability that "
        f"{DICE_EVENTS[event].format(t=t, s=sides)}?", _gold(Fraction(good, total)), FRACTION,
        [f"Restrict to the {total} ordered outcomes where {condition}", f"{good} of those also satisfy the event",
         f"P = {_p(good, total)}"], data={"event": event, "t": t, "given": list(given), "sides": sides},
    )


# --------------------------------------------------------------------------------------- coins


def make_coins(rng: random.Random, config: ProbabilityConfig) -> Made:
    n = rng.randint(3, 5 + config.size)
    k = rng.randint(1, n - 1)
    return Made(
        f"A fair coin is flipped {n} times. What is the probability of getting exactly {k} heads?",
        _gold(Fraction(comb(n, k), 2**n)), FRACTION,
        [f"C({n}, {k}) = {comb(n, k)} of the 2^{n} = {2**n} sequences", f"P = {_p(comb(n, k), 2**n)}"],
        data={"n": n, "k": k, "at_least": False},
    )


def make_coins_at_least(rng: random.Random, config: ProbabilityConfig) -> Made:
    n = rng.randint(4, 6 + config.size)
    k = rng.randint(2, n - 1)
    good = sum(comb(n, j) for j in range(k, n + 1))
    return Made(
        f"A fair coin is flipped {n} times. What is the probability of getting at least {k} heads?",
        _gold(Fraction(good, 2**n)), FRACTION,
        [" + ".join(f"C({n}, {j})" for j in range(k, n + 1)) + f" = {good} favourable sequences of {2**n}",
         f"P = {_p(good, 2**n)}"], data={"n": n, "k": k, "at_least": True},
    )


# --------------------------------------------------------------------------------------- cards

_SUITS = ("hearts", "diamonds", "clubs", "spades")
_RANKS = ("ace", "2", "3", "4", "5", "6", "7", "8", "9", "10", "jack", "queen", "king")
DECK = "A standard 52-card deck has 4 suits (hearts and diamonds are red, clubs and spades are black) of 13 ranks (ace, 2-10, jack, queen, king)."
CARD_SETS: dict[str, str] = {
    "heart": "a heart", "red": "a red card", "face": "a face card (jack, queen or king)", "ace": "an ace",
    "spade": "a spade", "high": "a card of rank 10 or higher (10, jack, queen, king)",
}


def card_in(name: str, rank: int, suit: int) -> bool:
    """Whether the card (rank index 0..12 from ace, suit index 0..3) belongs to the named set."""
    return {
        "heart": suit == 0, "red": suit in (0, 1), "face": rank >= 10, "ace": rank == 0, "spade": suit == 3,
        "high": rank >= 9,
    }[name]


_CARDS = [(r, s) for s in range(4) for r in range(13)]


def make_one_card(rng: random.Random, config: ProbabilityConfig) -> Made:
    while True:
        a, b = rng.sample(sorted(CARD_SETS), 2)
        both = sum(card_in(a, r, s) and card_in(b, r, s) for r, s in _CARDS)
        if both:  # overlapping events: the point is not to double count
            break
    na = sum(card_in(a, r, s) for r, s in _CARDS)
    nb = sum(card_in(b, r, s) for r, s in _CARDS)
    good = na + nb - both
    return Made(
        f"{DECK} One card is drawn at random. What is the probability that it is {CARD_SETS[a]} or {CARD_SETS[b]} (or both)?",
        _gold(Fraction(good, 52)), FRACTION,
        [f"{na} + {nb} - {both} (counted twice) = {good} cards", f"P = {_p(good, 52)}"], data={"sets": [a, b]},
    )


def make_two_cards(rng: random.Random, config: ProbabilityConfig) -> Made:
    what = rng.choice(("both", "pair", "at_least_one"))
    name = rng.choice(("heart", "face", "ace", "red"))
    n = sum(card_in(name, r, s) for r, s in _CARDS)
    if what == "both":
        value = Fraction(comb(n, 2), comb(52, 2))
        text = f"both cards are {CARD_SETS[name].split(' ', 1)[1]}s" if name != "face" else "both cards are face cards"
        steps = [f"C({n}, 2) = {comb(n, 2)} of the C(52, 2) = {comb(52, 2)} pairs", f"P = {_p(comb(n, 2), comb(52, 2))}"]
    elif what == "pair":
        value = Fraction(13 * comb(4, 2), comb(52, 2))
        text, name = "the two cards have the same rank", ""
        steps = [f"13 ranks × C(4, 2) = {13 * comb(4, 2)} same-rank pairs of {comb(52, 2)}", f"P = {_p(13 * comb(4, 2), comb(52, 2))}"]
    else:
        value = 1 - Fraction(comb(52 - n, 2), comb(52, 2))
        text = f"at least one of the two cards is {CARD_SETS[name]}"
        steps = [f"Complement: neither is: C({52 - n}, 2) = {comb(52 - n, 2)} of {comb(52, 2)}", f"P = 1 - {_p(comb(52 - n, 2), comb(52, 2))} = {value}"]
    return Made(
        f"{DECK} Two cards are drawn at random without replacement. What is the probability that {text}?",
        _gold(value), FRACTION, steps, (f"math/probability/cards/{what}",), data={"what": what, "set": name},
    )


# --------------------------------------------------------------------------------------- urns


def _urn(rng: random.Random, colours: int, size: int) -> dict[str, int]:
    return {c: rng.randint(2, 3 + 2 * size) for c in _COLOURS[:colours]}  # >= 2 each: "both red" is possible


def _describe(urn: dict[str, int]) -> str:
    parts = [f"{n} {c}" for c, n in urn.items()]
    return ", ".join(parts[:-1]) + f" and {parts[-1]} balls"


def make_urn_one(rng: random.Random, config: ProbabilityConfig) -> Made:
    urn = _urn(rng, 3, config.size)
    total = sum(urn.values())
    colour = rng.choice(list(urn))
    negate = rng.random() < 0.5
    good = total - urn[colour] if negate else urn[colour]
    return Made(
        f"An urn holds {_describe(urn)}. One ball is drawn at random. What is the probability that it is "
        f"{'not ' if negate else ''}{colour}?", _gold(Fraction(good, total)), FRACTION,
        [f"{good} of the {total} balls qualify", f"P = {_p(good, total)}"], data={"urn": urn, "colour": colour, "negate": negate},
    )


def make_urn_two(rng: random.Random, config: ProbabilityConfig) -> Made:
    urn = _urn(rng, rng.randint(2, 3), config.size)
    total = sum(urn.values())
    what = rng.choice(("same", "different", "both"))
    pairs = comb(total, 2)
    same = sum(comb(n, 2) for n in urn.values())
    if what == "same":
        good, text = same, "both balls have the same colour"
        steps = [" + ".join(f"C({n}, 2)" for n in urn.values()) + f" = {same} same-colour pairs of C({total}, 2) = {pairs}"]
    elif what == "different":
        good, text = pairs - same, "the two balls have different colours"
        steps = [f"Complement of same colour: {pairs} - {same} = {pairs - same} of {pairs} pairs"]
    else:
        colour = rng.choice(list(urn))
        good, text = comb(urn[colour], 2), f"both balls are {colour}"
        steps = [f"C({urn[colour]}, 2) = {good} of C({total}, 2) = {pairs} pairs"]
    return Made(
        f"An urn holds {_describe(urn)}. Two balls are drawn at random without replacement. What is the "
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


def make_draws_until_red(rng: random.Random, config: ProbabilityConfig) -> Made:
    red, other = rng.randint(1, 5), rng.randint(3, 6 + 2 * config.size)
    value = Fraction(red + other + 1, red + 1)
    return Made(
        f"A box holds {red} red and {other} white balls. Balls are drawn one at a time at random without "
        "replacement until the first red ball appears. What is the expected number of balls drawn (including "
        "the red one)?", _gold(value), EXPECTED,
        [f"The {other} white balls fall into {red + 1} equally likely gaps around the red balls; each white ball "
         f"precedes the first red with probability 1/{red + 1}", f"E = 1 + {other}/{red + 1} = {value}"],
        data={"red": red, "other": other},
    )


# --------------------------------------------------------------------------------------- games


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
    players = rng.randint(2, 3)
    position = rng.randint(1, players)
    sides = rng.choice(DICE_SIDES)
    faces = rng.randint(1, 2)
    p = Fraction(faces, sides)
    q = 1 - p
    value = q ** (position - 1) * p / (1 - q**players)
    names = ["Ann", "Bo", "Cy"][:players]
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
    k = rng.randint(3, 5)
    sides = rng.choice((6, 8, 10, 12, 20))
    distinct = perm(sides, k)
    value = 1 - Fraction(distinct, sides**k)
    return Made(
        f"{k} fair {sides}-sided dice are rolled. What is the probability that at least two of them show the same number?",
        _gold(value), FRACTION,
        [f"All different: {sides}·" + "·".join(str(sides - i) for i in range(1, k)) + f" = {distinct} of {sides}^{k} = {sides**k}",
         f"P = 1 - {_p(distinct, sides**k)} = {value}"], data={"k": k, "sides": sides},
    )


def make_medical_test(rng: random.Random, config: ProbabilityConfig) -> Made:
    prevalence = Fraction(1, rng.choice((10, 20, 25, 50, 100)))
    sensitivity = Fraction(rng.choice((80, 85, 90, 95, 99)), 100)
    false_positive = Fraction(rng.choice((1, 2, 5, 10)), 100)
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
    k = rng.randint(2, 4)
    sides = rng.choice(DICE_SIDES)
    terms = [Fraction(m**k - (m - 1) ** k, sides**k) for m in range(1, sides + 1)]
    value = sum((m * t for m, t in zip(range(1, sides + 1), terms)), Fraction(0))
    return Made(
        f"{k} fair {sides}-sided dice (faces 1 to {sides}) are rolled. What is the expected value of the largest number shown?",
        _gold(value), EXPECTED,
        [f"P(max = m) = (m^{k} - (m - 1)^{k}) / {sides}^{k}",
         "E = " + " + ".join(f"{m}·{m**k - (m - 1) ** k}" for m in range(1, sides + 1)) + f" / {sides**k} = {value}"],
        data={"k": k, "sides": sides},
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
