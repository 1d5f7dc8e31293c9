"""The faithfulness checkers on their own: values, typed answers, claims, grounding totality."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vrgym.verifiers.faithfulness import (
    FactBase,
    answer_matches,
    find_unsupported,
    says_not_stated,
)
from vrgym.verifiers.faithfulness.claims import extract_claims
from vrgym.verifiers.faithfulness.values import (
    DateValue,
    Quantity,
    parse_date,
    parse_quantity,
    words_value,
)

from tests.tasks.faithfulness.handmade import metadata

BASE = FactBase.from_metadata(metadata("When was Velto Systems founded?", absent=["Tarn Foods"]))


@pytest.mark.parametrize(
    ("text", "value"),
    [("three hundred and forty", 340), ("twenty-one", 21), ("a million", 1_000_000), ("two thousand and four", 2004),
     ("twelve thousand four hundred", 12_400), ("five three", None), ("twenty twelve", None), ("hundred", None), ("and", None)],
)  # fmt: skip
def test_number_words(text: str, value: int | None) -> None:
    assert words_value(text) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [("340", Quantity(Fraction(340))), ("340 employees", Quantity(Fraction(340), "staff")),
     ("$2.4 million", Quantity(Fraction(2_400_000), "money")), ("3500 grams", Quantity(Fraction(7, 2), "mass")),
     ("fourteen years", Quantity(Fraction(14), "duration")), ("12,400 residents", Quantity(Fraction(12_400), "population")),
     ("USD 1,250", Quantity(Fraction(1250), "money")), ("lorem 340", None), ("340 or 350", None), ("3.5.1", None), ("", None)],
)  # fmt: skip
def test_parse_quantity(text: str, expected: Quantity | None) -> None:
    assert parse_quantity(text) == expected


def test_loose_people_count_matches_staff_and_residents_but_units_do_not_mix() -> None:
    people = Quantity(Fraction(340), "people")
    assert people.matches(Quantity(Fraction(340), "staff")) and people.matches(Quantity(Fraction(340), "population"))
    assert not Quantity(Fraction(340), "staff").matches(Quantity(Fraction(340), "population"))
    assert not Quantity(Fraction(340), "mass").matches(Quantity(Fraction(340), "money"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12 March 2004", DateValue(2004, 3, 12)), ("March 12, 2004", DateValue(2004, 3, 12)), ("2004-03-12", DateValue(2004, 3, 12)),
     ("the 12th of March 2004", DateValue(2004, 3, 12)), ("25/03/2004", DateValue(2004, 3, 25)), ("03/04/2004", None),
     ("March 2004", DateValue(2004, 3)), ("in 1987", DateValue(1987)), ("31 February 2004", None), ("1987 or 1989", None)],
)  # fmt: skip
def test_parse_date(text: str, expected: DateValue | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["not stated", "Not mentioned in the document.", "The document does not say", "the text doesn't mention it", "unknown",
     "cannot be determined", "There is no information in the document", "N/A", "not given"],
)  # fmt: skip
def test_not_stated_phrasings(text: str) -> None:
    assert says_not_stated(text)


@pytest.mark.parametrize("text", ["not 1987", "1989, but not stated", "unknown, probably 1987", "stated", "Brask"])
def test_not_stated_needs_the_whole_answer(text: str) -> None:
    assert not says_not_stated(text)


def test_entity_answers_use_the_accept_list_only() -> None:
    gold = {"kind": "entity", "value": "Velto Systems", "accept": ["Velto"]}
    assert answer_matches("The Velto Systems.", gold)[0] and answer_matches("Velto's", gold)[0]
    assert not answer_matches("Systems", gold)[0] and not answer_matches("Velto Systems and Dask Metals", gold)[0]


def test_claims_read_dates_before_numbers() -> None:
    claims = extract_claims("The Kiro Pro was launched on 12 March 2004 and costs $1,250; Velto has 340 employees since 1987.")
    assert claims.dates == [DateValue(2004, 3, 12)]
    assert claims.years == [1987]
    assert Quantity(Fraction(1250), "money") in claims.quantities and Quantity(Fraction(340), "staff") in claims.quantities


@pytest.mark.parametrize(
    ("text", "supported"),
    [("Velto Systems was founded in 1987.", True), ("It was founded in 1989.", True),  # no entity named: any entity's value
     ("Velto Systems was founded in 1989.", False), ("The company that supplies Velto Systems was founded in 1989.", True),
     ("Holmby was founded in 1989.", False), ("Mara Quell and Orin Quell are siblings.", True),
     ("Ivo Sarn and Orin Quell are siblings.", False), ("Project Lantern is led by Ivo Sarn.", True),
     ("Project Lantern is led by Mara Quell.", False), ("Dask Metals supplies Velto Systems.", True),
     ("Velto Systems supplies Dask Metals.", False), ("Tarn Foods is not mentioned in the document.", True),
     ("Tarn Foods was founded in 1987.", False), ("The document does not say when Holmby was founded.", True),
     ("So, the answer follows from the second paragraph.", True), ("Zorvik Quell founded Velto Systems.", False),
     ("Brask is home to 12,400 people.", True), ("Brask is home to 12,500 people.", False),
     ("Velto Systems has nine hundred staff.", False), ("Velto Systems has three hundred and forty.", True),
     ("The two companies differ.", True), ("Velto Systems is 2 years older than Dask Metals.", False),
     ("Dask Metals was founded in 1989 and Velto Systems in 1987.", True), ("Adding Velto Systems and Dask Metals gives both.", True)],
)  # fmt: skip
def test_sentence_support(text: str, supported: bool) -> None:
    assert (find_unsupported(text, BASE) is None) == supported, find_unsupported(text, BASE)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_checkers_are_total(text: str) -> None:
    find_unsupported(text, BASE)
    extract_claims(text)
    parse_quantity(text)
    parse_date(text)
    for gold in ({"kind": "unanswerable"}, {"kind": "date", "value": "1987"}, {"kind": "quantity", "value": "3.5", "unit": "mass"}):
        answer_matches(text, gold)


def test_ten_megabytes_are_refused_quickly_and_long_text_is_linear() -> None:
    start = time.perf_counter()
    assert find_unsupported("Velto Systems was founded in 1987. " * 300_000, BASE) is not None  # over the checked size
    assert find_unsupported("Velto Systems was founded in 1987. " * 5_000, BASE) is None  # repeated sentences: judged once
    varied = " ".join(f"Velto Systems has {i} employees." for i in range(5_000))
    assert find_unsupported(varied, BASE) is not None
    assert time.perf_counter() - start < 2.0


def test_numbers_of_hundreds_or_thousands_of_digits_are_unsupported_not_errors() -> None:
    for digits in (400, 5_000):  # float() overflows past ~308 digits, int() refuses over 4300
        found = find_unsupported(f"Velto Systems has {'1' * digits} employees.", BASE)
        assert found is not None and "too large" in found.describe()
    assert extract_claims("1" * 5_000 + ".25 kg").quantities[0].value.denominator == 4


def test_values_are_masked_in_place_and_a_noun_still_reads_through_masked_numbers() -> None:
    # masking used to rebuild the sentence per value (quadratic: 400k characters of dates took ~16 s, now ~4 s)
    start = time.perf_counter()
    claims = extract_claims("2020-01-" * 10_000 + " a staff of 5 7,200")
    assert claims.quantities[-2:] == [Quantity(Fraction(5), "staff"), Quantity(Fraction(7200), "staff")]
    assert extract_claims("Its staff of 40" + " " * 35 + "9").quantities[-1] == Quantity(Fraction(9))  # 40 characters back only
    assert time.perf_counter() - start < 3.0
