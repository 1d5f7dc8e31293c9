"""Cheap refusal of answers that would make sympy hang or eat memory, before any parsing.

Math-Verify burns its whole 5 s timeout on `9^{9^{9^{9}}}` or `(10^{10})!`, and a SIGALRM cannot
interrupt a long big-integer multiplication in C. The worker's hard kill bounds the damage, but a
kill costs a process restart (~1 s) and the full timeout; these text rules cost microseconds and
catch every bomb shape we know of. A rule is relaxed when the gold itself has the feature (an
answer may carry a 40-digit number if the gold has one).

Trade-off, documented: an answer that is mathematically right but written as a bomb
(`4+10^{10^{10}}-10^{10^{10}}` for 4) scores 0 — no policy needs to write that.
"""

from __future__ import annotations

import re

MAX_ANSWER_CHARS = 300
"""Longest answer sent to sympy (or twice the gold's own length plus 100, if that is more)."""
MAX_DIGITS = 30
MAX_EXPONENT_DEPTH = 1
MAX_FACTORIAL = 1000
MAX_POWER = 10_000
MAX_POWER_PRODUCT = 100_000
"""Largest product of the exponents applied to numbers and bracketed groups, `(2^{100})^{50}` is 5000."""
MAX_NODES = 120

_DIGITS = re.compile(r"[0-9]+")
_HEAVY = re.compile(r"\\(?:int|iint|iiint|oint|sum|prod|lim|limsup|liminf|partial|Gamma|zeta)(?![A-Za-z])")
_FACTORIAL = re.compile(r"(?:(?P<n>[0-9]+)|(?P<group>[)}\]]))\s*!")
_POWER = re.compile(r"(?P<base>[0-9)}\]]?)\s*\^\s*(?:\{\s*(?P<braced>[+\-]?[0-9]+)\s*\}|(?P<bare>[0-9]))")
_TOKENS = re.compile(r"\\[A-Za-z]+|[0-9]+|[A-Za-z]|[^\s]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def exponent_depth(text: str) -> int:
    """Deepest nesting of `^` inside an exponent: `2^{3}` is 1, `2^{3^{4}}` is 2, `2^3^4` is 2."""
    deepest = 0
    stack: list[bool] = []  # for each open brace: was it opened as an exponent?
    depth = 0
    i = 0
    n = len(text)
    pending = False  # the last `^` is waiting for its argument
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n:
            i += 2
            continue
        if char == "^":
            if pending:
                depth += 1  # `2^^3`: odd, count it
            pending = True
            # a bare one-token exponent (2^3^4): count the chain
            j = i + 1
            while j < n and text[j] == " ":
                j += 1
            if j < n and text[j] != "{":
                depth_here = depth + 1
                k = j + 1
                while k < n and text[k] == " ":
                    k += 1
                if k < n and text[k] == "^":
                    depth_here += 1
                deepest = max(deepest, depth_here)
                pending = False
            i = j
            continue
        if char == "{":
            stack.append(pending)
            if pending:
                depth += 1
                deepest = max(deepest, depth)
            pending = False
        elif char == "}":
            if stack and stack.pop():
                depth -= 1
        elif char not in " ":
            pending = False
        i += 1
    return deepest


def _power_product(text: str) -> int:
    product = 1
    for match in _POWER.finditer(text):
        power = abs(int(match["braced"] or match["bare"]))
        if match["base"] and power > 1:
            product *= power
    return product


def prescreen(answer: str, gold_text: str) -> str | None:
    """Why `answer` must not reach sympy (a sentence for the verdict), or None if it may.

    `gold_text` is the gold's own LaTeX (its rendering), used to relax rules the gold breaks itself.
    """
    limit = max(MAX_ANSWER_CHARS, 2 * len(gold_text) + 100)
    if len(answer) > limit:
        return f"the answer is {len(answer)} characters long; a final answer here has at most {limit}"
    if _CONTROL.search(answer):
        return "the answer contains control characters"
    if len(_TOKENS.findall(answer)) > max(MAX_NODES, 3 * len(_TOKENS.findall(gold_text))):
        return "the answer is too long an expression; simplify it"
    gold_digits = max((len(d) for d in _DIGITS.findall(gold_text)), default=0)
    longest = max((len(d) for d in _DIGITS.findall(answer)), default=0)
    if longest > max(MAX_DIGITS, gold_digits + 2):
        return f"the answer has a {longest}-digit number; simplify it"
    if exponent_depth(answer) > max(MAX_EXPONENT_DEPTH, exponent_depth(gold_text)):
        return "the answer has nested exponents (a power tower); simplify it"
    product = 1
    for match in _POWER.finditer(answer):
        power = abs(int(match["braced"] or match["bare"]))
        if power > MAX_POWER:
            return f"the answer raises to the power {power}; simplify it"
        if match["base"] and power > 1:
            product *= power
    if product > MAX_POWER_PRODUCT and product > _power_product(gold_text):
        return "the answer stacks large powers (an enormous number); simplify it"
    largest = max((int(m["n"]) for m in _FACTORIAL.finditer(gold_text) if m["n"]), default=0)
    for match in _FACTORIAL.finditer(answer):
        if match["group"] is not None and "!" not in gold_text:
            return "the answer takes the factorial of an expression; simplify it"
        if match["n"] is not None and int(match["n"]) > max(MAX_FACTORIAL, 2 * largest):
            return f"the answer has {match['n']}!, too large to check; simplify it"
    heavy = set(_HEAVY.findall(answer)) - set(_HEAVY.findall(gold_text))
    if heavy:
        return f"the answer uses {', '.join(sorted(heavy))}, which the correct answer does not need; evaluate it"
    return None
