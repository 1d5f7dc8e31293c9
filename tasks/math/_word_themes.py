"""The story worlds of `MultiStepWordProblem`: who acts, on what, and how each kind of step is said.

A theme is an *accumulator*: one running amount (money in a wallet, muffins on a shelf, litres in
a tank, kilometres on a trip, boxes in a warehouse) that a sequence of events changes. Each event
kind has a fixed arithmetic meaning, defined once in `word_problems.py`; a theme only says it in
its own words. Keeping the wording here, as data, means a new theme is a new entry and cannot
change what any event computes.

Placeholders in the sentences: `{name}`, `{he}`/`{his}`/`{He}` (the actor's pronouns), `{k}` (an
amount of the theme's quantity, already formatted: `$12.50`, `36 muffins`), `{n}` and `{m}` (plain
counts), `{frac}` (`1/3`), `{pct}` (`20%`). A theme lists only the events that make sense for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class Theme:
    """One story world; see the module docstring for the placeholders."""

    key: str
    intro: str
    unit: str
    """Plural noun of the quantity in worked solutions ("muffins", "dollars", "litres")."""
    amount: str
    """How an amount is written in the story: "${}", "{} muffins", "{} km"."""
    money: bool
    quantum: Fraction
    """Every amount is a whole multiple of this (1 muffin, 1 cent, 1/2 litre)."""
    start: tuple[int, int, int]
    """(low, high, step) of the starting amount."""
    step: tuple[int, int, int]
    """(low, high, step) of an amount added or removed at once."""
    events: dict[str, tuple[str, ...]]
    question: str
    share_question: str = ""
    group_noun: tuple[str, str] = ("", "")
    """(singular, plural) of what `{m}` counts in group events, for the worked solution."""
    extra: dict[str, str] = field(default_factory=dict)


THEMES: tuple[Theme, ...] = (
    Theme(
        key="shopping",
        intro="{name} has {k} to spend at the market.",
        unit="dollars", amount="${}", money=True, quantum=Fraction(1, 100), start=(40, 300, 5), step=(3, 40, 1),
        events={
            "add": ("{He} sells an old bike to a neighbour for {k} and adds it to {his} money.",
                    "{His} aunt gives {him} {k}."),
            "sub": ("{He} spends {k} on a pair of shoes.", "{He} pays {k} for a bag of groceries."),
            "add_groups": ("{He} earns {k} an hour for {n} hours of gardening.",),
            "sub_groups": ("{He} buys {n} notebooks that cost {k} each.", "{He} buys {n} tickets at {k} each."),
            "fraction_off": ("{He} then spends {frac} of the money {he} has on a jacket.",),
            "percent_off": ("{He} then puts {pct} of the money {he} has into a savings account.",),
        },
        question="How many dollars does {name} have left?",
        share_question="{He} then splits all of {his} money equally among {n} gift cards. How many dollars go on each card?",
        group_noun=("hour", "hours"),
    ),
    Theme(
        key="bakery",
        intro="A bakery starts the day with {k}.",
        unit="muffins", amount="{} muffins", money=False, quantum=Fraction(1), start=(24, 240, 6), step=(5, 60, 1),
        events={
            "add": ("The baker takes another {k} out of the oven.",),
            "sub": ("A café buys {k}.", "Customers buy {k} before noon."),
            "add_groups": ("The baker bakes {n} more trays with {m} muffins on each tray.",),
            "sub_groups": ("The bakery fills {n} boxes of {m} muffins for a party order.",),
            "fraction_off": ("Then {frac} of the muffins on the shelf are sold to a school.",),
            "percent_off": ("Then {pct} of the muffins on the shelf are given to a food bank.",),
        },
        question="How many muffins does the bakery have now?",
        share_question="All the muffins are then packed equally into {n} crates. How many muffins are in each crate?",
        group_noun=("tray", "trays"),
    ),
    Theme(
        key="tank",
        intro="A water tank on a farm holds {k}.",
        unit="litres", amount="{} litres", money=False, quantum=Fraction(1, 2), start=(100, 900, 10), step=(10, 120, 5),
        events={
            "add": ("Rain adds {k} to the tank.",),
            "sub": ("The farmer uses {k} to water the garden.",),
            "add_groups": ("A pump then runs for {n} minutes, adding {m} litres each minute.",),
            "sub_groups": ("The farmer fills {n} troughs that hold {m} litres each.",),
            "fraction_off": ("Then {frac} of the water in the tank leaks out through a crack.",),
            "percent_off": ("Then {pct} of the water in the tank is drained for cleaning.",),
        },
        question="How many litres of water are in the tank now?",
        share_question="All the water is then poured equally into {n} barrels. How many litres go into each barrel?",
        group_noun=("minute", "minutes"),
    ),
    Theme(
        key="trip",
        intro="By 9 a.m. a delivery van has already been driven {k} today.",
        unit="kilometres", amount="{} km", money=False, quantum=Fraction(1), start=(10, 120, 1), step=(5, 60, 1),
        events={
            "add": ("It is then driven another {k} to the first customer.",),
            "add_groups": ("Next it is driven for {n} hours at a steady {m} km per hour.",),
            "times": ("By the end of the day the total distance it has been driven is {n} times the distance so far.",),
        },
        question="How many kilometres has the van been driven in total?",
        group_noun=("hour", "hours"),
    ),
    Theme(
        key="warehouse",
        intro="A warehouse has {k} in stock.",
        unit="boxes", amount="{} boxes", money=False, quantum=Fraction(1), start=(100, 900, 10), step=(10, 90, 1),
        events={
            "add": ("A truck delivers {k}.",),
            "sub": ("A store collects {k}.",),
            "add_groups": ("{n} more trucks arrive, each carrying {m} boxes.",),
            "sub_groups": ("Workers load {n} pallets of {m} boxes each onto a ship.",),
            "fraction_off": ("Then {frac} of the boxes in stock are sent to a second warehouse.",),
            "percent_off": ("Then {pct} of the boxes in stock are found damaged and thrown away.",),
            "times": ("After a big delivery the stock is {n} times what it was.",),
        },
        question="How many boxes are in the warehouse now?",
        share_question="All the boxes are then shared equally among {n} shops. How many boxes does each shop get?",
        group_noun=("pallet", "pallets"),
    ),
)
"""Every accumulator theme; the ages puzzles are built separately (they relate people, not amounts)."""

NAMES: tuple[tuple[str, str], ...] = (
    ("Maya", "she"), ("Liam", "he"), ("Ava", "she"), ("Noah", "he"), ("Zoe", "she"), ("Omar", "he"),
    ("Lena", "she"), ("Ravi", "he"), ("Chloe", "she"), ("Diego", "he"), ("Hana", "she"), ("Tom", "he"),
)
"""Actors and their pronoun; ages puzzles take several distinct ones."""

PRONOUNS = {"she": {"he": "she", "his": "her", "him": "her"}, "he": {"he": "he", "his": "his", "him": "him"}}
