"""Row layouts of code datasets: how a HumanEval, MBPP, APPS, CodeContests, LiveCodeBench or
KodCode row becomes a prompt, a `CodeSpec` of hidden tests and a reference solution.

Why one converter per layout: each dataset stores its tests differently — HumanEval a `check`
function of asserts, MBPP a list of assert lines, APPS/CodeContests/LiveCodeBench input/output
pairs (stdin/stdout, or function calls with `fn_name`), KodCode a pytest file. Every converter ends
in the same place: a `CodeSpec` whose expected values stay on the host (`spec_from_asserts` for
asserts; `StdioTest`/`CallTest` for I/O pairs). A row that cannot be turned into tests we trust
raises `RowSkip` with a short code and a reason, and is reported, never guessed at.

Dataset rows are trusted input (the dataset's own code); they are parsed with `ast` and
`json`, never executed here. Pickled columns (LiveCodeBench's compressed private tests) are read
with an unpickler that can only build plain strings, lists and dicts.
"""

from __future__ import annotations

import ast
import base64
import io
import json
import pickle
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vrgym.tasks._dataset_source import RowSkip
from vrgym.verifiers.code import CallTest, CodeSpec, StdioTest, spec_from_asserts

LAYOUTS: tuple[str, ...] = ("humaneval", "mbpp", "codecontests", "apps", "lcb", "kodcode")
LENGTH_LEVELS: tuple[tuple[str, int], ...] = (("short", 3), ("medium", 8), ("long", 10**9))
"""Levels by the reference solution's non-blank line count (HumanEval: 57/60/47 rows)."""
PYTHON3 = 3
"""CodeContests' language code of Python 3 solutions (1 is Python 2, 2 C++, 4 Java)."""


@dataclass(frozen=True)
class CodeItem:
    """What one usable row gives a template."""

    key: str
    """The row's own id (task_id, name, problem_id …), kept in metadata."""
    statement: str
    """The task text shown to the model (without the answer-format sentence)."""
    spec: CodeSpec
    solution: str
    """The reference program (full source), what `reference_response` shows."""
    level: str | None
    group: str | None = None


def detect_layout(columns: Sequence[str]) -> str:
    """The layout of a dataset from its column names."""
    have = set(columns)
    if {"prompt", "canonical_solution", "test", "entry_point"} <= have:
        return "humaneval"
    if "test_list" in have and "code" in have:
        return "mbpp"
    if {"description", "public_tests"} <= have:
        return "codecontests"
    if {"question", "input_output"} <= have:
        return "apps"
    if {"question_content", "public_test_cases"} <= have:
        return "lcb"
    if {"question", "solution", "test"} <= have:
        return "kodcode"
    raise ValueError(f"cannot tell the code dataset layout from the columns {sorted(have)}; set format= to one of "
                     f"{', '.join(LAYOUTS)}")


def convert(row: Mapping[str, Any], layout: str, max_tests: int) -> CodeItem:
    """The CodeItem of `row` in `layout`; RowSkip when it cannot be used."""
    return _CONVERTERS[layout](row, max_tests)


def length_level(solution: str) -> str:
    """`short`/`medium`/`long` by the reference's non-blank lines: a proxy when a dataset has no label."""
    lines = sum(1 for line in solution.splitlines() if line.strip())
    return next(name for name, most in LENGTH_LEVELS if lines <= most)


# ----------------------------------------------------------------------------------- helpers


def _text(row: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = row.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def _json(value: Any, what: str) -> Any:
    """A column that holds JSON as text (APPS, LiveCodeBench) or already as data (a parquet/HF row)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            raise RowSkip("bad_tests", f"the {what} column is not valid JSON") from None
    return value


def _parse(source: str, what: str) -> ast.Module:
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise RowSkip("bad_code", f"the {what} does not parse as Python ({type(exc).__name__}: {exc})") from None


def _functions(tree: ast.Module) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


def _signature(node: ast.FunctionDef) -> str:
    returns = f" -> {ast.unparse(node.returns)}" if node.returns is not None else ""
    return f"def {node.name}({ast.unparse(node.args)}){returns}:"


def _asserts_spec(test_source: str, entry: str, prelude: str = "") -> CodeSpec:
    try:
        return spec_from_asserts(test_source, entry, prelude=prelude)
    except ValueError as exc:
        raise RowSkip("bad_tests", str(exc)) from None


def _fence(code: str) -> str:
    return f"```python\n{code.strip()}\n```"


def _capped(tests: list[Any], max_tests: int) -> list[Any]:
    if not tests:
        raise RowSkip("no_tests", "the row has no test cases")
    return tests[:max_tests]


# ----------------------------------------------------------------------------------- HumanEval


def humaneval(row: Mapping[str, Any], max_tests: int) -> CodeItem:
    """HumanEval: a function stub + docstring; tests are `check(candidate)` asserts."""
    prompt, body, entry = _text(row, "prompt"), row.get("canonical_solution"), _text(row, "entry_point").strip()
    if not prompt.strip() or not entry:
        raise RowSkip("empty_problem", "the row has no prompt or no entry_point")
    if not isinstance(body, str) or not body.strip():
        raise RowSkip("no_solution", "the row has no canonical_solution")
    tree = _parse(prompt, "prompt")
    if entry not in _functions(tree):
        raise RowSkip("no_entry_point", f"the prompt defines no function {entry!r}")
    lines = prompt.splitlines(keepends=True)
    prelude = "".join(  # the prompt's imports and helper functions: everything but the stub itself
        "".join(lines[node.lineno - 1 - len(getattr(node, "decorator_list", [])) : node.end_lineno])
        for node in tree.body
        if not (isinstance(node, ast.FunctionDef) and node.name == entry) and not (
            isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))
    )
    spec = _asserts_spec(_text(row, "test"), entry, prelude)
    solution = prompt + body
    statement = (f"Complete the Python function `{entry}` below. Answer with the whole program: the imports and helper "
                 f"functions shown, and `{entry}` with its body.\n\n{_fence(prompt)}")
    return CodeItem(key=str(row.get("task_id", "")), statement=statement, spec=spec, solution=solution,
                    level=length_level(body))


# ----------------------------------------------------------------------------------- MBPP


def mbpp(row: Mapping[str, Any], max_tests: int) -> CodeItem:
    """MBPP (full or sanitized): text/prompt, reference `code`, `test_list` asserts (+ challenge tests)."""
    text, code = _text(row, "text", "prompt"), _text(row, "code")
    if not text.strip():
        raise RowSkip("empty_problem", "the row has no text")
    if not code.strip():
        raise RowSkip("no_solution", "the row has no reference code")
    tests = [t for t in list(row.get("test_list") or []) + list(row.get("challenge_test_list") or []) if isinstance(t, str) and t.strip()]
    tests = _capped(tests, max_tests)
    defined = _functions(_parse(code, "reference code"))
    called = [node.func.id for t in tests for node in ast.walk(_parse(t, "test"))
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in defined]
    if not called:
        raise RowSkip("no_entry_point", "no assert calls a function the reference code defines")
    entry = called[0]
    setup = row.get("test_setup_code") or ""
    imports = row.get("test_imports") or []
    header = "".join(f"{line}\n" for line in ([imports] if isinstance(imports, str) else list(imports)) if line.strip())
    spec = _asserts_spec(header + (setup + "\n" if isinstance(setup, str) and setup.strip() else "") + "\n".join(tests), entry)
    statement = (f"{text.strip()}\n\nWrite it as a Python function with this signature:\n\n    {_signature(defined[entry])}\n\n"
                 f"Your code should pass tests such as:\n\n    {tests[0].strip()}")
    return CodeItem(key=str(row.get("task_id", "")), statement=statement, spec=spec, solution=code, level=length_level(code))


# ----------------------------------------------------------------------------------- competitive programming


def _stdio_tests(inputs: Sequence[Any], outputs: Sequence[Any]) -> list[StdioTest]:
    if len(inputs) != len(outputs):
        raise RowSkip("bad_tests", f"{len(inputs)} test inputs but {len(outputs)} outputs")
    tests = []
    for given, wanted in zip(inputs, outputs):
        given = "\n".join(given) if isinstance(given, list) else given
        wanted = "\n".join(wanted) if isinstance(wanted, list) else wanted
        if not isinstance(given, str) or not isinstance(wanted, str):
            raise RowSkip("bad_tests", "a stdin/stdout test is not text")
        tests.append(StdioTest(stdin=given, expected=wanted))
    return tests


def _stdio_statement(text: str, tests: Sequence[StdioTest], shown: int) -> str:
    parts = [text.strip(), ("Write a Python 3 program that reads the input from standard input and prints the answer "
                            "to standard output.")]
    for number, test in enumerate(tests[:shown], 1):
        parts.append(f"Example {number}\n\nInput:\n{_block(test.stdin)}\nOutput:\n{_block(test.expected)}")
    return "\n\n".join(parts)


def _block(text: str) -> str:
    return "".join(f"    {line}\n" for line in (text.rstrip("\n") or " ").split("\n"))


def _difficulty_word(value: Any, names: Mapping[str, str]) -> str | None:
    return names.get(str(value).strip().lower()) if value is not None else None


def codecontests(row: Mapping[str, Any], max_tests: int) -> CodeItem:
    """DeepMind CodeContests: description, public/private/generated tests, solutions by language."""
    text = _text(row, "description")
    if not text.strip():
        raise RowSkip("empty_problem", "the row has no description")
    solutions = row.get("solutions") or {}
    python3 = [code for lang, code in zip(solutions.get("language", []), solutions.get("solution", [])) if lang == PYTHON3]
    if not python3:
        raise RowSkip("no_solution", "the row has no Python 3 solution to serve as the reference")
    tests: list[StdioTest] = []
    public = 0
    for column in ("public_tests", "private_tests", "generated_tests"):
        block = row.get(column) or {}
        found = _stdio_tests(block.get("input", []), block.get("output", []))
        public = len(found) if column == "public_tests" else public
        tests += found
    tests = _capped(tests, max_tests)
    rating = row.get("cf_rating") or 0
    level = ("easy" if rating < 1400 else "medium" if rating < 2000 else "hard") if rating else \
        _difficulty_word(row.get("difficulty"), {"1": "easy", "2": "medium", "3": "hard", "7": "easy", "8": "easy",
                                                 "9": "medium", "10": "medium", "11": "hard", "12": "hard"})
    limit = row.get("time_limit") or {}
    seconds = float(limit.get("seconds") or 0) + float(limit.get("nanos") or 0) / 1e9 if isinstance(limit, Mapping) else 0.0
    spec = CodeSpec(kind="stdio", tests=tests, test_seconds=min(10.0, max(2.0, 2 * seconds)))
    return CodeItem(key=str(row.get("name", "")), statement=_stdio_statement(text, tests, max(1, min(public, 2))), spec=spec,
                    solution=python3[0], level=level, group=str(row.get("source")) if row.get("source") is not None else None)


def _call_tests(inputs: Sequence[Any], outputs: Sequence[Any], unwrap: bool) -> list[CallTest]:
    if len(inputs) != len(outputs):
        raise RowSkip("bad_tests", f"{len(inputs)} call inputs but {len(outputs)} outputs")
    tests = []
    for args, wanted in zip(inputs, outputs):
        if not isinstance(args, list):
            raise RowSkip("bad_tests", "the arguments of a call test are not a list")
        if unwrap and isinstance(wanted, list) and len(wanted) == 1:
            wanted = wanted[0]  # APPS stores each call-based output wrapped in a one-element list
        tests.append(CallTest(args=args, expected=wanted))
    return tests


def _call_statement(text: str, starter: str, entry: str, tests: Sequence[CallTest], shown: int) -> str:
    parts = [text.strip()]
    parts.append(f"Complete this starter code:\n\n{_fence(starter)}" if starter.strip() else
                 f"Write a Python function named `{entry}`.")
    examples = [f"{entry.split('.')[-1]}({', '.join(json.dumps(a) for a in t.args)}) returns {json.dumps(t.expected)}"
                for t in tests[:shown]]
    if examples:
        parts.append("Examples:\n" + "\n".join(f"    {e}" for e in examples))
    return "\n\n".join(parts)


def apps(row: Mapping[str, Any], max_tests: int) -> CodeItem:
    """APPS: question, input_output JSON (stdio, or call-based with fn_name), solutions JSON, difficulty."""
    text = _text(row, "question")
    if not text.strip():
        raise RowSkip("empty_problem", "the row has no question")
    solutions = _json(row.get("solutions") or "[]", "solutions")
    if not isinstance(solutions, list) or not solutions or not isinstance(solutions[0], str):
        raise RowSkip("no_solution", "the row has no reference solution")
    io_spec = _json(row.get("input_output") or "{}", "input_output")
    if not isinstance(io_spec, dict):
        raise RowSkip("bad_tests", "input_output is not an object")
    level = _difficulty_word(row.get("difficulty"), {"introductory": "easy", "interview": "medium", "competition": "hard"})
    key = str(row.get("problem_id", ""))
    fn_name = io_spec.get("fn_name")
    if fn_name:
        tests = _capped(_call_tests(io_spec.get("inputs", []), io_spec.get("outputs", []), unwrap=True), max_tests)
        starter = _text(row, "starter_code")
        entry = f"Solution.{fn_name}" if "class Solution" in starter else str(fn_name)
        spec = CodeSpec(kind="call", entry_point=entry, tests=tests)
        return CodeItem(key=key, statement=_call_statement(text, starter, entry, tests, 1), spec=spec, solution=solutions[0],
                        level=level)
    tests = _capped(_stdio_tests(io_spec.get("inputs", []), io_spec.get("outputs", [])), max_tests)
    return CodeItem(key=key, statement=_stdio_statement(text, tests, 1), spec=CodeSpec(kind="stdio", tests=tests),
                    solution=solutions[0], level=level)


class _PlainUnpickler(pickle.Unpickler):
    """Builds only str/list/dict/int/float: `find_class` refuses every global, so no code can run."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from a dataset column")


def _lcb_cases(value: Any) -> list[dict[str, Any]]:
    """LiveCodeBench test cases: JSON text, or base64(zlib(pickle(JSON text))) for the private ones."""
    if isinstance(value, str) and value.strip() and value.strip()[0] not in "[{":
        try:
            raw = zlib.decompress(base64.b64decode(value, validate=False))
            value = _PlainUnpickler(io.BytesIO(raw)).load() if raw[:1] == b"\x80" else raw.decode("utf-8")
        except (ValueError, zlib.error, pickle.UnpicklingError, EOFError, UnicodeDecodeError) as exc:
            raise RowSkip("bad_tests", f"a compressed test column could not be read ({type(exc).__name__})") from None
    cases = _json(value if value not in (None, "") else "[]", "test cases")
    if not isinstance(cases, list) or not all(isinstance(c, dict) for c in cases):
        raise RowSkip("bad_tests", "test cases are not a list of objects")
    return cases


def lcb(row: Mapping[str, Any], max_tests: int) -> CodeItem:
    """LiveCodeBench: public/private test cases (stdin or functional), metadata.func_name, starter code.

    LiveCodeBench ships no reference solutions: a row needs a `solution` column (your own verified
    one) to become a problem here; rows without one are skipped as `no_solution`.
    """
    text = _text(row, "question_content")
    if not text.strip():
        raise RowSkip("empty_problem", "the row has no question_content")
    solution = _text(row, "solution")
    if not solution.strip():
        raise RowSkip("no_solution", "LiveCodeBench rows have no reference solution; add a `solution` column")
    public = _lcb_cases(row.get("public_test_cases"))
    cases = public + _lcb_cases(row.get("private_test_cases"))
    kinds = {c.get("testtype") for c in cases}
    if len(kinds) != 1 or kinds - {"stdin", "functional"}:
        raise RowSkip("bad_tests", f"test types {sorted(map(str, kinds))}; expected all 'stdin' or all 'functional'")
    level = _difficulty_word(row.get("difficulty"), {"easy": "easy", "medium": "medium", "hard": "hard"})
    key, group = str(row.get("question_id", "")), str(row.get("platform")) if row.get("platform") else None
    if kinds == {"stdin"}:
        tests = _capped(_stdio_tests([c.get("input") for c in cases], [c.get("output") for c in cases]), max_tests)
        return CodeItem(key=key, statement=_stdio_statement(text, tests, min(2, len(public))), spec=CodeSpec(kind="stdio", tests=tests),
                        solution=solution, level=level, group=group)
    meta = _json(row.get("metadata") or "{}", "metadata")
    name = meta.get("func_name") if isinstance(meta, dict) else None
    if not name:
        raise RowSkip("no_entry_point", "functional tests need metadata.func_name")
    try:  # each input line is one JSON argument; the output is one JSON value
        inputs = [[json.loads(line) for line in str(c.get("input", "")).split("\n") if line.strip()] for c in cases]
        outputs = [json.loads(str(c.get("output", ""))) for c in cases]
    except ValueError:
        raise RowSkip("bad_tests", "a functional test's input or output is not JSON") from None
    tests = _capped(_call_tests(inputs, outputs, unwrap=False), max_tests)
    starter = _text(row, "starter_code")
    entry = f"Solution.{name}" if "class Solution" in starter else str(name)
    return CodeItem(key=key, statement=_call_statement(text, starter, entry, tests, min(2, len(public))),
                    spec=CodeSpec(kind="call", entry_point=entry, tests=tests), solution=solution, level=level, group=group)


# ----------------------------------------------------------------------------------- KodCode


def kodcode(row: Mapping[str, Any], max_tests: int) -> CodeItem:
    """KodCode: question, solution, a pytest file (`from solution import f` + `def test_*():` asserts)."""
    text, solution, test = _text(row, "question"), _text(row, "solution"), _text(row, "test")
    if not text.strip():
        raise RowSkip("empty_problem", "the row has no question")
    if not solution.strip():
        raise RowSkip("no_solution", "the row has no reference solution")
    tree = _parse(test, "test file")
    imported = [alias.name for node in tree.body if isinstance(node, ast.ImportFrom) and node.module == "solution"
                for alias in node.names]
    if len(imported) != 1 or imported[0] == "*":
        raise RowSkip("unconvertible_tests", f"the tests import {imported or 'nothing'} from solution; one function is needed")
    entry = imported[0]
    defined = _functions(_parse(solution, "solution"))
    if entry not in defined:
        raise RowSkip("no_entry_point", f"the solution defines no function {entry!r} (classes are not supported)")
    kept: list[ast.stmt] = []
    tests: list[ast.FunctionDef] = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "solution":
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)) and any(a.name.split(".")[0] == "pytest" for a in node.names) or (
                isinstance(node, ast.ImportFrom) and node.module == "pytest"):
            continue
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            if node.decorator_list or node.args.args or node.args.vararg or node.args.kwonlyargs:
                raise RowSkip("unconvertible_tests", f"{node.name} uses pytest fixtures or decorators")
            tests.append(node)
            continue
        kept.append(node)
    if not tests:
        raise RowSkip("no_tests", "the test file has no test functions")
    if any(isinstance(n, ast.Name) and n.id == "pytest" for n in ast.walk(tree)):
        raise RowSkip("unconvertible_tests", "the tests use pytest helpers (raises, approx, …)")
    if all(isinstance(s, ast.Assert) for t in tests for s in t.body) and not kept:
        asserts = "\n".join(ast.unparse(s) for t in tests for s in t.body)
        spec = _asserts_spec(asserts, entry)
        if spec.kind == "call":
            spec = spec.model_copy(update={"tests": _capped(list(spec.tests), max_tests)})
    else:  # helpers or non-assert statements: run the test functions as a script against the strict proxy
        script = "\n\n".join([ast.unparse(n) for n in kept] + [ast.unparse(t) for t in tests] + [f"{t.name}()" for t in tests])
        spec = _asserts_spec(script, entry)
    difficulty = _difficulty_word(row.get("gpt_difficulty"), {"easy": "easy", "medium": "medium", "hard": "hard"})
    statement = f"{text.strip()}\n\nImplement this function (Python 3):\n\n    {_signature(defined[entry])}"
    return CodeItem(key=str(row.get("question_id", row.get("conversation_id", ""))), statement=statement, spec=spec,
                    solution=solution, level=difficulty, group=str(row.get("subset")) if row.get("subset") else None)


_CONVERTERS: dict[str, Callable[[Mapping[str, Any], int], CodeItem]] = {
    "humaneval": humaneval, "mbpp": mbpp, "codecontests": codecontests, "apps": apps, "lcb": lcb, "kodcode": kodcode,
}
