"""The sample and score steps as pure functions over batches of records.

These are the units an executor distributes (the local executor in `vrgym.filter.executor` runs
them in this process and a process pool; a Ray executor maps them over `ray.data` blocks). Each
is pure given its inputs — the per-sample seed is a hash of (run seed, problem id, sample index),
never a counter or a shard number — so any partition of the work, in any order, produces the same
records, and a resumed or re-sharded run asks for exactly the same samples.

Record layouts (one JSON object per line in the run's logs):

samples.jsonl
    ``{"problem", "sample", "seed", "text", "finish_reason", "completion_tokens", "error"}``;
    ``text`` is null and ``error`` says why when the model failed for good on that sample (such a
    sample is asked for again by the next `sample` step and never counts in n).
scores.jsonl
    ``{"problem", "sample", "reward", "reason", "finish_reason"}`` — the verdict of the problem's
    own template on that sample's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from vrgym.problem import Problem
from vrgym.seeding import derive_seed

SEED_BITS = 31
"""Per-sample seeds fit in a signed 32-bit int: llama.cpp, Ollama and vLLM servers all accept them."""
SEED_DERIVATION = f"derive_seed('vrgym.filter.sample', run_seed, problem_id, sample_index, bits={SEED_BITS})"


def sample_seed(run_seed: int, problem_id: str, sample_index: int) -> int:
    """The seed of sample `sample_index` of a problem: stable across processes, shards and resumes."""
    return derive_seed("vrgym.filter.sample", run_seed, problem_id, sample_index, bits=SEED_BITS)


def plan_requests(
    problems: Iterable[Problem],
    wanted: Mapping[str, Sequence[int]],
    run_seed: int,
    params: Any,
) -> Iterator[Any]:
    """One `SampleRequest` per problem with missing samples: `wanted[id]` lists their indices."""
    from vrgym.models import SampleRequest

    for problem in problems:
        indices = wanted.get(problem.id)
        if indices:
            seeds = tuple(sample_seed(run_seed, problem.id, i) for i in indices)
            yield SampleRequest(key=problem.id, prompt=problem.prompt, seeds=seeds, params=params)


def sample_records(result: Any, index_of_seed: Mapping[int, int]) -> list[dict[str, Any]]:
    """Log records for one `SampleResult`: a record per returned sample, an error record per missing one.

    `index_of_seed` maps each seed of the request to its sample index. Samples are matched by the
    seed they carry (a failed request may return only some of them); a seed the request did not
    contain is a backend bug and is dropped rather than stored under a wrong index.
    """
    records: list[dict[str, Any]] = []
    returned: set[int] = set()
    for sample in result.samples:
        index = index_of_seed.get(sample.seed)
        if index is None or sample.seed in returned:
            continue
        returned.add(sample.seed)
        records.append(
            {
                "problem": result.key,
                "sample": index,
                "seed": sample.seed,
                "text": sample.text,
                "finish_reason": sample.finish_reason,
                "completion_tokens": sample.completion_tokens,
                "error": None,
            }
        )
    error = result.error or "the backend returned fewer samples than requested"
    for seed, index in index_of_seed.items():
        if seed not in returned:
            records.append(
                {
                    "problem": result.key,
                    "sample": index,
                    "seed": seed,
                    "text": None,
                    "finish_reason": None,
                    "completion_tokens": None,
                    "error": str(error)[:500],
                }
            )
    return records


def score_records(problems: Mapping[str, Problem], samples: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Score log records for sample records, verified here with each problem's own template.

    The pure unit of the score step: a Ray executor runs it per block; the local executor runs
    the same verification through `vrgym.batch` (a process pool) and builds records with
    `score_record`.
    """
    from vrgym.registry import get_template

    out = []
    for sample in samples:
        problem = problems[sample["problem"]]
        verdict = get_template(problem.task).verify(problem, sample["text"])
        out.append(score_record(sample, verdict.reward, verdict.reason))
    return out


def score_record(sample: Mapping[str, Any], reward: int, reason: str) -> dict[str, Any]:
    """The scores.jsonl record of one verified sample."""
    return {
        "problem": sample["problem"],
        "sample": sample["sample"],
        "reward": int(reward),
        "reason": reason,
        "finish_reason": sample.get("finish_reason"),
    }
