"""Generation and verification throughput: vrgym's Arithmetic against reasoning-gym's basic_arithmetic.

Both libraries generate N problems and score each problem's own gold answer, in this process.
Answer extraction is included for vrgym (its verify reads `\\boxed{}` from a full response) and not
for reasoning-gym (its score_answer takes the already extracted answer), so the comparison
favours the peer on scoring.

    pip install -e ".[bench]"
    python benchmarks/throughput.py [-n 2000]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable


def rate(n: int, work: Callable[[], object]) -> float:
    """Items per second of `work`, which processes n items."""
    start = time.perf_counter()
    work()
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=2000)
    args = parser.parse_args()
    n = args.n

    import vrgym

    template = vrgym.get_template("Arithmetic")
    config = template.config("medium")
    problems: list[vrgym.Problem] = []
    ours_gen = rate(n, lambda: problems.extend(template.generate(0, i, config) for i in range(n)))
    responses = [template.reference_response(p) for p in problems]
    ours_verify = rate(n, lambda: [template.verify(p, r) for p, r in zip(problems, responses)])
    print(f"vrgym Arithmetic (medium)    generate {ours_gen:9.0f}/s   verify {ours_verify:9.0f}/s")

    try:
        import reasoning_gym
    except ImportError:
        print("reasoning_gym not installed: pip install -e '.[bench]'")
        return
    dataset = reasoning_gym.create_dataset("basic_arithmetic", seed=0, size=n)
    items: list[dict] = []
    peer_gen = rate(n, lambda: items.extend(dataset[i] for i in range(n)))
    peer_score = rate(n, lambda: [dataset.score_answer(item["answer"], item) for item in items])
    print(f"reasoning-gym basic_arithmetic generate {peer_gen:9.0f}/s   score  {peer_score:9.0f}/s")
    print(f"ratio vrgym / reasoning-gym: generate {ours_gen / peer_gen:.2f}x, verify {ours_verify / peer_score:.2f}x")


if __name__ == "__main__":
    main()
