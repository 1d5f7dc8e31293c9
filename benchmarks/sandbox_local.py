"""Per-execution cost of the local sandbox vs a bare interpreter subprocess (ratios in one run).

Runs `print(sum(range(100)))` N times (default 200) through LocalExecutor, and through
`subprocess.run([sys.executable, "-c", ...])` and `[sys.executable, "-I", "-S", "-c", ...]`,
at concurrency 1 and 2, and prints median/p90 ms per job, jobs/s and the speed ratios. Target:
the sandbox (with all its isolation) is faster than the bare, unisolated subprocess, because a
`python` job runs in a forked, already-warm interpreter instead of starting a new one.

    python benchmarks/sandbox_local.py [--runs 200]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from vrgym.sandbox import ExecStatus, Job
from vrgym.sandbox.local import LocalExecutor

CODE = "print(sum(range(100)))"


def measure(call: Callable[[], None], runs: int, concurrency: int) -> dict[str, float]:
    """Time `runs` calls at `concurrency`; per-call latency percentiles and overall throughput."""
    latencies: list[float] = []

    def one(_: int) -> None:
        start = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - start)

    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(runs)))
    total = time.perf_counter() - begin
    latencies.sort()
    return {
        "median_ms": statistics.median(latencies) * 1000,
        "p90_ms": latencies[int(0.9 * (len(latencies) - 1))] * 1000,
        "jobs_per_s": runs / total,
    }


def main() -> None:
    """Run the three contenders at concurrency 1 and 2 and print a table with ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()

    executor = LocalExecutor(workers=2)
    executor.warm_up()
    job = Job(argv=("python", "-c", CODE))

    def sandbox() -> None:
        result = executor.run(job)
        assert result.status is ExecStatus.OK and result.stdout == "4950\n", result

    def bare(*flags: str) -> Callable[[], None]:
        def call() -> None:
            out = subprocess.run([sys.executable, *flags, "-c", CODE], capture_output=True, text=True, check=True)
            assert out.stdout == "4950\n"

        return call

    contenders = {"local sandbox": sandbox, "python -c": bare(), "python -I -S -c": bare("-I", "-S")}
    print(f"{args.runs} runs of {CODE!r}; isolation: {executor.describe()['isolation']}")
    print(f"{'contender':<18}{'conc':>5}{'median ms':>11}{'p90 ms':>9}{'jobs/s':>9}")
    table: dict[tuple[str, int], dict[str, float]] = {}
    for concurrency in (1, 2):
        for name, call in contenders.items():
            row = table[name, concurrency] = measure(call, args.runs, concurrency)
            print(f"{name:<18}{concurrency:>5}{row['median_ms']:>11.2f}{row['p90_ms']:>9.2f}{row['jobs_per_s']:>9.1f}")
    executor.close()
    for concurrency in (1, 2):
        sb = table["local sandbox", concurrency]
        for name in ("python -c", "python -I -S -c"):
            other = table[name, concurrency]
            print(
                f"concurrency {concurrency}: sandbox vs {name}: {other['median_ms'] / sb['median_ms']:.2f}x faster (median), "
                f"{sb['jobs_per_s'] / other['jobs_per_s']:.2f}x the throughput"
            )


if __name__ == "__main__":
    main()
