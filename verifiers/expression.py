"""Safe, exact parsing of arithmetic expressions written by a model (24-game, Countdown, …).

`parse_expression` reads one expression over non-negative number literals, the four binary
operations and brackets, evaluates it with `fractions.Fraction` (no float anywhere) and returns
its value together with the literals it used and the result of every operation. Templates then
check those against their own givens: the multiset of numbers, the target, rules on intermediate
results. There is no `eval`, no `ast`, no sympy: a hand-written tokenizer and a recursive-descent
parser whose work is bounded before it starts (length, bracket depth, literal count and digits
are all checked while scanning), so a megabyte of text or ten thousand nested brackets are refused
in microseconds.

Grammar (usual precedence: × and ÷ bind tighter than + and −; equal precedence is left to right):

    expression := term (("+" | "-") term)*
    term       := factor (("*" | "/") factor)*
    factor     := NUMBER | "(" expression ")"

Accepted spellings, all harmless: whitespace anywhere between tokens; `+`; `-`, `−` (U+2212) and
`–` (en dash) for minus; `*`, `×`, `x`, `X`, `·`, `⋅`, `∗` and LaTeX `\\times`/`\\cdot` for times;
`/`, `÷`, `∕` and `\\div` for division; `( )`, `[ ]`, `{ }` as brackets (matched by kind), with an
optional LaTeX `\\left`/`\\right` in front; one outer layer of `$…$`, `$$…$$`, `\\(…\\)` or `\\[…\\]`.
With `allow_result=True` the expression may end with `= NUMBER` (the claimed result, returned for
the caller to compare with its target).

Refused (`ExpressionError`, with a message saying what to change): a sign in front of a number or
bracket (no unary minus: every operation takes two operands), two operands in a row (`2(3+4)`,
`1 3` — no implicit multiplication, no digits joined across a space), leading zeros (`08`),
decimals unless `allow_decimals`, non-ASCII digits, powers, factorials, roots, functions, words,
unbalanced or mismatched brackets, division by zero, and anything over the limits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from numbers import Rational

MAX_LENGTH = 1_000
"""Default limit on the characters of an expression (the 24-game needs about 30)."""
MAX_DEPTH = 32
"""Default limit on bracket nesting; also bounds the parser's recursion."""
MAX_DIGITS = 30
"""Default limit on the digits of one literal."""
MAX_LITERALS = 64
"""Default limit on the number literals in one expression."""

_MINUS = "-\u2212\u2013"
_TIMES = "*\u00d7xX\u00b7\u22c5\u2217"
_DIVIDE = "/\u00f7\u2215"
_OPERATORS = {"+": "+", **dict.fromkeys(_MINUS, "-"), **dict.fromkeys(_TIMES, "*"), **dict.fromkeys(_DIVIDE, "/")}
"""Every accepted spelling of an operator → its canonical symbol."""
_OPENING = {"(": ")", "[": "]", "{": "}"}
_CLOSING = frozenset(_OPENING.values())
_LATEX_OPERATORS = {"times": "*", "cdot": "*", "div": "/"}
_LATEX_BRACKET_SIZES = frozenset({"left", "right"})
_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_SHOWN = 40


class ExpressionError(ValueError):
    """The text is not one well-formed expression within the limits (the message says why)."""


@dataclass(frozen=True)
class ParsedExpression:
    """An evaluated expression: its exact value, the literals it used and every intermediate result."""

    value: Fraction
    literals: tuple[Fraction, ...]
    """The number literals, in the order written."""
    intermediates: tuple[Fraction, ...]
    """The result of each operation in evaluation order (the last one is `value`); empty for a lone number."""
    claimed: Fraction | None = None
    """The number after a trailing `= …` (only with `allow_result=True`), else None."""

    def uses_exactly(self, numbers: Iterable[Rational]) -> bool:
        """True iff the literals are exactly the multiset `numbers` (each used once, none extra)."""
        return Counter(self.literals) == Counter(Fraction(n) for n in numbers)

    def uses_at_most(self, numbers: Iterable[Rational]) -> bool:
        """True iff every literal is one of `numbers`, each used no more often than it is given."""
        available = Counter(Fraction(n) for n in numbers)
        return all(available[value] >= count for value, count in Counter(self.literals).items())


@dataclass(frozen=True)
class _Token:
    kind: str
    """'num', 'op' (text is + - * /), 'open', 'close', 'eq' or 'end'."""
    text: str
    position: int
    value: Fraction | None = None


def parse_expression(
    text: str,
    *,
    max_length: int = MAX_LENGTH,
    max_depth: int = MAX_DEPTH,
    max_digits: int = MAX_DIGITS,
    max_literals: int = MAX_LITERALS,
    allow_decimals: bool = False,
    allow_result: bool = False,
) -> ParsedExpression:
    """Parse and evaluate `text` exactly; raise `ExpressionError` on anything else (never another exception)."""
    if not isinstance(text, str):
        raise ExpressionError(f"expected text, got {type(text).__name__}")
    if len(text) > max_length:
        raise ExpressionError(f"the expression is {len(text)} characters long; the limit is {max_length}")
    body = _strip_delimiters(text.strip())
    if not body:
        raise ExpressionError("the expression is empty")
    tokens = _tokenize(body, max_depth=max_depth, max_digits=max_digits, max_literals=max_literals,
                       allow_decimals=allow_decimals, allow_result=allow_result)  # fmt: skip
    return _Parser(tokens).parse()


def try_parse_expression(text: str, **limits: int | bool) -> ParsedExpression | None:
    """`parse_expression`, returning None instead of raising."""
    try:
        return parse_expression(text, **limits)  # type: ignore[arg-type]
    except ExpressionError:
        return None


# --------------------------------------------------------------------------------------- tokenizer


def _strip_delimiters(text: str) -> str:
    for opening, closing in _DELIMITERS:
        if len(text) >= len(opening) + len(closing) and text.startswith(opening) and text.endswith(closing):
            return text[len(opening) : len(text) - len(closing)].strip()
    return text


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")


def _tokenize(
    text: str, *, max_depth: int, max_digits: int, max_literals: int, allow_decimals: bool, allow_result: bool
) -> list[_Token]:
    """Linear scan into tokens; checks depth, literal count and digits as it goes."""
    tokens: list[_Token] = []
    depth = literals = 0
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif "0" <= char <= "9":
            token, i = _number(text, i, max_digits=max_digits, allow_decimals=allow_decimals)
            literals += 1
            if literals > max_literals:
                raise ExpressionError(f"the expression has more than {max_literals} numbers")
            tokens.append(token)
        elif char in _OPERATORS:
            tokens.append(_Token("op", _OPERATORS[char], i))
            i += 1
        elif char in _OPENING:
            depth += 1
            if depth > max_depth:
                raise ExpressionError(f"brackets are nested more than {max_depth} deep")
            tokens.append(_Token("open", char, i))
            i += 1
        elif char in _CLOSING:
            depth -= 1
            tokens.append(_Token("close", char, i))
            i += 1
        elif char == "=":
            if not allow_result:
                raise ExpressionError("write the expression only, without '=' and a result")
            tokens.append(_Token("eq", "=", i))
            i += 1
        elif char == "\\":
            i = _latex_command(text, i, tokens)
        elif char == ".":
            raise ExpressionError(f"unexpected '.' at position {i}: write whole numbers only, without decimals")
        else:
            raise ExpressionError(
                f"unexpected character {char!r} at position {i}: use numbers, + - * /, brackets and spaces only"
            )
    tokens.append(_Token("end", "", n))
    return tokens


def _number(text: str, start: int, *, max_digits: int, allow_decimals: bool) -> tuple[_Token, int]:
    """One unsigned literal starting at `start` (ASCII digits, optional exact decimal part)."""
    i = start
    while i < len(text) and "0" <= text[i] <= "9":
        i += 1
    whole = text[start:i]
    fraction = ""
    if allow_decimals and i + 1 < len(text) and text[i] == "." and "0" <= text[i + 1] <= "9":
        j = i + 1
        while j < len(text) and "0" <= text[j] <= "9":
            j += 1
        fraction, i = text[i + 1 : j], j
    if len(whole) + len(fraction) > max_digits:
        raise ExpressionError(f"a number with more than {max_digits} digits at position {start}")
    if len(whole) > 1 and whole[0] == "0":
        raise ExpressionError(f"the number {whole!r} has a leading zero; write it as {int(whole)}")
    value = Fraction(int(whole + fraction), 10 ** len(fraction))
    return _Token("num", text[start:i], start, value), i


def _latex_command(text: str, start: int, tokens: list[_Token]) -> int:
    """A LaTeX operator (`\\times`, `\\cdot`, `\\div`) or bracket size (`\\left(`); returns the next index."""
    i = start + 1
    while i < len(text) and text[i].isascii() and text[i].isalpha():
        i += 1
    name = text[start + 1 : i]
    if name in _LATEX_OPERATORS:
        tokens.append(_Token("op", _LATEX_OPERATORS[name], start))
        return i
    if name in _LATEX_BRACKET_SIZES:
        while i < len(text) and text[i].isspace():
            i += 1
        if i < len(text) and (text[i] in _OPENING or text[i] in _CLOSING):
            return i  # the bracket itself is the next token
        raise ExpressionError(f"\\{name} at position {start} must be followed by a bracket")
    raise ExpressionError(f"unsupported command {_shown(text[start:i] or text[start])} at position {start}")


# --------------------------------------------------------------------------------------- parser


class _Parser:
    """Recursive descent over the token list, evaluating as it goes (depth is bounded by the tokenizer)."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.literals: list[Fraction] = []
        self.intermediates: list[Fraction] = []

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def parse(self) -> ParsedExpression:
        value = self.expression()
        claimed = None
        if self.current.kind == "eq":
            self.index += 1
            if self.current.kind != "num" or self.tokens[self.index + 1].kind != "end":
                raise ExpressionError("'=' must be followed by a single number and nothing else")
            claimed = self.current.value
            self.index += 1
        if self.current.kind != "end":
            raise self.unexpected("an operator or the end of the expression")
        return ParsedExpression(value, tuple(self.literals), tuple(self.intermediates), claimed)

    def expression(self) -> Fraction:
        value = self.term()
        while self.current.kind == "op" and self.current.text in "+-":
            op = self.current.text
            self.index += 1
            right = self.term()
            value = value + right if op == "+" else value - right
            self.intermediates.append(value)
        return value

    def term(self) -> Fraction:
        value = self.factor()
        while self.current.kind == "op" and self.current.text in "*/":
            op = self.current.text
            self.index += 1
            right = self.factor()
            if op == "*":
                value = value * right
            elif right == 0:
                raise ExpressionError("division by zero")
            else:
                value = value / right
            self.intermediates.append(value)
        return value

    def factor(self) -> Fraction:
        token = self.current
        if token.kind == "num":
            self.index += 1
            assert token.value is not None
            self.literals.append(token.value)
            self._no_operand_follows()
            return token.value
        if token.kind == "open":
            self.index += 1
            value = self.expression()
            closing = self.current
            if closing.kind != "close":
                raise self.unexpected(f"{_OPENING[token.text]!r} to close the bracket opened at position {token.position}")
            if closing.text != _OPENING[token.text]:
                raise ExpressionError(
                    f"{closing.text!r} at position {closing.position} does not match {token.text!r} at position {token.position}"
                )
            self.index += 1
            self._no_operand_follows()
            return value
        if token.kind == "op" and token.text in "+-":
            raise ExpressionError(
                f"a sign in front of a number or bracket at position {token.position} is not allowed: "
                "every + - * / must stand between two operands"
            )
        raise self.unexpected("a number or '('")

    def _no_operand_follows(self) -> None:
        """Reject juxtaposition (`2(3)`, `(1)(2)`, `1 3`): implicit multiplication or joined digits."""
        following = self.current
        if following.kind in ("num", "open"):
            raise ExpressionError(
                f"two operands in a row at position {following.position}: put an operator between them "
                "(numbers cannot be joined and there is no implicit multiplication)"
            )

    def unexpected(self, wanted: str) -> ExpressionError:
        token = self.current
        found = "the end of the expression" if token.kind == "end" else repr(token.text)
        return ExpressionError(f"expected {wanted} at position {token.position}, found {found}")
