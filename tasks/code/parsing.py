"""`CodeParsing`: write a small parser (roman numerals, durations, versions, CSV fields, expressions).

Why: parsing code is full of rules that are easy to state and easy to get subtly wrong —
subtractive numerals, a unit given twice, `1.10` against `1.9`, a doubled quote inside a quoted
field, operators evaluated with or without precedence. Each seed draws the rule set (the units,
the delimiter and quote character, the pre-release rule, the precedence rule), so a model must
read the statement rather than recall a stock solution. Harder levels add CSV and expression
evaluation and longer inputs.

The reference solution is the oracle of the hidden expected outputs (see `_procedural`).
"""

from __future__ import annotations

import random
from typing import Any, ClassVar

from vrgym.registry import register
from vrgym.tasks.code._procedural import LOWER, FunctionCase, Maker, ProceduralConfig, ProceduralTemplate, code, pick

ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def to_roman(n: int) -> str:
    """Standard Roman numeral of 1 <= n <= 3999 (input generation only)."""
    out = []
    for value, letters in ROMAN:
        count, n = divmod(n, value)
        out.append(letters * count)
    return "".join(out)


def make_roman(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Roman numerals, one direction per seed; parsing returns 0 for a non-canonical numeral."""
    parse = rng.random() < 0.5
    if parse:
        name = pick(rng, ["roman_to_int", "parse_roman", "from_roman"])
        solution = code(
            """
            def $name(text: str) -> int:
                values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
                if not text or any(ch not in values for ch in text):
                    return 0
                total = 0
                for i, ch in enumerate(text):
                    value = values[ch]
                    total += -value if i + 1 < len(text) and values[text[i + 1]] > value else value
                canonical = []
                n = total
                for value, letters in $table:
                    count, n = divmod(n, value)
                    canonical.append(letters * count)
                return total if 1 <= total <= 3999 and "".join(canonical) == text else 0
            """,
            name=name, table=ROMAN,
        )
        statement = (
            f"Write `{name}(text)`, which converts a Roman numeral (upper-case I, V, X, L, C, D, M, standard subtractive "
            "notation: IV = 4, IX = 9, XL = 40, XC = 90, CD = 400, CM = 900) to its value in 1..3999. If `text` is not the "
            "canonical numeral of its value (empty, other characters, IIII, VX, IC, MMMM …), return 0."
        )
        numbers = [rng.randint(1, 3999) for _ in range(cfg.hidden)]
        inputs: list[list[Any]] = [[to_roman(rng.randint(1, 50))], [to_roman(rng.randint(51, 3999))], [""], ["IIII"], ["IC"], ["MMMCMXCIX"], ["iv"], ["VX"], ["XLIX"]]
        inputs += [[to_roman(n)] for n in numbers[: cfg.hidden // 2]]
        inputs += [[to_roman(n) + rng.choice(["I", "V", "X", "M", "C"])] for n in numbers[cfg.hidden // 2:]]
        return FunctionCase(statement, name, f"def {name}(text: str) -> int:", solution, inputs)
    name = pick(rng, ["int_to_roman", "to_roman", "roman_numeral"])
    lower = rng.random() < 0.3
    solution = code(
        """
        def $name(n: int) -> str:
            if not 1 <= n <= 3999:
                return ""
            out = []
            for value, letters in $table:
                count, n = divmod(n, value)
                out.append(letters * count)
            return "".join(out)$case
        """,
        name=name, table=ROMAN, case=".lower()" if lower else "",
    )
    statement = (
        f"Write `{name}(n)`, which returns the standard Roman numeral of n in {'lower' if lower else 'upper'} case, using "
        "subtractive notation (4 = IV, 9 = IX, 40 = XL, 90 = XC, 400 = CD, 900 = CM). For n outside 1..3999 return the empty string."
    )
    inputs = [[rng.randint(1, 50)], [rng.randint(51, 3999)], [0], [4], [3999], [4000], [-3], [1994], [444]]
    inputs += [[rng.randint(1, 3999)] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(n: int) -> str:", solution, inputs)


UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def make_duration(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Durations such as "1h30m" to seconds over a drawn unit set; malformed text gives -1."""
    units = {u: UNITS[u] for u in UNITS if u in "hms" or rng.random() < 0.5}
    name = pick(rng, ["parse_duration", "duration_seconds", "to_seconds", "span_to_seconds"])
    solution = code(
        """
        def $name(text: str) -> int:
            units = $units
            total, number, used = 0, "", set()
            for ch in text:
                if "0" <= ch <= "9":
                    number += ch
                elif ch in units and number and ch not in used:
                    total += int(number) * units[ch]
                    used.add(ch)
                    number = ""
                else:
                    return -1
            return total if text and not number else -1
        """,
        name=name, units=units,
    )
    listed = ", ".join(f"{u} = {v} seconds" for u, v in units.items())
    statement = (
        f"Write `{name}(text)`, which converts a duration such as \"1h30m\" to a number of seconds. The text is a sequence of "
        f"parts, each a decimal number (ASCII digits 0-9, leading zeros allowed) directly followed by a unit letter; the units are {listed}. "
        "Parts may come in any order, but each unit at most once. Return -1 if the text is empty or malformed (a unit twice, "
        "an unknown character or unit, spaces, upper case, a number without a unit, a unit without a number)."
    )
    letters = list(units)

    def duration(parts: int) -> str:
        chosen = rng.sample(letters, min(parts, len(letters)))
        return "".join(f"{rng.randint(0, 120)}{u}" for u in chosen)

    inputs: list[list[Any]] = [[duration(2)], [duration(3)], [""], ["90"], ["h"], ["1h1h"], ["1H"], ["0s"], ["007m"], ["2 h"], ["5x"]]
    for _ in range(cfg.hidden):
        text = duration(rng.randint(1, len(letters)))
        if rng.random() < 0.3:
            spot = rng.randrange(len(text) + 1)
            text = text[:spot] + rng.choice(["h", "7", " ", "y", "s", "-"]) + text[spot:]
        inputs.append([text])
    return FunctionCase(statement, name, f"def {name}(text: str) -> int:", solution, inputs)


def make_version_compare(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Compare dotted versions numerically; missing parts are 0; an optional pre-release label ranks lower."""
    name = pick(rng, ["compare_versions", "version_cmp", "cmp_release"])
    labels = rng.random() < 0.5
    solution = code(
        """
        def $name(a: str, b: str) -> int:
            def key(version):
                core, _, label = version.partition("-")
                parts = [int(p) for p in core.split(".")]
                while len(parts) > 1 and parts[-1] == 0:
                    parts.pop()
                return parts, (0, label) if label else (1, "")
            ka, kb = key(a), key(b)
            if not $labels:
                ka, kb = ka[0], kb[0]
            return (ka > kb) - (ka < kb)
        """,
        name=name, labels=labels,
    )
    label_rule = (" A version may end with a pre-release label, \"-\" followed by lower-case letters/digits (1.2-beta): it ranks "
                  "below the same version without a label, and two labels of equal versions compare as strings (alpha < beta)."
                  if labels else "")
    statement = (
        f"Write `{name}(a, b)`, which compares two version strings made of non-negative integers separated by dots and returns -1 "
        "if a < b, 0 if they are equal, 1 if a > b. Parts compare as numbers (1.10 > 1.9, 01 == 1), from left to right; a missing part "
        f"counts as 0 (1.2 == 1.2.0).{label_rule}"
    )

    def version() -> str:
        text = ".".join(str(rng.choice([0, 1, 2, 9, 10, rng.randint(0, 20)])) for _ in range(rng.randint(1, 4)))
        if labels and rng.random() < 0.3:
            text += "-" + rng.choice(["alpha", "beta", "rc1", "rc2"])
        return text

    inputs: list[list[Any]] = [[version(), version()], ["1.10", "1.9"], ["1.2", "1.2.0.0"], ["0", "0.0"], ["01.2", "1.02"], ["3", "2.99"]]
    if labels:
        inputs += [["1.0-rc1", "1.0"], ["2-beta", "2-alpha"], ["1.0.0-rc1", "1-rc1"]]
    for _ in range(cfg.hidden):
        a = version()
        inputs.append([a, a + rng.choice([".0", ".1", "", "-rc1" if labels else ".0.0"]) if rng.random() < 0.4 else version()])
    return FunctionCase(statement, name, f"def {name}(a: str, b: str) -> int:", solution, inputs)


def make_csv_fields(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Split one CSV-like line with a drawn delimiter and quote character (doubled quotes inside quotes)."""
    delimiter = rng.choice([",", ";", "|", "\t"])
    quote = rng.choice(['"', "'"])
    name = pick(rng, ["split_fields", "parse_record", "csv_fields", "split_line"])
    solution = code(
        """
        def $name(line: str) -> list[str]:
            fields, field, quoted, i = [], [], False, 0
            while i < len(line):
                ch = line[i]
                if quoted:
                    if ch == $quote and line[i + 1 : i + 2] == $quote:
                        field.append(ch)
                        i += 1
                    elif ch == $quote:
                        quoted = False
                    else:
                        field.append(ch)
                elif ch == $quote:
                    quoted = True
                elif ch == $delimiter:
                    fields.append("".join(field))
                    field = []
                else:
                    field.append(ch)
                i += 1
            fields.append("".join(field))
            return fields
        """,
        name=name, quote=repr(quote), delimiter=repr(delimiter),
    )
    shown = {"\t": "a tab character", ",": "a comma", ";": "a semicolon", "|": "a vertical bar |"}[delimiter]
    statement = (
        f"Write `{name}(line)`, which splits one record into its fields. Fields are separated by {shown} ({delimiter!r}). The "
        f"quote character {quote!r} toggles quoted mode: inside quotes the separator is an ordinary character, and two quote "
        "characters in a row stand for one literal quote character; the quote characters that open and close quoted mode are "
        "not part of the field. Spaces are kept as they are. An empty line is one empty field; n separators give n + 1 fields."
    )

    def field() -> str:
        word = "".join(rng.choice(LOWER[:6] + " ") for _ in range(rng.randint(0, 5)))
        roll = rng.random()
        if roll < 0.3:
            return quote + word.replace(" ", delimiter, 1).replace("a", quote * 2) + quote
        return word

    def line(n: int) -> str:
        return delimiter.join(field() for _ in range(n))

    q, d = quote, delimiter
    inputs: list[list[Any]] = [[line(3)], [f"x{d}{q}y{d}z{q}{d}"], [""], [d], [f"{q}{q}"], [f"{q}a{q}{q}b{q}"], [f"a{q}b{d}c{q}d{d}e"], [f" a {d} b "]]
    inputs += [[line(rng.randint(1, cfg.size // 4 + 1))] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(line: str) -> list[str]:", solution, inputs)


def make_expression(rng: random.Random, cfg: ProceduralConfig) -> FunctionCase:
    """Evaluate + - * with parentheses over integers, with usual precedence or strictly left to right."""
    precedence = rng.random() < 0.5
    name = pick(rng, ["evaluate", "calc", "eval_expression", "compute"])
    solution = code(
        """
        def $name(expression: str) -> int:
            tokens = []
            for ch in expression:
                if ch.isdigit() and tokens and isinstance(tokens[-1], int):
                    tokens[-1] = tokens[-1] * 10 + int(ch)
                elif ch.isdigit():
                    tokens.append(int(ch))
                elif ch in "+-*()":
                    tokens.append(ch)
            position = 0

            def atom():
                nonlocal position
                token = tokens[position]
                position += 1
                if token == "(":
                    value = expr()
                    position += 1
                    return value
                if token == "-":
                    return -atom()
                return token

            def term():
                nonlocal position
                value = atom()
                while $precedence and position < len(tokens) and tokens[position] == "*":
                    position += 1
                    value *= atom()
                return value

            def expr():
                nonlocal position
                value = term()
                while position < len(tokens) and tokens[position] in ("+", "-", "*"):
                    op = tokens[position]
                    position += 1
                    right = term()
                    value = value + right if op == "+" else value - right if op == "-" else value * right
                return value

            return expr()
        """,
        name=name, precedence=precedence,
    )
    rule = ("with the usual precedence: * binds tighter than + and -, and operators of equal precedence apply from left to right"
            if precedence else "with NO operator precedence: +, - and * all have the same precedence and apply strictly from left to right "
            "(so 2 + 3 * 4 is 20), except that parentheses are evaluated first")
    statement = (
        f"Write `{name}(expression)`, which evaluates an integer expression made of non-negative integer literals, the binary "
        f"operators +, - and *, a unary minus directly before a literal or a parenthesis, parentheses, and spaces anywhere between tokens, {rule}. "
        "The expression is always well formed; return the exact integer value."
    )

    def expression(size: int, depth: int = 0) -> str:
        parts = []
        for i in range(size):
            if depth < 4 and size > 2 and rng.random() < 0.25:
                atom = "(" + expression(rng.randint(2, 3), depth + 1) + ")"
            else:
                atom = str(rng.randint(0, 12))
            if rng.random() < 0.1:
                atom = "-" + atom
            parts.append(atom)
            if i < size - 1:
                parts.append(rng.choice([" + ", " - ", " * ", "+", "*"]))
        return "".join(parts)

    inputs: list[list[Any]] = [["2 + 3 * 4"], [expression(4)], ["7"], ["-(2+3)*2"], ["10 - 4 - 3"], ["(((5)))"], ["2*3+4*5"], ["0 * 9 - -3"]]
    inputs += [[expression(rng.randint(1, cfg.size // 3 + 2))] for _ in range(cfg.hidden)]
    return FunctionCase(statement, name, f"def {name}(expression: str) -> int:", solution, inputs, shown=3)


class CodeParsingConfig(ProceduralConfig):
    """Levels: numerals and durations, then versions and CSV, then expressions, then long inputs."""

    KINDS: ClassVar[tuple[str, ...]] = ("roman", "duration", "version_compare", "csv_fields", "expression")
    levels: ClassVar[dict[str, dict[str, Any]]] = {
        "easy": dict(kinds=("roman", "duration", "version_compare"), size=10, hidden=6),
        "medium": dict(kinds=("roman", "duration", "version_compare", "csv_fields"), size=20, hidden=8),
        "hard": dict(kinds=("duration", "version_compare", "csv_fields", "expression"), size=40, hidden=10),
        "expert": dict(kinds=("csv_fields", "expression"), size=150, hidden=12),
    }
    default_level: ClassVar[str | None] = "medium"


MAKERS: dict[str, Maker] = {
    "roman": make_roman, "duration": make_duration, "version_compare": make_version_compare,
    "csv_fields": make_csv_fields, "expression": make_expression,
}


@register
class CodeParsing(ProceduralTemplate):
    """Write a small parser in Python; hidden unit tests decide."""

    name = "CodeParsing"
    version = 0
    domain = "code"
    tags = ("code/parsing", "code/function")
    description = "Write a Python parser (Roman numerals, durations, version compare, CSV fields, expression evaluation)."
    Config = CodeParsingConfig
    kind_tag = "code/parsing"
    makers = MAKERS
