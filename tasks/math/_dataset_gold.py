"""Turn a dataset's answer text into a typed gold (`vrgym.verifiers.math.gold`), or refuse it.

Datasets store answers as free LaTeX (`\\frac{3}{4}`, `(-\\infty, 3]`, `2\\sqrt{3}`, `\\text{(B)}`,
`1,\\!234`). A wrong *kind* of gold is as bad as a wrong value: `(1, 2)` read as an interval
rejects the model's correct point. So this is a classifier that only says yes when it is sure,
and otherwise raises `RowSkip` with a reason the skip report shows:

* plain numbers (integer, fraction, exact decimal; a decimal the problem asked to round becomes a
  `decimal` gold with that many places); `25\\%` → percent;
* `\\text{(B)}` / `\\textbf{(B)}` / `(B)` → a choice, only when the problem lists lettered options;
* a short `\\text{…}` word answer (`\\text{Monday}`) → text; sentences and "proof" → skipped;
* `\\begin{pmatrix}…` → matrix; `\\{1, 2\\}` → set; `x = 3, y = 4` → named tuple;
* brackets: anything with `\\infty`, `\\cup`, mixed or square brackets → interval; `(a, b)` is
  ambiguous (a point or an open interval) and is decided by the problem's wording ("interval"
  vs "ordered pair"/"point"), else skipped; three or more items in parentheses → tuple;
* a bare list `-2, 3` → set only when the problem asks for all solutions/values separated by
  commas; `1,234` outside GSM8K/AIMO is ambiguous (a number or two answers) and skipped;
* a polynomial answer to "Expand …" / "Factor …" must also be written in that form;
* one `=` → equation; inequalities are skipped (the answer should be an interval);
* anything else must pass a whitelist of LaTeX tokens (digits, single-letter variables, + - ^ _,
  `\\frac`, `\\sqrt`, `\\pi`, trig and log names …) to become an `expression`; a run of three or
  more letters outside a command is prose and is skipped.

Nothing here imports sympy: classification is string work. Whether a gold is then understood
by the checker is proved separately (`_dataset_table` checks `check_math_answer(gold,
render_gold(gold))` before a row is used).
"""

from __future__ import annotations

import re

from vrgym.tasks.math._dataset_rows import RowSkip
from vrgym.verifiers.math import gold as G
from vrgym.verifiers.numbers import try_parse_exact_number

Gold = dict

MAX_ANSWER_CHARS = 300
"""Longer answer texts are not short final answers; they are skipped."""

_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_THOUSANDS_MARK = re.compile(r"(?<=[0-9])(?:\{,\}|,\\!|\\,|,\\,)(?=[0-9]{3}(?![0-9]))")
_SPACING = re.compile(r"(?<!\\)\\[!,;: ](?![A-Za-z])|\\quad|\\qquad|~")
_SIZING = re.compile(r"\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big|displaystyle|textstyle)(?![A-Za-z])")
_DFRAC = re.compile(r"\\[dt]frac(?![A-Za-z])")
_DEGREES = re.compile(r"\s*(?:\^\s*\{?\s*\\circ\s*\}?|\\degree|°)\s*$")
_CURRENCY = re.compile(r"^\\?\$\s*(?=[0-9.\-])")
_TEXT_WRAP = re.compile(r"\\(?:text|textbf|mathrm|mbox|textrm)\s*\{(?P<body>[^{}]*)\}")
_CHOICE = re.compile(r"\(?\s*(?P<letter>[A-E])\s*\)?")
_OPTION_IN_PROBLEM = re.compile(r"\(\s*([A-E])\s*\)|(?<![A-Za-z])([A-E])[.)]\s")
_TEXT_ANSWER = re.compile(r"[A-Za-z][A-Za-z'\-]*(?: [A-Za-z][A-Za-z'\-]*){0,2}")
_NOT_ANSWERS = frozenset({"proof", "notfound", "not found", "see solution", "see explanation", "n/a", "na", "none given",
                          "answer", "no answer", "unknown"})
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+")
_MATRIX = re.compile(r"\\begin\{([pbBvV]?matrix)\}(?P<body>.*)\\end\{\1\}", re.DOTALL)
_INEQUALITY = re.compile(r"\\(?:le|ge|leq|geq|neq|ne|lt|gt)(?![A-Za-z])|[<>≤≥≠]")
_PERCENT = re.compile(r"(?P<number>.+?)\s*(?:\\%|%|\\text\{\s*percent\s*\}|\s+percent)$")
_ROUNDING_WORDS = re.compile(r"nearest|round|decimal place|to the (?:tenth|hundredth|thousandth)", re.IGNORECASE)
_INTERVAL_WORDS = re.compile(r"interval", re.IGNORECASE)
_POINT_WORDS = re.compile(r"ordered (?:pair|triple|quadruple)|\bpoint\b|coordinates|\(\s*[a-z]\s*,\s*[a-z]\s*(?:,\s*[a-z]\s*)?\)", re.IGNORECASE)
_LIST_WORDS = re.compile(r"separated by commas|comma[- ]separated|all (?:the )?(?:real |possible |integer )?(?:solutions|values|roots|zeros)",
                         re.IGNORECASE)
_EXPAND_WORDS = re.compile(r"^\s*(?:Expand|Multiply out)\b|\bin expanded form\b", re.IGNORECASE)
_FACTOR_WORDS = re.compile(r"^\s*Factor(?:ise|ize)?\b(?! of)|\bfactor (?:it )?completely\b", re.IGNORECASE)
_COMMAND = re.compile(r"\\([A-Za-z]+)")
_ALLOWED_COMMANDS = frozenset({
    "frac", "sqrt", "pi", "cdot", "times", "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan",
    "log", "ln", "exp", "infty", "alpha", "beta", "gamma", "theta", "phi", "lambda", "mu", "omega", "sigma", "tau", "rho",
})
_EXPRESSION_CHARS = re.compile(r"[0-9A-Za-z+\-*/^_(){}\[\]., \\|!]*")
_WORDS = re.compile(r"[A-Za-z]{3,}")
_VARIABLE_LETTERS = re.compile(r"(?<![A-Za-z\\])[A-Za-z](?![A-Za-z])")
_GREEK_VARIABLES = ("alpha", "beta", "gamma", "theta", "phi", "lambda", "mu", "omega", "sigma", "tau", "rho")
_NAMED_VALUE = re.compile(r"(?P<name>[A-Za-z](?:_\{?[A-Za-z0-9]+\}?)?)\s*=\s*(?P<value>[^=]+)")


def infer_gold(answer_text: str, problem: str, *, commas_are_thousands: bool = False) -> Gold:
    """The typed gold for `answer_text` (a dataset's answer to `problem`), or `RowSkip` with the reason.

    `commas_are_thousands`: the dataset writes `1,234` for one thousand two hundred thirty-four
    (GSM8K, AIMO); elsewhere a grouped number is ambiguous with a two-element list.
    """
    text = normalise(answer_text)
    if not text:
        raise RowSkip("empty_answer", "the answer is empty")
    if len(text) > MAX_ANSWER_CHARS:
        raise RowSkip("not_an_answer", f"the answer is {len(text)} characters long, not a short final answer")
    if text.lower().strip(". ") in _NOT_ANSWERS:
        raise RowSkip("not_an_answer", f"{text[:40]!r} is a placeholder, not an answer")
    try:
        gold = _classify(text, problem, commas_are_thousands)
        if gold["kind"] == "expression" and gold["variables"] and (form := _asked_form(problem)) is not None:
            gold = G.expression(gold["latex"], gold["variables"], form=form)
        return gold
    except G.GoldError as exc:
        raise RowSkip("unparseable", f"{text[:60]!r}: {exc}") from None


def _asked_form(problem: str) -> str | None:
    """`expanded` / `factored` when the problem's instruction asks for that form of a polynomial."""
    if _EXPAND_WORDS.search(problem):
        return "expanded"
    if _FACTOR_WORDS.search(problem):
        return "factored"
    return None


def normalise(text: str) -> str:
    """Remove math delimiters, sizing and spacing commands, thousands marks and degree signs."""
    text = text.strip()
    for opening, closing in _DELIMITERS:
        if len(text) > len(opening) + len(closing) and text.startswith(opening) and text.endswith(closing):
            text = text[len(opening) : -len(closing)].strip()
            break
    text = _THOUSANDS_MARK.sub("", text)
    text = _SIZING.sub("", text)
    text = _SPACING.sub(" ", text)
    text = _DFRAC.sub(r"\\frac", text)
    text = _DEGREES.sub("", text)
    text = _CURRENCY.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(".").strip()  # a sentence's full stop, not part of the answer


# ----------------------------------------------------------------------------------- classification


def _classify(text: str, problem: str, commas_are_thousands: bool) -> Gold:
    number = _number(text, problem, commas_are_thousands)
    if number is not None:
        return number
    if (percent := _PERCENT.fullmatch(text)) is not None:
        value = try_parse_exact_number(percent.group("number"))
        if value is None:
            raise RowSkip("unparseable", f"{text!r} is a percentage of something that is not a plain number")
        return G.percent(value.value)
    wrapped = _TEXT_WRAP.fullmatch(text)
    if wrapped is not None or _CHOICE.fullmatch(text) or text.startswith("\\textbf{("):
        return _choice_or_text(text, wrapped.group("body").strip() if wrapped else text, problem)
    if (matrix := _MATRIX.fullmatch(text)) is not None:
        rows = [row for row in re.split(r"\\\\", matrix.group("body")) if row.strip()]
        return G.matrix([[_scalar(cell.strip(), problem) for cell in row.split("&")] for row in rows])
    if _INEQUALITY.search(text):
        raise RowSkip("unsupported", f"{text[:60]!r} is an inequality; only intervals, equations and values are read")
    if text.startswith("\\{") and text.endswith("\\}"):
        return G.set([_scalar(item, problem) for item in _items(text[2:-2])])
    if "\\infty" in text or "\\cup" in text:
        return G.interval(text)
    if text[:1] in "([" and text[-1:] in ")]" and _closes_at_end(text):
        return _bracketed(text, problem)
    parts = split_top(text)
    if len(parts) > 1:
        return _list(text, parts, problem)
    if text.count("=") == 1:
        return G.equation(text)
    return _scalar(text, problem)


def _number(text: str, problem: str, commas_are_thousands: bool) -> Gold | None:
    """A plain exact number, or None if `text` is not one."""
    if _GROUPED.fullmatch(text) and not commas_are_thousands:
        raise RowSkip("ambiguous", f"{text!r} is either a number with thousands separators or a list; this dataset does not say")
    parsed = try_parse_exact_number(text)
    if parsed is None:
        return None
    if parsed.form == "decimal" and parsed.value.denominator != 1 and _ROUNDING_WORDS.search(problem):
        places = len(text.split(".", 1)[1]) if "." in text else 0
        return G.decimal(text.replace(",", "").lstrip("+"), places)
    return G.rational(parsed.value)


def _choice_or_text(text: str, body: str, problem: str) -> Gold:
    letter = _CHOICE.fullmatch(body) or _CHOICE.fullmatch(re.sub(r"^\\textbf\{(\([A-E]\))\}.*$", r"\1", text))
    if letter is not None:
        options = sorted({a or b for a, b in _OPTION_IN_PROBLEM.findall(problem)})
        if letter.group("letter") in options and len(options) >= 2:
            return G.choice(letter.group("letter"), options)
        if len(body) == 1 and body.islower():
            return _scalar(body, problem)
        raise RowSkip("ambiguous", f"{text!r} looks like an option letter but the problem lists no lettered options")
    if body.lower() in _NOT_ANSWERS:
        raise RowSkip("not_an_answer", f"{body!r} is a placeholder, not an answer")
    if not _TEXT_ANSWER.fullmatch(body):
        raise RowSkip("not_an_answer", f"{text[:60]!r} is prose or mixed text, not a short answer")
    if text != f"\\text{{{body}}}" and not text.startswith(("\\text{", "\\mbox{", "\\textrm{", "\\mathrm{")):
        raise RowSkip("not_an_answer", f"{text[:60]!r} is formatted text, not an answer")
    return G.text(body)


def _bracketed(text: str, problem: str) -> Gold:
    """`(a, b)`, `[a, b]`, `(a, b, c)`: interval, tuple, or ambiguous."""
    items = _items(text[1:-1])
    if len(items) < 2:
        return _scalar(text, problem)
    round_both = text[0] == "(" and text[-1] == ")"
    if not round_both:
        if len(items) != 2:
            raise RowSkip("unparseable", f"{text!r} has square brackets but is not an interval of two endpoints")
        return G.interval(text)
    if len(items) == 2:
        wants_interval, wants_point = bool(_INTERVAL_WORDS.search(problem)), bool(_POINT_WORDS.search(problem))
        if wants_interval == wants_point:
            raise RowSkip("ambiguous", f"{text!r} can be a point or an open interval, and the problem does not say which")
        if wants_interval:
            return G.interval(text)
    return G.tuple([_scalar(item, problem) for item in items])


def _list(text: str, parts: list[str], problem: str) -> Gold:
    """A top-level comma list: `x = 1, y = 2` (named tuple) or `-2, 3` (a set, if the problem asks for all)."""
    named = [_NAMED_VALUE.fullmatch(part) for part in parts]
    if all(named):
        names = [m.group("name") for m in named]  # type: ignore[union-attr]
        if len(set(names)) == len(names):
            return G.tuple([_scalar(m.group("value").strip(), problem) for m in named], names=names)  # type: ignore[union-attr]
    if any(not part for part in parts):
        raise RowSkip("unparseable", f"{text!r} has an empty list item")
    if not _LIST_WORDS.search(problem):
        raise RowSkip("ambiguous", f"{text[:60]!r} lists several values but the problem does not ask for all solutions")
    return G.set([_scalar(part, problem) for part in parts])


def _scalar(text: str, problem: str) -> Gold:
    """One value: an exact number or a whitelisted LaTeX expression."""
    text = text.strip()
    if not text:
        raise RowSkip("unparseable", "an empty value inside the answer")
    parsed = try_parse_exact_number(text)
    if parsed is not None:
        return G.rational(parsed.value)
    if not _EXPRESSION_CHARS.fullmatch(text) or text.count("{") != text.count("}"):
        raise RowSkip("unparseable", f"{text[:60]!r} has characters or braces an expression answer cannot have")
    commands = set(_COMMAND.findall(text))
    unknown = sorted(commands - _ALLOWED_COMMANDS)
    if unknown:
        raise RowSkip("unparseable", f"{text[:60]!r} uses LaTeX commands not read as math here: {', '.join(unknown)}")
    bare = _COMMAND.sub(" ", text)
    if _WORDS.search(bare):
        raise RowSkip("not_an_answer", f"{text[:60]!r} contains words, not just a mathematical expression")
    letters = sorted(set(_VARIABLE_LETTERS.findall(bare)) - {"e", "i"})
    greek = [f"\\{name}" for name in _GREEK_VARIABLES if name in commands]
    return G.expression(text, variables=[*letters, *greek])


def split_top(text: str) -> list[str]:
    """`text` split at commas outside every bracket (`\\{ \\}` count as brackets)."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and text[i + 1 : i + 2] in ("{", "}"):
            depth += 1 if text[i + 1] == "{" else -1
            i += 2
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
        i += 1
    parts.append(text[start:].strip())
    return parts


def _items(inner: str) -> list[str]:
    return split_top(inner) if inner.strip() else []


def _closes_at_end(text: str) -> bool:
    """True if the bracket opening `text` is closed by its last character (not `(1)(2)`)."""
    depth = 0
    for position, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return position == len(text) - 1
    return False

