"""verifiers.grid: the layouts a digit grid may take, the errors it must report, and its bounds."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vrgym.verifiers.grid import format_digit_grid, parse_digit_grid

GRID4 = [[1, 2, 3, 4], [3, 4, 1, 2], [2, 1, 4, 3], [4, 3, 2, 1]]


@pytest.mark.parametrize(
    "text",
    [
        "1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1",
        "1234\n3412\n2143\n4321",
        "  1 2 | 3 4  \n3 4 | 1 2\n----+----\n2 1 | 4 3\n4 3 | 2 1\n",
        "1,2,3,4\n3,4,1,2\n2,1,4,3\n4,3,2,1",
        "\n\n1 2 3 4\r\n3 4 1 2\r\n\r\n2 1 4 3\r\n4 3 2 1\n\n",
        "```\n1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1\n```",
        "```text\n1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1\n```",
        "│1 2│3 4│\n│3 4│1 2│\n├───┼───┤\n│2 1│4 3│\n│4 3│2 1│",
        "1\t2\t3\t4\n3\u00a04\u30001 2\n2 1 4 3\n4 3 2 1",
        "12 34\n34 12\n==\n21 43\n43 21",
    ],
    ids=["spaces", "no_spaces", "bars_and_rule", "commas", "blank_lines_crlf", "fence", "fence_lang", "box_drawing",
         "unicode_spaces", "grouped_and_equals_rule"],
)  # fmt: skip
def test_harmless_layouts_parse(text: str) -> None:
    parsed = parse_digit_grid(text, 4)
    assert parsed.ok, parsed.error
    assert parsed.rows == GRID4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1 2 3 4\n3 4 1 2\n2 1 4 3", "found 3"),
        ("1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1\n1 2 3 4", "more than 4 rows"),
        ("1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1\n\n1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1", "more than 4 rows"),
        ("1 2 3 4 1\n3 4 1 2\n2 1 4 3\n4 3 2 1", "5 digits instead of 4"),
        ("1 2 3\n3 4 1 2\n2 1 4 3\n4 3 2 1", "3 digits instead of 4"),
        ("1 2 . 4\n3 4 1 2\n2 1 4 3\n4 3 2 1", "blank"),
        ("1 2 0 4\n3 4 1 2\n2 1 4 3\n4 3 2 1", "blank"),
        ("1 2 5 4\n3 4 1 2\n2 1 4 3\n4 3 2 1", "larger than 4"),
        ("1 2 ３ 4\n3 4 1 2\n2 1 4 3\n4 3 2 1", "not a digit"),
        ("1 2 ٣ 4\n3 4 1 2\n2 1 4 3\n4 3 2 1", "not a digit"),
        ("Row 1: 1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1", "not a digit"),
        ("The grid is\n1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1", "not a digit"),
        ("1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1\nso that is it", "more than 4 rows"),
        ("[1, 2, 3, 4]\n[3, 4, 1, 2]\n[2, 1, 4, 3]\n[4, 3, 2, 1]", "not a digit"),
        ("1 2 3 4 3 4 1 2 2 1 4 3 4 3 2 1", "16 digits instead of 4"),
        ("-1 2 3 4\n3 4 1 2\n2 1 4 3\n4 3 2 1", "not a digit"),
        ("", "found 0"),
        ("----\n|  |", "found 0"),
    ],
)  # fmt: skip
def test_errors_say_what_is_wrong(text: str, message: str) -> None:
    parsed = parse_digit_grid(text, 4)
    assert not parsed.ok and parsed.rows is None
    assert message in parsed.error


def test_nine_by_nine_with_box_separators() -> None:
    text = "\n".join(
        [
            "5 3 4 | 6 7 8 | 9 1 2",
            "6 7 2 | 1 9 5 | 3 4 8",
            "1 9 8 | 3 4 2 | 5 6 7",
            "------+-------+------",
            "8 5 9 | 7 6 1 | 4 2 3",
            "4 2 6 | 8 5 3 | 7 9 1",
            "7 1 3 | 9 2 4 | 8 5 6",
            "------+-------+------",
            "9 6 1 | 5 3 7 | 2 8 4",
            "2 8 7 | 4 1 9 | 6 3 5",
            "3 4 5 | 2 8 6 | 1 7 9",
        ]
    )
    parsed = parse_digit_grid(text, 9)
    assert parsed.ok and parsed.rows is not None
    assert parsed.rows[4] == [4, 2, 6, 8, 5, 3, 7, 9, 1]


def test_digit_range_follows_the_size() -> None:
    six = "\n".join(["1 2 3 4 5 6"] * 6)
    assert parse_digit_grid(six, 6).ok  # the parser reads digits; the rules are the template's business
    assert "larger than 6" in parse_digit_grid(six.replace("6", "7", 1), 6).error


def test_bounded_on_hostile_text() -> None:
    for text in ("1" * 400_000, "1 2 3 4\n" * 100_000, "|" * 300_000, "\n" * 300_000):
        start = time.perf_counter()
        parsed = parse_digit_grid(text, 9)
        assert not parsed.ok and "too long" in parsed.error
        assert time.perf_counter() - start < 1.0


def test_non_text_and_bad_sizes() -> None:
    assert not parse_digit_grid(None, 4).ok  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        parse_digit_grid("1", 10)


def square(n: int) -> st.SearchStrategy[list[list[int]]]:
    return st.lists(st.lists(st.integers(1, n), min_size=n, max_size=n), min_size=n, max_size=n)


@given(st.integers(1, 9).flatmap(square))
def test_format_then_parse_round_trips(rows: list[list[int]]) -> None:
    assert parse_digit_grid(format_digit_grid(rows), len(rows)).rows == rows


@given(st.text(alphabet="0123456789 .|-+\n,x", max_size=200))
def test_never_raises_and_only_accepts_digit_grids(text: str) -> None:
    parsed = parse_digit_grid(text, 4)
    if parsed.ok:
        assert parsed.rows is not None and len(parsed.rows) == 4
        assert all(len(row) == 4 and all(1 <= d <= 4 for d in row) for row in parsed.rows)
