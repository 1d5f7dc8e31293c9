"""Overhead of the Gymnasium env over calling generate + verify directly, per template.

For each template, the same problems (seed s, index 0) and the same reference responses are run
two ways: `template.generate` + `template.verify`, and `env.reset(seed=s)` + `env.step(response)`
on an env from `gym.make` (with Gymnasium's default wrappers). The ratio is the env's overhead; the
target is under 10 %. Runs are interleaved and repeated, and the best round of each is kept, so
machine noise does not favour either side.

    python benchmarks/env_overhead.py [--problems 300] [--rounds 5] [TASK ...]
"""

from __future__ import annotations

import argparse
import time

import gymnasium as gym

import vrgym


def direct(template: vrgym.Template, seeds: range, responses: list[str], difficulty: str) -> float:
    """Seconds to generate and verify every problem by calling the template."""
    config = template.config(difficulty)
    start = time.perf_counter()
    for seed, response in zip(seeds, responses):
        template.verify(template.generate(seed, 0, config), response)
    return time.perf_counter() - start


def through_env(env: gym.Env, seeds: range, responses: list[str]) -> float:
    """Seconds to do the same through reset + step."""
    start = time.perf_counter()
    for seed, response in zip(seeds, responses):
        env.reset(seed=seed)
        env.step(response)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tasks", nargs="*", help="templates to measure (default: all)")
    parser.add_argument("--problems", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    print(f"{'template':<16} {'direct µs':>10} {'env µs':>10} {'overhead':>9}")
    for name in args.tasks or vrgym.template_names():
        template = vrgym.get_template(name)
        difficulty = template.Config.level_name(None)
        seeds = range(args.problems)
        responses = [template.reference_response(template.generate(s, 0, difficulty=difficulty)) for s in seeds]
        env = gym.make(template.gym_id(), difficulty=difficulty)
        best_direct = best_env = float("inf")
        for _ in range(args.rounds):
            best_direct = min(best_direct, direct(template, seeds, responses, difficulty))
            best_env = min(best_env, through_env(env, seeds, responses))
        env.close()
        per = 1e6 / args.problems
        print(f"{name:<16} {best_direct * per:>10.1f} {best_env * per:>10.1f} {best_env / best_direct - 1:>+9.1%}")


if __name__ == "__main__":
    main()
