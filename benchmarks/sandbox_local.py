"""Per-execution cost of the local sandbox vs a bare interpreter subprocess (ratios in one run).

Runs `print(sum(range(100)))` N times (default 200) through LocalExecutor, and through
`subprocess.run([sys.executable, "-c", ...])` and `[sys.executable, "-I", "-S", "-c", ...]`,
at concurrency 1 and 2, and prints median/p90 ms per job, jobs/s and the speed ratios. Target:
the sandbox (with all its isolation) is faster than the bare, unisolated subprocess, because a
`python` job runs in a forked, already-warm interpreter instead of starting a new one.

The contenders take turns in `--rounds` rounds (each runs runs/rounds jobs per round), so a load
change on a shared machine hits all of them alike instead of whichever happened to run then.

    python benchmarks/sandbox_local.py [--runs 200] [--rounds 10]
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


def run_batch(call: Callable[[], None], runs: int, concurrency: int, latencies: list[float]) -> float:
    """Make `runs` calls at `concurrency`, appending each call's latency; returns the batch's wall time."""

    def one(_: int) -> None:
        start = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - start)

    begin = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(one, range(runs)))
    return time.perf_counter() - begin


def summary(latencies: list[float], total: float) -> dict[str, float]:
    """Median/p90 latency in ms and throughput over the summed batch wall time."""
    ordered = sorted(latencies)
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p90_ms": ordered[int(0.9 * (len(ordered) - 1))] * 1000,
        "jobs_per_s": len(ordered) / total,
    }


def main() -> None:
    """Run the three contenders at concurrency 1 and 2 and print a table with ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10, help="turns the contenders take (default 10)")
    args = parser.parse_args()
    per_round = max(1, args.runs // args.rounds)

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
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[0]
    print(f"{per_round * args.rounds} runs of {CODE!r} in {args.rounds} interleaved rounds; load average {load}")
    print(f"isolation: {executor.describe()['isolation']}")
    print(f"{'contender':<18}{'conc':>5}{'median ms':>11}{'p90 ms':>9}{'jobs/s':>9}")
    table: dict[tuple[str, int], dict[str, float]] = {}
    for concurrency in (1, 2):
        latencies: dict[str, list[float]] = {name: [] for name in contenders}
        totals = dict.fromkeys(contenders, 0.0)
        for _ in range(args.rounds):
            for name, call in contenders.items():
                totals[name] += run_batch(call, per_round, concurrency, latencies[name])
        for name in contenders:
            row = table[name, concurrency] = summary(latencies[name], totals[name])
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
