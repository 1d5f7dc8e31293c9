"""The "NAME = value" list parser: forgiving about layout, strict about names and values, bounded."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vrgym.verifiers.assignment import (
    REASONS,
    AssignmentError,
    choice_value,
    digit_value,
    format_assignment,
    parse_assignment,
    try_parse_assignment,
)

LETTERS = ("A", "B", "C")
PEOPLE = ("Alice", "Bob", "Mary Ann")
ROLE = choice_value({"knight": "knight", "knave": "knave"}, articles=("a", "an"))


def letters(text: str, **options: object) -> dict[str, int]:
    return parse_assignment(text, LETTERS, digit_value, **options)  # type: ignore[arg-type]


def kind(text: str, names: tuple[str, ...] = LETTERS, reader: object = digit_value, **options: object) -> str:
    result = try_parse_assignment(text, names, reader, **options)  # type: ignore[arg-type]
    assert isinstance(result, AssignmentError), result
    return result.kind


@pytest.mark.parametrize(
    "text",
    [
        "A=1, B=2, C=3",
        "A = 1 , B = 2 , C = 3",
        "A=1;B=2;C=3",
        "A: 1\nB: 2\nC: 3",
        "A is 1, B is 2, C is 3",
        "c=3, a=1, b=2",  # any order, any case
        "A=1,\r\nB=2,\n\nC=3,",  # blank entries and a trailing separator
        "- A=1\n* B=2\n\u2022 C=3",  # bullets
        "A=1, B=2, C=3.",  # one trailing period
        "A=1, A=1, B=2, C=3",  # a repeated entry with the same value
        "  A\t=\t1 ,B=2,C=3  ",
    ],
)
def test_accepted_layouts(text: str) -> None:
    assert letters(text) == {"A": 1, "B": 2, "C": 3}


def test_result_is_in_name_order_with_the_callers_spelling() -> None:
    assert list(letters("C=3, B=2, A=1")) == ["A", "B", "C"]
    assert parse_assignment("alice is a KNIGHT; BOB: knave; mary   ann is an knave", PEOPLE, ROLE) == {
        "Alice": "knight",
        "Bob": "knave",
        "Mary Ann": "knave",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A=1, B=2", "missing"),
        ("A=1, B=2, C=3, D=4", "unknown"),
        ("A=1, B=2, C=3, AB=4", "unknown"),
        ("A=1, B=2, C=3, A=4", "conflict"),
        ("A=1, B=2, C=12", "value"),
        ("A=1, B=2, C=03", "value"),
        ("A=1, B=2, C=+3", "value"),
        ("A=1, B=2, C=-3", "value"),
        ("A=1, B=2, C=3.0", "value"),
        ("A=1, B=2, C=\uff13", "value"),  # fullwidth digit
        ("A=1, B=2, C=", "value"),
        ("A=1, B=2, C=3 or 4", "value"),
        ("A=1, B=2, C=3/4", "value"),
        ("A=1, B=2, C 3", "syntax"),
        ("A=1, B=2, =3", "syntax"),
        ("A=1 B=2 C=3", "value"),
        ("A=1. B=2; C=3", "value"),  # a period does not separate entries  # no entry separator: "1 B=2 C=3" is A's value
        ("The mapping: A=1, B=2, C=3", "unknown"),
        ("lorem ipsum A=1, B=2, C=3", "unknown"),
        ("A=1, B=2, C=3 dolor sit amet", "value"),
        ("9A=1, B=2, C=3", "unknown"),
        ("A\u200b=1, B=2, C=3", "unknown"),
        ("", "missing"),
        ("\x00", "syntax"),
    ],
)
def test_refused(text: str, expected: str) -> None:
    assert kind(text) == expected


def test_case_sensitive_names() -> None:
    assert kind("a=1, B=2, C=3", case_sensitive=True) == "unknown"
    assert letters("A=1, B=2, C=3", case_sensitive=True) == {"A": 1, "B": 2, "C": 3}


def test_partial_assignments_when_allowed() -> None:
    assert letters("B=2", require_all=False) == {"B": 2}


def test_role_reader_refuses_hedges_and_extras() -> None:
    base = "Bob: knave, Mary Ann: knight"
    for bad in ("knight or knave", "knight/knave", "knights", "not a knave", "a knight (I think)", "?", "the knight"):
        assert kind(f"Alice: {bad}, {base}", PEOPLE, ROLE) == "value", bad
    assert kind(f"Alice: knight, Alice: knave, {base}", PEOPLE, ROLE) == "conflict"
    assert kind(base, PEOPLE, ROLE) == "missing"
    assert kind(f"Alice Bob: knight, {base}", PEOPLE, ROLE) == "unknown"
    assert parse_assignment(f"Alice is an knight, {base}", PEOPLE, ROLE)["Alice"] == "knight"


def test_separator_is_the_first_one_and_is_must_stand_alone() -> None:
    names = ("Isis", "Chris", "Iris")
    reader = choice_value({"knight": 1, "knave": 0}, articles=("a",))
    assert parse_assignment("Isis is a knight, Chris: knave, Iris=knight", names, reader) == {"Isis": 1, "Chris": 0, "Iris": 1}
    assert kind("Isis a knight, Chris: knave, Iris=knight", names, reader) == "syntax"


def test_duplicate_names_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_assignment("A=1", ("A", "a"), digit_value)
    assert parse_assignment("A=1, a=2", ("A", "a"), digit_value, case_sensitive=True) == {"A": 1, "a": 2}


def test_format_round_trip() -> None:
    mapping = {"A": 7, "B": 0, "C": 3}
    assert letters(format_assignment(mapping)) == mapping
    people = {"Alice": "knight", "Bob": "knave", "Mary Ann": "knight"}
    assert parse_assignment(format_assignment(people, ": "), PEOPLE, ROLE) == people


@given(st.text(max_size=300))
def test_total_on_any_text(text: str) -> None:
    result = try_parse_assignment(text, LETTERS, digit_value)
    assert isinstance(result, (dict, AssignmentError))


@given(st.permutations(range(10)), st.sampled_from([", ", ";", "\n", " ; "]), st.sampled_from(["=", ": ", " is ", " = "]))
def test_any_layout_of_a_full_mapping(digits: list[int], joiner: str, separator: str) -> None:
    names = tuple("QWERTYUIOP")
    mapping = dict(zip(names, digits))
    assert parse_assignment(format_assignment(mapping, separator, joiner), names, digit_value) == mapping


@pytest.mark.parametrize(
    "text",
    [
        "A" * 19_999,
        "A=" * 9_999,
        "," * 19_999,
        "A is " * 3_999,
        " " * 19_999 + "=",
        "A=1\n" * 4_999,
        "x" * 2_000_000,
    ],
)
def test_bounded_time_on_hostile_text(text: str) -> None:
    start = time.perf_counter()
    result = try_parse_assignment(text, LETTERS, digit_value)
    assert time.perf_counter() - start < 1.0
    assert isinstance(result, (dict, AssignmentError))


def test_every_error_kind_has_a_verdict_reason() -> None:
    assert REASONS == {
        "syntax": "format",
        "value": "format",
        "too_long": "format",
        "unknown": "wrong_answer",
        "missing": "wrong_answer",
        "conflict": "hack:multiple_answers",
    }
    error = try_parse_assignment("A=1, A=2, B=3, C=4", LETTERS, digit_value)
    assert isinstance(error, AssignmentError) and error.reason == "hack:multiple_answers"
