"""The safe expression parser: accepted spellings, refusals, exact values, literals, intermediates, bounded cost."""

from __future__ import annotations

import time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vrgym.verifiers.expression import (
    MAX_DEPTH,
    MAX_LENGTH,
    ExpressionError,
    ParsedExpression,
    parse_expression,
    try_parse_expression,
)

F = Fraction


def parse(text: str, **options: bool | int) -> ParsedExpression:
    return parse_expression(text, **options)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("8/(3-8/3)", F(24)),
        ("8 / (3 - 8 / 3)", F(24)),
        ("8 ÷ (3 − 8 ÷ 3)", F(24)),
        ("8 ∕ (3 – 8 ∕ 3)", F(24)),  # division slash and en dash
        ("2 * 3 + 4", F(10)),
        ("2 + 3 * 4", F(14)),
        ("2 × 3 x 4 X 1 · 1 ⋅ 1 ∗ 1", F(24)),
        ("10 - 4 - 3", F(3)),  # left to right
        ("10 - (4 - 3)", F(9)),
        ("12 / 3 / 2", F(2)),
        ("12 / (3 / 2)", F(8)),
        ("7 * 7 / (1 + 1)", F(49, 2)),
        ("[2 + 3] * {4}", F(20)),
        ("((((5))))", F(5)),
        ("  1\n+\t2  ", F(3)),
        ("$8 \\div \\left(3 - 8 \\div 3\\right)$", F(24)),
        ("\\(2 \\times 3 \\cdot 4\\)", F(24)),
        ("$$6*4$$", F(24)),
        ("\\[6*4\\]", F(24)),
        ("0 * 5", F(0)),
        ("100", F(100)),
    ],
)
def test_accepted_spellings(text: str, value: Fraction) -> None:
    assert parse(text).value == value


def test_literals_and_intermediates_in_evaluation_order() -> None:
    parsed = parse("8 / (3 - 8 / 3)")
    assert parsed.literals == (8, 3, 8, 3)
    assert parsed.intermediates == (F(8, 3), F(1, 3), F(24))
    assert parse("2 - 3 + 4").intermediates == (F(-1), F(3))  # as written: (2 - 3) + 4
    assert parse("3 / 2 * 4").intermediates == (F(3, 2), F(6))
    assert parse("2 + 3 * 4").intermediates == (F(12), F(14))
    assert parse("42").intermediates == ()
    assert parse("42").claimed is None


def test_claimed_result_only_when_allowed() -> None:
    parsed = parse("6 * 4 = 24", allow_result=True)
    assert (parsed.value, parsed.claimed) == (24, 24)
    assert parse("6 * 4 = 25", allow_result=True).claimed == 25  # reported; the caller compares
    with pytest.raises(ExpressionError, match="without '='"):
        parse("6 * 4 = 24")
    for text in ("6 * 4 = 20 + 4", "6 * 4 = 24 = 24", "6 * 4 =", "= 24", "24 = 6 * 4"):
        with pytest.raises(ExpressionError):
            parse(text, allow_result=True)


def test_decimals_only_when_allowed() -> None:
    assert parse("1.5 * 4", allow_decimals=True).value == 6
    assert parse("0.25 + 0.75", allow_decimals=True).literals == (F(1, 4), F(3, 4))
    with pytest.raises(ExpressionError, match="whole numbers only"):
        parse("1.5 * 4")


def test_multiset_helpers() -> None:
    parsed = parse("(3 + 3) * (8 - 8 / 2)")
    assert parsed.uses_exactly([3, 3, 8, 8, 2]) and parsed.uses_exactly([8, 2, 3, 8, 3])
    assert not parsed.uses_exactly([3, 8, 8, 2])  # 3 used twice but given once
    assert not parsed.uses_exactly([3, 3, 8, 8, 2, 1])  # 1 left out
    assert parsed.uses_at_most([3, 3, 8, 8, 2, 1])
    assert not parsed.uses_at_most([3, 8, 8, 2, 1])


# ------------------------------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("$$", "empty"),
        ("-1 + 25", "sign in front"),
        ("5 * -1", "sign in front"),
        ("+3 * 8", "sign in front"),
        ("-(1 - 25)", "sign in front"),
        ("2(3 + 4)", "two operands in a row"),
        ("(1 + 2)(3 + 4)", "two operands in a row"),
        ("(1 + 2) 3", "two operands in a row"),
        ("1 3 + 11", "two operands in a row"),  # no joining 1 and 3 into 13
        ("1\u00a03 + 11", "two operands in a row"),
        ("08 * 3", "leading zero"),
        ("00", "leading zero"),
        ("1 / (2 - 2)", "division by zero"),
        ("0 / 0", "division by zero"),
        ("2 ^ 3", "unexpected character"),
        ("2 ** 3", "expected a number"),
        ("4!", "unexpected character"),
        ("sqrt(16)", "unexpected character"),
        ("\\sqrt{16}", "unsupported command"),
        ("\\frac{8}{3}", "unsupported command"),
        ("１２ * 2", "unexpected character"),  # fullwidth digits
        ("١٢ * 2", "unexpected character"),  # Arabic-Indic digits
        ("½ * 48", "unexpected character"),
        ("((1 + 2)", "to close the bracket"),
        ("(1 + 2))", "expected an operator or the end"),
        ("(1 + 2]", "does not match"),
        ("1 +", "expected a number"),
        ("* 2", "expected a number"),
        ("()", "expected a number"),
        ("\\left 1", "must be followed by a bracket"),
        ("24 or 23", "unexpected character"),
        ("6 * 4, 8 * 3", "unexpected character"),
        ("6*4\n3*8", "two operands in a row"),
        ("1e3", "unexpected character"),
        ("$6*4", "unexpected character"),
        ("\x00", "unexpected character"),
        ("\ud800", "unexpected character"),
    ],
)
def test_refusals_say_why(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        parse(text)
    assert try_parse_expression(text) is None


def test_limits() -> None:
    with pytest.raises(ExpressionError, match="characters long"):
        parse("1" + " + 1" * MAX_LENGTH)
    assert parse("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH).value == 1
    with pytest.raises(ExpressionError, match="nested more than"):
        parse("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(ExpressionError, match="more than 30 digits"):
        parse("1" * 31)
    assert parse("9" * 30 + " * 2").value == 2 * (10**30 - 1)
    with pytest.raises(ExpressionError, match="more than 4 numbers"):
        parse("1 + 1 + 1 + 1 + 1", max_literals=4)
    with pytest.raises(ExpressionError, match="expected text"):
        parse_expression(b"1 + 1")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "(" * 10_000 + "1" + ")" * 10_000,
        "1+" * 500_000 + "1",
        "9" * 1_000_000,
        "(" * 999,
        "(" * 33 + "1" * 900,
        " " * 999,
        "\\left" * 150,
        "1 " * 499,
    ],
    ids=[
        "nested_10k", "one_megabyte_sum", "one_megabyte_digits", "open_brackets", "deep_then_digits", "spaces", "latex",
        "literals",
    ],  # fmt: skip
)
def test_hostile_input_is_refused_fast(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ExpressionError):
        parse(text)
    assert time.perf_counter() - start < 1.0  # generous: shared CI machines


def test_largest_accepted_input_is_cheap() -> None:
    """Within every limit, the worst product of huge literals is still evaluated quickly."""
    literals = [str(10**29 + 7919 * k) for k in range(32)]  # 30 digits each, pairwise different
    text = "".join(f"{n}{'*' if k % 2 else '/'}" for k, n in enumerate(literals))[:-1]
    assert len(text) <= MAX_LENGTH
    start = time.perf_counter()
    parsed = parse(text)
    assert len(parsed.literals) == 32 and parsed.value > 0
    assert time.perf_counter() - start < 1.0


# ------------------------------------------------------------------------------------- properties

_SPELLINGS = {"+": ["+"], "-": ["-", "−", "–"], "*": ["*", "×", "x", "\\times "], "/": ["/", "÷", "\\div "]}


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> tuple[str, Fraction | None]:
    """(text, exact value or None when some division is by zero) of a random well-formed expression."""
    if depth >= 4 or draw(st.booleans()):
        n = draw(st.integers(0, 10**6))
        return str(n), F(n)
    left_text, left = draw(expressions(depth + 1))
    right_text, right = draw(expressions(depth + 1))
    op = draw(st.sampled_from("+-*/"))
    spelling = draw(st.sampled_from(_SPELLINGS[op]))
    space = draw(st.sampled_from(["", " ", "\n"]))
    text = f"({left_text}){space}{spelling}{space}({right_text})"
    if left is None or right is None or (op == "/" and right == 0):
        return text, None
    value = left + right if op == "+" else left - right if op == "-" else left * right if op == "*" else left / right
    return text, value


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_random_expressions_evaluate_exactly(case: tuple[str, Fraction | None]) -> None:
    text, value = case
    if value is None:
        with pytest.raises(ExpressionError, match="division by zero"):
            parse(text)
    else:
        parsed = parse(text)
        assert parsed.value == value
        assert (parsed.intermediates[-1] if parsed.intermediates else parsed.literals[0]) == value
        assert len(parsed.intermediates) == len(parsed.literals) - 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789+-*/()[]{}=. x×÷−\\$\n")) | st.characters(), max_size=80))
def test_any_text_parses_or_raises_expression_error(text: str) -> None:
    try:
        parsed = parse(text, allow_result=True)
    except ExpressionError:
        return
    assert isinstance(parsed.value, Fraction)
