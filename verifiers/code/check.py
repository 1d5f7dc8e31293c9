"""`check_code`: run a candidate program on a `CodeSpec`'s hidden tests in the sandbox; judge outside.

What enters the sandbox (one job): the fixed harness `driver.py`, the candidate as `solution.py`,
the spec's trusted `prelude.py`, and `inputs.json` with the test inputs only. The job's stdin
carries a fresh `secrets.token_hex` nonce (and, for `kind="script"`, the test code, which only the
driver's trusted test process reads). What comes back is accepted only as exactly one stdout line
starting with that nonce, holding one result per test; anything else — no record, two records, a
wrong count, a malformed value — scores 0, never 1. The expected outputs are compared here
(`compare.py`), so nothing the program does inside can make a wrong value right.

Reasons: ok, wrong_answer, runtime_error, timeout, memory, compile_error, no_answer, format, and
sandbox_error when the sandbox itself failed (not the model's fault: trainers skip it).
"""

from __future__ import annotations

import functools
import json
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vrgym.verdict import (
    COMPILE_ERROR,
    FORMAT,
    MEMORY,
    NO_ANSWER,
    RUNTIME_ERROR,
    SANDBOX_ERROR,
    TIMEOUT,
    VERIFIER_ERROR,
    WRONG_ANSWER,
    Verdict,
)
from vrgym.verifiers.code.compare import BadRecord, decode_value, same_output, same_value
from vrgym.verifiers.code.spec import CodeSpec, StdioTest
from vrgym.verifiers.extraction import AnswerFormat, Extraction, extract_answer

if TYPE_CHECKING:
    from vrgym.sandbox import ExecResult, Executor, Job, Limits

MAX_CODE_CHARS = 200_000
"""Longer programs are refused before anything runs (a solution is not a data dump)."""
MAX_RESULT_BYTES = 2_000_000
"""Cap on one serialised return value inside the driver; larger counts as a failed test."""
_MAX_RECORD_BYTES = 256_000_000
_SIGXCPU = 24
_MEMORY_ERRORS = frozenset({"MemoryError"})
_COMPILE_ERRORS = frozenset({"SyntaxError", "IndentationError", "TabError"})


@functools.lru_cache(maxsize=1)
def driver_source() -> str:
    """The harness that runs inside the sandbox (read once; it is a fixed, trusted file)."""
    return Path(__file__).with_name("driver.py").read_text(encoding="utf-8")


_LOADER = '''"""Start the vrgym code-test harness: precompiled when this Python is the host's version, else from source."""
import sys


def _code():
    if sys.implementation.cache_tag == {tag!r}:
        import binascii
        import marshal

        with open("harness.b64", "rb") as handle:
            return marshal.loads(binascii.a2b_base64(handle.read()))
    with open("harness.py", encoding="utf-8") as handle:
        return compile(handle.read(), "harness.py", "exec")


_namespace = {{"__name__": "harness", "__builtins__": __builtins__}}
exec(_code(), _namespace)
_namespace["main"]()
'''


@functools.lru_cache(maxsize=2)
def harness_files(precompiled: bool = True) -> dict[str, str]:
    """The harness files of every job: `driver.py` (a loader), `harness.py` and its compiled form.

    Why compiled: the sandbox runs the driver in a fresh process per job, and compiling its source
    there cost ~5 ms of a ~15 ms job; unmarshalling the host's code object costs a tenth of that.
    A sandbox whose Python differs (another minor version in a container) compiles the source.
    """
    import binascii
    import marshal
    import sys

    source = driver_source()
    files = {"harness.py": source}
    tag = sys.implementation.cache_tag if precompiled else "none"
    if precompiled:
        code = compile(source, "harness.py", "exec", dont_inherit=True)
        files["harness.b64"] = binascii.b2a_base64(marshal.dumps(code), newline=False).decode("ascii")
    files["driver.py"] = _LOADER.format(tag=tag)
    return files


def extract_code(response: str) -> Extraction:
    """The program of `response`: its one fenced ```python block after any <think> (see extraction.py)."""
    return extract_answer(response, AnswerFormat.CODE)


def build_job(code: str, spec: CodeSpec, nonce: str) -> Job:
    """The sandbox job for `code` on `spec`: harness, candidate, trusted prelude, inputs only."""
    from vrgym.sandbox import Job

    limits = _with_record_room(spec, spec.job_limits())
    if spec.kind == "stdio":
        tests: list[dict[str, Any]] = [{"stdin": t.stdin} for t in spec.tests]  # type: ignore[union-attr]
    elif spec.kind == "call":
        tests = [{"args": t.args, "kwargs": t.kwargs} for t in spec.tests]  # type: ignore[union-attr]
    else:
        tests = []
    for test, source in zip(tests, (t.generator for t in spec.tests)):
        if source is not None:  # the driver builds this input in the sandbox (see driver.expand)
            test["generator"] = source
    inputs = {
        "kind": spec.kind,
        "entry_point": spec.entry_point,
        "prelude": bool(spec.prelude),
        "tests": tests,
        "test_seconds": spec.per_test_seconds(),
        "total_seconds": spec.total_seconds(),
        "max_result_bytes": min(MAX_RESULT_BYTES, spec.job_limits().output_bytes),
        "max_output_bytes": spec.job_limits().output_bytes,
    }
    files = {**harness_files(), "solution.py": code, "inputs.json": json.dumps(inputs)}
    if spec.prelude:
        files["prelude.py"] = spec.prelude
    secret = {"nonce": nonce, "script": count_asserts(spec.script) if spec.kind == "script" and spec.script else None}
    return Job(argv=("python", "driver.py"), files=files, stdin=json.dumps(secret), limits=limits)


def _with_record_room(spec: CodeSpec, limits: Limits) -> Limits:
    """`limits` with a stdout cap large enough for the driver's record of every test's output.

    Why: the cap the spec gives (`output_bytes`) is meant per program run; the driver's stdout
    carries all tests' outputs (JSON-escaped) at once. The room is sized from the expected outputs'
    total (one number over all tests, so it tells a program nothing about any single test).
    """
    expected = sum(len(t.expected) if isinstance(t, StdioTest) else len(json.dumps(t.expected)) for t in spec.tests)
    room = min(_MAX_RECORD_BYTES, 1_000_000 + 6 * expected + 256 * len(spec.tests))
    return limits if limits.output_bytes >= room else limits.model_copy(update={"output_bytes": room})


@functools.lru_cache(maxsize=256)
def count_asserts(script: str) -> str:
    """`script` with `__vrgym_assert_passed()` after every assert, so a failure says how many held.

    Done here on the host (the script is trusted dataset code) rather than in the sandbox, where
    importing `ast` would cost every script check milliseconds. A script that does not parse is
    returned unchanged: its SyntaxError then shows up as the test's failure.
    """
    import ast

    class AfterAsserts(ast.NodeTransformer):
        def visit_Assert(self, node: ast.Assert) -> list[ast.stmt]:
            bump = ast.Expr(ast.Call(ast.Name("__vrgym_assert_passed", ast.Load()), [], []))
            return [node, ast.copy_location(bump, node)]

    try:
        tree = ast.fix_missing_locations(AfterAsserts().visit(ast.parse(script)))
        return ast.unparse(tree)
    except (SyntaxError, ValueError, RecursionError):
        return script


def check_code(code: str, spec: CodeSpec, *, executor: Executor | None = None) -> Verdict:
    """Reward 1 iff `code` passes every hidden test of `spec`; never raises.

    `executor` defaults to the process-wide `vrgym.sandbox.default_executor()`.
    """
    try:
        early = _precheck(code)
        if early is not None:
            return early
        nonce = secrets.token_hex(16)
        job = build_job(code, spec, nonce)
    except Exception as exc:  # noqa: BLE001  (a malformed spec is reported, never raised into a training loop)
        return Verdict.fail(VERIFIER_ERROR, f"could not build the sandbox job: {type(exc).__name__}: {exc}")
    try:
        if executor is None:
            from vrgym.sandbox import default_executor

            executor = default_executor()
        result = executor.run(job)
    except Exception as exc:  # noqa: BLE001  (infrastructure failure: not the model's fault)
        return Verdict.fail(SANDBOX_ERROR, f"the sandbox failed to run the job: {type(exc).__name__}: {exc}")
    try:
        return judge(result, spec, nonce)
    except Exception as exc:  # noqa: BLE001
        return Verdict.fail(VERIFIER_ERROR, f"judging the sandbox result failed: {type(exc).__name__}: {exc}")


def _precheck(code: Any) -> Verdict | None:
    """Refuse what cannot be a program before paying for a sandbox run."""
    if not isinstance(code, str):
        return Verdict.fail(FORMAT, f"the code must be a string, got {type(code).__name__}")
    if not code.strip():
        return Verdict.fail(NO_ANSWER, "the code block is empty")
    if len(code) > MAX_CODE_CHARS:
        return Verdict.fail(FORMAT, f"the program has {len(code)} characters; the limit is {MAX_CODE_CHARS}")
    try:
        code.encode("utf-8")
    except UnicodeEncodeError:
        return Verdict.fail(COMPILE_ERROR, "the code contains lone surrogates, which no Python source file can hold")
    if "\x00" in code:
        return Verdict.fail(COMPILE_ERROR, "the code contains a NUL character, which Python source cannot contain")
    return None


def find_record(stdout: str, nonce: str) -> tuple[dict[str, Any] | None, str]:
    """The single nonce-tagged record of the driver, or None and why not."""
    prefix = nonce + " "
    lines = [line for line in stdout.split("\n") if line.startswith(prefix)]
    if len(lines) != 1:
        return None, f"{len(lines)} result records in the output (exactly one expected)"
    try:
        record = json.loads(lines[0][len(prefix) :])
    except (ValueError, RecursionError) as exc:
        return None, f"the result record is not valid JSON ({type(exc).__name__})"
    if type(record) is not dict or type(record.get("results")) is not list or type(record.get("load")) is not dict:
        return None, "the result record has the wrong shape"
    return record, ""


def _status_verdict(result: ExecResult, why: str) -> Verdict:
    """A verdict from the job's status when there is no usable record."""
    from vrgym.sandbox import ExecStatus

    status = result.status
    if status is ExecStatus.SANDBOX_ERROR:
        return Verdict.fail(SANDBOX_ERROR, f"the sandbox failed: {result.detail}")
    if status is ExecStatus.TIMEOUT:
        return Verdict.fail(TIMEOUT, f"the job hit its time limit ({result.detail or 'wall/cpu'})")
    if status is ExecStatus.MEMORY:
        return Verdict.fail(MEMORY, f"the job hit its memory limit ({result.detail})")
    return Verdict.fail(RUNTIME_ERROR, f"no valid result: {why} (job status {status.value}, exit {result.exit_code}, signal {result.signal})")


def judge(result: ExecResult, spec: CodeSpec, nonce: str) -> Verdict:
    """Turn the sandbox's result into a verdict, comparing every test's output with its expected value."""
    from vrgym.sandbox import ExecStatus

    if result.status is ExecStatus.SANDBOX_ERROR:
        return _status_verdict(result, "")
    record, why = find_record(result.stdout, nonce)
    if record is None:
        return _status_verdict(result, why)
    load = record["load"]
    if load.get("load") == "infra":
        return Verdict.fail(SANDBOX_ERROR, f"the sandbox could not start the candidate (not the program's fault): {str(load.get('message', ''))[:200]}")
    if load.get("load") == "generate":
        return Verdict.fail(VERIFIER_ERROR, f"the problem's input generator failed in the sandbox: {str(load.get('error', ''))[:60]}: {str(load.get('message', ''))[:200]}")
    if load.get("load") in ("compile", "exec"):
        return _load_verdict(load, spec)
    results = record["results"]
    if len(results) != spec.test_count or any(type(r) is not dict for r in results):
        return Verdict.fail(RUNTIME_ERROR, f"the record holds {len(results)} results for {spec.test_count} tests")
    outcomes = [_test_outcome(r, spec, i) for i, r in enumerate(results)]
    checks = {f"test_{i}": reason is None for i, (reason, _) in enumerate(outcomes)}
    failed = [(i, reason, text) for i, (reason, text) in enumerate(outcomes) if reason is not None]
    if not failed:
        return Verdict.correct(f"passed all {len(results)} tests", checks=checks)
    for wanted in (TIMEOUT, MEMORY, RUNTIME_ERROR, WRONG_ANSWER):  # the most telling failure names the verdict
        first = next(((i, text) for i, reason, text in failed if reason == wanted), None)
        if first is not None:
            break
    assert first is not None
    where = "the test script" if spec.kind == "script" else f"hidden test {first[0] + 1} of {len(results)}"
    return Verdict.fail(wanted, f"failed {len(failed)} of {len(results)} tests; first {wanted} at {where}: {first[1]}", checks=checks)


def _load_verdict(load: dict[str, Any], spec: CodeSpec) -> Verdict:
    """The program did not load (syntax error, or an exception at import)."""
    error = str(load.get("error", "Exception"))[:60]
    message = str(load.get("message", ""))[:300]
    line = f" (line {load['line']})" if type(load.get("line")) is int else ""
    if load.get("load") == "compile" or error in _COMPILE_ERRORS:
        return Verdict.fail(COMPILE_ERROR, f"the program does not compile: {error}{line}: {message}")
    if error in _MEMORY_ERRORS:
        return Verdict.fail(MEMORY, "the program ran out of memory while loading")
    what = "running the program" if spec.kind == "stdio" else "loading the program"
    return Verdict.fail(RUNTIME_ERROR, f"{what} raised {error}: {message}")


def _test_outcome(result: dict[str, Any], spec: CodeSpec, index: int) -> tuple[str | None, str]:
    """(None, "") when test `index` passed, else (reason, human text without the expected value)."""
    if result.get("timeout") is True:
        return TIMEOUT, f"it did not finish within {spec.per_test_seconds():g} s of CPU time"
    if "crash" in result:
        if result["crash"] == -_SIGXCPU:
            return TIMEOUT, "it used up its CPU time"
        return RUNTIME_ERROR, f"the program died (exit status {result['crash']})"
    if result.get("skipped") is True:
        return RUNTIME_ERROR, "not run (earlier tests crashed or the time budget ran out)"
    if spec.kind == "script" and "error" in result:
        error = str(result.get("error"))[:60]
        reason = {"AssertionError": WRONG_ANSWER, "TimeoutError": TIMEOUT, "MemoryError": MEMORY}.get(error, RUNTIME_ERROR)
        held = result.get("asserts")
        where = f" after {held} assert{'s' if held != 1 else ''} held" if type(held) is int else ""
        return reason, f"{error}{where}: {str(result.get('message', ''))[:200]}"
    if "error" in result or result.get("load") in ("exec", "compile"):
        error = str(result.get("error", "Exception"))[:60]
        if error in _MEMORY_ERRORS:
            return MEMORY, "MemoryError"
        return RUNTIME_ERROR, f"raised {error}: {str(result.get('message', ''))[:200]}"
    if spec.kind == "script":
        if result.get("passed") is not True:
            return WRONG_ANSWER, "the tests did not pass"
        if type(result.get("calls")) is not int or result["calls"] < 1:  # a script that tested nothing proves nothing
            return WRONG_ANSWER, "the test script never called the candidate"
        return None, ""
    if spec.kind == "stdio":
        got = result.get("stdout")
        if type(got) is not str:
            return RUNTIME_ERROR, "no output record"
        expected = spec.tests[index].expected  # type: ignore[union-attr]
        if same_output(expected, got, spec.float_tolerance):
            return None, ""
        return WRONG_ANSWER, f"printed {_show(got)}"
    if "value" not in result:
        return RUNTIME_ERROR, "no return value recorded"
    try:
        got = decode_value(result["value"])
    except (BadRecord, RecursionError) as exc:
        return WRONG_ANSWER, f"malformed return value ({exc})"
    expected = spec.tests[index].expected  # type: ignore[union-attr]
    if same_value(expected, got, spec.float_tolerance, unordered=spec.unordered):
        return None, ""
    return WRONG_ANSWER, f"returned {_show(got)}"


def _show(value: Any, limit: int = 120) -> str:
    """A short repr of the candidate's own output for the detail (never the expected value)."""
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001
        text = "<unprintable>"
    return text if len(text) <= limit else text[: limit - 1] + "…"
