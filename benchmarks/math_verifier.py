"""Math answer checking: vrgym's `check_math_answer` against Math-Verify (`parse` + `verify`).

Both score the research note's 510 generated cases (`../shared/research/math_generated_510.json`)
in this one process: vrgym extracts the single `\\boxed{}` and checks it against the typed gold a
template would store; Math-Verify parses the gold wrapped in `$…$` and the whole response with its
defaults, then verifies (as in the note's §1.5). Printed: throughput, median / p99 latency per case,
agreement with the labels and with each other, the worst case on bomb inputs (Math-Verify burns
its 5 s signal timeout on each), the worker start-up and the worker IPC round trip.

    python benchmarks/math_verifier.py [--repeat 3] [--skip-bombs]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BOMBS = [
    r"9^{9^{9^{9}}}",
    r"9^{9^{9}}",
    r"2^{2^{2^{2^{2^{2}}}}}",
    r"(10^{10})!",
    r"\int_0^1 e^{x^{x^x}}dx",
    r"4+10^{10^{10}}-10^{10^{10}}",
]
"""The exponent and factorial bombs of the research note (§1.3), each boxed for gold 4."""


def timed(work: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


def summary(name: str, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    rate = len(ordered) / sum(ordered)
    return f"{name:<12} {rate:10.0f}/s   median {statistics.median(ordered) * 1e3:8.3f} ms   p99 {p99 * 1e3:8.2f} ms   max {ordered[-1] * 1e3:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the 510 cases (the best pass is kept per case)")
    parser.add_argument("--skip-bombs", action="store_true", help="skip the bomb inputs (Math-Verify needs ~5 s each)")
    args = parser.parse_args()

    from tests.verifiers.math.math_cases import load_cases, typed_gold
    from vrgym.verifiers.extraction import extract_answer
    from vrgym.verifiers.math import check_math_answer
    from vrgym.verifiers.math import gold as G
    from vrgym.verifiers.math.worker import pool

    cases = load_cases()
    golds = [typed_gold(c["category"], c["gold"]) for c in cases]

    def ours(index: int) -> bool:
        found = extract_answer(cases[index]["pred"])
        return bool(found.ok and check_math_answer(golds[index], found.answer or "").reward)

    _, startup = timed(lambda: check_math_answer(G.integer(2), r"\sqrt{4}+0"))  # a sum: needs the worker
    round_trips = [timed(lambda: pool().call({"op": "ping"}, 5.0))[1] for _ in range(2000)]

    import logging

    from math_verify import parse, verify

    logging.getLogger("math_verify").setLevel(logging.CRITICAL)  # its timeouts are expected on the bombs

    def theirs(index: int) -> bool:
        case = cases[index]
        return bool(verify(parse(f"${case['gold']}$"), parse(case["pred"])))

    timed(lambda: theirs(0))  # Math-Verify's lazy imports and grammar set-up, off the clock like our start-up
    best_ours = [float("inf")] * len(cases)
    best_theirs = [float("inf")] * len(cases)
    ours_results: list[bool] = []
    theirs_results: list[bool] = []
    for _ in range(args.repeat):
        ours_results = []
        theirs_results = []
        for i in range(len(cases)):
            result, seconds = timed(lambda: ours(i))
            ours_results.append(bool(result))
            best_ours[i] = min(best_ours[i], seconds)
            result, seconds = timed(lambda: theirs(i))
            theirs_results.append(bool(result))
            best_theirs[i] = min(best_theirs[i], seconds)

    labels = [bool(c["equivalent"]) for c in cases]
    print(f"510 generated cases, best of {args.repeat} passes per case, one process")
    print(summary("vrgym", best_ours))
    print(summary("Math-Verify", best_theirs))
    print(f"throughput ratio vrgym / Math-Verify: {sum(best_theirs) / sum(best_ours):.1f}x")
    print(
        f"agreement with labels: vrgym {sum(a == b for a, b in zip(ours_results, labels))}/510, "
        f"Math-Verify {sum(a == b for a, b in zip(theirs_results, labels))}/510; "
        f"with each other {sum(a == b for a, b in zip(ours_results, theirs_results))}/510"
    )
    fast = sum(1 for s in best_ours if s < 0.0005)
    print(f"vrgym cases settled under 0.5 ms (fast path, no worker): {fast}/510")
    print(f"vrgym worker start-up {startup:.2f} s; IPC round trip median {statistics.median(round_trips) * 1e6:.0f} µs")

    if not args.skip_bombs:
        gold = G.integer(4)
        ours_bombs = [timed(lambda: check_math_answer(gold, b))[1] for b in BOMBS]
        theirs_bombs = [timed(lambda: verify(parse("$4$"), parse(f"\\boxed{{{b}}}")))[1] for b in BOMBS]
        print(
            f"bombs ({len(BOMBS)}): worst case vrgym {max(ours_bombs) * 1e3:.2f} ms, Math-Verify {max(theirs_bombs):.2f} s "
            f"(ratio {max(theirs_bombs) / max(ours_bombs):.0f}x)"
        )


if __name__ == "__main__":
    main()
