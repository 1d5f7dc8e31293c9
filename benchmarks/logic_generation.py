"""Generation speed and variety of the logic templates, against reasoning-gym's in the same run.

For every registered logic template and every level: problems generated per second, and the share
of distinct prompts among `--distinct` problems of consecutive indices. For templates with a
reasoning-gym counterpart, the peer's generation rate (`create_dataset(name, seed=42)`, items
`ds[i]`) on its default config, and the ratio ours / peer on the comparable configuration named
in PEERS. Slow generators are measured for at most `--seconds` each.

    pip install -e ".[bench]"
    python benchmarks/logic_generation.py [--seconds 5] [--distinct 10000] [--peers-only] [TEMPLATE ...]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import vrgym

PEERS: dict[str, tuple[str, dict[str, Any]]] = {
    # our template: (reasoning-gym dataset, our config for the comparison: level and overrides)
    "Game24": ("puzzle24", {}),
    "Countdown": ("countdown", {}),
    "Sudoku": ("sudoku", {"size": 9}),
    "Cryptarithm": ("cryptarithm", {}),
    "KnightsKnaves": ("knights_knaves", {}),
    "ZebraPuzzle": ("zebra_puzzles", {}),
    "GraphColoring": ("graph_color", {}),
    "ShortestPath": ("shortest_path", {}),
}


def rate(make: Callable[[int], object], seconds: float, cap: int) -> float:
    """Items per second of make(0), make(1), … until `seconds` pass or `cap` items are made."""
    start = time.perf_counter()
    count = 0
    while count < cap and (count < 3 or time.perf_counter() - start < seconds):
        make(count)
        count += 1
    return count / (time.perf_counter() - start)


def distinct_share(template: vrgym.Template, level: str, n: int, seconds: float) -> tuple[float, int]:
    """Share of distinct prompts among up to n problems of seed 0 (fewer if time runs out)."""
    config = template.config(level)
    prompts = set()
    start = time.perf_counter()
    made = 0
    while made < n and time.perf_counter() - start < seconds * 4:
        prompts.add(template.generate(0, made, config).prompt)
        made += 1
    return len(prompts) / made, made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("templates", nargs="*")
    parser.add_argument("--seconds", type=float, default=5.0, help="time budget per measurement")
    parser.add_argument("--distinct", type=int, default=10_000)
    parser.add_argument("--peers-only", action="store_true", help="skip the per-level table")
    args = parser.parse_args()
    try:
        import reasoning_gym
    except ImportError:
        reasoning_gym = None
        print("reasoning_gym not installed (pip install -e '.[bench]'): peer columns are empty\n")

    names = args.templates or vrgym.template_names(domain="logic")
    if not args.peers_only:
        print(f"{'template':<15} {'level':<12} {'ours/s':>9} {'distinct':>16}")
    for name in [] if args.peers_only else names:
        template = vrgym.get_template(name)
        for level in template.Config.level_names():
            config = template.config(level)
            ours = rate(lambda i, c=config: template.generate(1, i, c), args.seconds, 100_000)
            share, made = distinct_share(template, level, args.distinct, args.seconds)
            print(f"{name:<15} {level:<12} {ours:>9.0f} {share:>9.2%} of {made:<5}")

    if reasoning_gym is None:
        return
    print(f"\n{'template':<15} {'vs reasoning-gym':<16} {'ours/s':>9} {'peer/s':>9} {'ratio':>8}")
    for name in names:
        if name not in PEERS:
            continue
        peer_name, overrides = PEERS[name]
        template = vrgym.get_template(name)
        config = template.config(overrides.get("difficulty"), **{k: v for k, v in overrides.items() if k != "difficulty"})
        ours = rate(lambda i: template.generate(2, i, config), args.seconds, 100_000)
        dataset = reasoning_gym.create_dataset(peer_name, seed=42, size=100_000)
        peer = rate(lambda i: dataset[i], args.seconds, 100_000)
        print(f"{name:<15} {peer_name:<16} {ours:>9.0f} {peer:>9.1f} {ours / peer:>7.1f}x")


if __name__ == "__main__":
    main()
