"""Import time of `vrgym` against `reasoning_gym` (and a bare interpreter), in fresh processes.

Each import runs in its own `python -c` so nothing is cached in-process; the figure is the median
wall-clock time over several runs, with the interpreter's own start-up reported separately.

    python benchmarks/import_time.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def median_seconds(statement: str, runs: int) -> float:
    """Median wall-clock seconds of `python -c statement` over `runs` fresh processes."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    baseline = median_seconds("pass", args.runs)
    ours = median_seconds("import vrgym", args.runs)
    print(f"python start-up      {baseline:6.3f} s")
    print(f"import vrgym         {ours:6.3f} s  ({ours - baseline:.3f} s above start-up)")
    try:
        peer = median_seconds("import reasoning_gym", args.runs)
    except subprocess.CalledProcessError:
        print("import reasoning_gym: not installed (pip install -e '.[bench]')")
        return
    print(f"import reasoning_gym {peer:6.3f} s  ({peer - baseline:.3f} s above start-up)")
    print(f"ratio vrgym / reasoning_gym: {ours / peer:.2f} (above start-up: {(ours - baseline) / (peer - baseline):.2f})")


if __name__ == "__main__":
    main()
