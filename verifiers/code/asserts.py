"""`spec_from_asserts`: turn HumanEval/MBPP assert-style tests into a `CodeSpec`.

Why: assert-style tests hold their expected values in code, and code that runs next to the
candidate can be read, patched or fooled by an always-equal object. Where every assert has a
shape whose expected value is a literal, the test becomes a list of `CallTest`s: the inputs go
into the sandbox, the literal stays on the host. Recognised (inside `def check(candidate):` or at
top level with the entry point's own name, optionally with a message):

* `assert f(args) == LIT` (either side), `assert f(args) is True/False/None`,
* `assert f(args)` (→ True), `assert not f(args)` (→ False),
* `assert abs(f(args) - LIT) < TOL` (or `<=`), `assert math.isclose(f(args), LIT[, rel_tol=, abs_tol=])`;

with literal arguments made of JSON data (no tuples or sets: a call test's arguments are JSON, and
turning a tuple into a list could change what the function does). `assert True` lines, imports and
a top-level `METADATA = {...}` are ignored. Anything else (loops, helper variables, other shapes)
keeps the test as `kind="script"`: it then runs in the sandbox in a trusted process that reaches
the candidate only through the strict proxy of `driver.py`.

Parsing uses `ast` and `ast.literal_eval` on the dataset's own test code (trusted input), never on
model output.
"""

from __future__ import annotations

import ast
import math
from typing import Any

from vrgym.verifiers.code.spec import CallTest, CodeSpec

DEFAULT_ISCLOSE_REL = 1e-9


class _NotConvertible(Exception):
    """This assert (or statement) has no call-test equivalent; keep the whole test as a script."""


def spec_from_asserts(test_source: str, entry_point: str, *, prelude: str = "", float_tolerance: float = 1e-6) -> CodeSpec:
    """A `call` spec when every assert converts, else a `script` spec running `test_source` as is.

    Raises ValueError when `test_source` is not valid Python (a broken dataset row).
    """
    try:
        tree = ast.parse(test_source)
    except SyntaxError as exc:
        raise ValueError(f"the test code of {entry_point!r} does not parse ({exc}); fix the dataset row") from None
    try:
        tests, tolerance = _convert(tree, entry_point)
    except _NotConvertible:
        return CodeSpec(kind="script", entry_point=entry_point, script=test_source, prelude=prelude, float_tolerance=float_tolerance)
    if not tests:
        return CodeSpec(kind="script", entry_point=entry_point, script=test_source, prelude=prelude, float_tolerance=float_tolerance)
    return CodeSpec(
        kind="call",
        entry_point=entry_point,
        tests=tests,
        prelude=prelude,
        float_tolerance=max(float_tolerance, tolerance),
    )


def _convert(tree: ast.Module, entry_point: str) -> tuple[list[CallTest], float]:
    statements: list[tuple[ast.stmt, str]] = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["METADATA"]:
            continue
        if isinstance(node, ast.FunctionDef) and node.name == "check":
            params = [a.arg for a in node.args.args]
            if len(params) != 1 or node.decorator_list:
                raise _NotConvertible
            statements += [(s, params[0]) for s in node.body if not _is_docstring(s)]
            continue
        statements.append((node, entry_point))
    tests: list[CallTest] = []
    tolerance = 0.0
    for statement, callee in statements:
        if isinstance(statement, (ast.Import, ast.ImportFrom, ast.Pass)):
            continue
        if not isinstance(statement, ast.Assert):
            raise _NotConvertible
        if isinstance(statement.test, ast.Constant) and statement.test.value is True:
            continue  # HumanEval's `assert True, "This prints if this assert fails"`
        test, tol = _assert_to_test(statement.test, callee)
        tests.append(test)
        tolerance = max(tolerance, tol)
    return tests, tolerance


def _is_docstring(statement: ast.stmt) -> bool:
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and isinstance(statement.value.value, str)


def _assert_to_test(test: ast.expr, callee: str) -> tuple[CallTest, float]:
    """One assert expression → (CallTest, float tolerance it allows)."""
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left, op, right = test.left, test.ops[0], test.comparators[0]
        if isinstance(op, ast.Eq):
            if _is_call(left, callee):
                return _call_test(left, _literal(right, expected=True)), 0.0
            if _is_call(right, callee):
                return _call_test(right, _literal(left, expected=True)), 0.0
        if isinstance(op, ast.Is) and _is_call(left, callee) and isinstance(right, ast.Constant) and right.value in (True, False, None):
            return _call_test(left, right.value), 0.0
        if isinstance(op, (ast.Lt, ast.LtE)):
            return _abs_difference(left, right, callee)
    if _is_call(test, callee):
        return _call_test(test, True), 0.0
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and _is_call(test.operand, callee):
        return _call_test(test.operand, False), 0.0
    if isinstance(test, ast.Call) and _is_isclose(test.func):
        return _isclose(test, callee)
    raise _NotConvertible


def _abs_difference(left: ast.expr, right: ast.expr, callee: str) -> tuple[CallTest, float]:
    """`abs(f(x) - LIT) < TOL` (or `abs(LIT - f(x))`)."""
    if not (isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "abs" and len(left.args) == 1):
        raise _NotConvertible
    inner = left.args[0]
    if not (isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.Sub)):
        raise _NotConvertible
    if _is_call(inner.left, callee):
        call, expected = inner.left, _literal(inner.right, expected=True)
    elif _is_call(inner.right, callee):
        call, expected = inner.right, _literal(inner.left, expected=True)
    else:
        raise _NotConvertible
    tol = _literal(right, expected=True)
    if type(tol) not in (int, float) or type(expected) not in (int, float) or not 0 <= tol <= 1:
        raise _NotConvertible
    return _call_test(call, float(expected)), float(tol)


def _is_isclose(func: ast.expr) -> bool:
    return (isinstance(func, ast.Attribute) and func.attr == "isclose" and isinstance(func.value, ast.Name)
            and func.value.id == "math") or (isinstance(func, ast.Name) and func.id == "isclose")


def _isclose(call: ast.Call, callee: str) -> tuple[CallTest, float]:
    if len(call.args) != 2:
        raise _NotConvertible
    first, second = call.args
    if _is_call(first, callee):
        inner, expected = first, _literal(second, expected=True)
    elif _is_call(second, callee):
        inner, expected = second, _literal(first, expected=True)
    else:
        raise _NotConvertible
    tol = DEFAULT_ISCLOSE_REL
    for keyword in call.keywords:
        if keyword.arg not in ("rel_tol", "abs_tol"):
            raise _NotConvertible
        value = _literal(keyword.value, expected=True)
        if type(value) not in (int, float) or not 0 <= value <= 1:
            raise _NotConvertible
        tol = max(tol, float(value))
    if type(expected) not in (int, float):
        raise _NotConvertible
    return _call_test(inner, float(expected)), tol


def _is_call(node: ast.expr, callee: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == callee


def _call_test(call: ast.expr, expected: Any) -> CallTest:
    assert isinstance(call, ast.Call)
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise _NotConvertible
    args = [_literal(a, expected=False) for a in call.args]
    kwargs = {k.arg: _literal(k.value, expected=False) for k in call.keywords if k.arg is not None}
    return CallTest(args=args, kwargs=kwargs, expected=expected)


def _literal(node: ast.expr, *, expected: bool) -> Any:
    """A JSON value from a literal node; tuples allowed (as lists) only in expected values."""
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise _NotConvertible from None
    return _plain(value, tuples=expected)


def _plain(value: Any, *, tuples: bool, depth: int = 0) -> Any:
    kind = type(value)
    if depth > 50:
        raise _NotConvertible
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        if not math.isfinite(value):
            raise _NotConvertible
        return value
    if kind is list or (kind is tuple and tuples):
        return [_plain(v, tuples=tuples, depth=depth + 1) for v in value]
    if kind is dict and all(type(k) is str for k in value):
        return {k: _plain(v, tuples=tuples, depth=depth + 1) for k, v in value.items()}
    raise _NotConvertible
