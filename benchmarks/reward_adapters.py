"""Overhead of the trainer adapters over a bare `vrgym.verify` call (microseconds per completion).

    python benchmarks/reward_adapters.py [--n 2048]

For each adapter the same Arithmetic completions (half right, half wrong) are scored as the trainer
calls it; the ratio to bare `Template.verify` on already-parsed Problems is the price of routing
(JSON problem column, cached parse, template lookup, logging, OpenRLHF query cleaning).
"""

from __future__ import annotations

import argparse
import time

import vrgym
from vrgym.integrations.openrlhf import OpenRLHFReward
from vrgym.integrations.trl import make_trl_reward
from vrgym.integrations.verl import compute_score, compute_score_batch


def _time(label: str, call, n: int, base: float | None = None) -> float:
    call()  # warm caches
    start = time.perf_counter()
    call()
    per = (time.perf_counter() - start) / n * 1e6
    print(
        f"{label:<34} {per:8.1f} us/completion"
        + (f"   x{per / base:.2f} of bare verify" if base else "")
    )
    return per


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2048)
    n = parser.parse_args().n
    template = vrgym.get_template("Arithmetic")
    group = 8
    problems = [p for p in template.problems(n // group, seed=0) for _ in range(group)]
    responses = [
        template.reference_response(p) if i % 2 else "The answer is \\boxed{0}"
        for i, p in enumerate(problems)
    ]
    columns = [p.to_json() for p in problems]
    base = _time(
        "bare Template.verify",
        lambda: [template.verify(p, r) for p, r in zip(problems, responses)],
        n,
    )
    trl = make_trl_reward()
    completions = [[{"role": "assistant", "content": r}] for r in responses]
    _time(
        "TRL reward (conversational)",
        lambda: trl(prompts=None, completions=completions, problem=columns),
        n,
        base,
    )
    _time(
        "verl compute_score (per call)",
        lambda: [
            compute_score("vrgym/Arithmetic", r, c, {})
            for r, c in zip(responses, columns)
        ],
        n,
        base,
    )
    _time(
        "verl compute_score_batch",
        lambda: compute_score_batch(["x"] * n, responses, columns, [{}] * n),
        n,
        base,
    )
    prompts = [
        f"<|im_start|>user\n{p.prompt}<|im_end|>\n<|im_start|>assistant\n"
        for p in problems
    ]
    queries = [f"{q}{r}<|im_end|><|endoftext|>" for q, r in zip(prompts, responses)]
    openrlhf = OpenRLHFReward(as_tensors=False)
    _time(
        "OpenRLHF reward_func (batch)",
        lambda: openrlhf(queries, prompts, columns),
        n,
        base,
    )


if __name__ == "__main__":
    main()
