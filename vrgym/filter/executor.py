"""Where the sample and score steps run: the pluggable executor seam of the filter pipeline.

`FilterRun` decides *what* to do (which samples are missing, which are unscored) and checkpoints
whatever comes back; an `Executor` decides *where* the work runs. Both methods stream results in
any order, so the run can append them to its logs as they arrive:

* `sample(model, requests)` — `SampleResult`s for `SampleRequest`s;
* `score(problems, samples)` — score records (see `vrgym.filter.steps`) for sample records.

`LocalExecutor` (the default) asks the model in this process (the model bounds its own in-flight
requests) and verifies in a process pool via `vrgym.batch`. A cluster executor (Ray) implements the
same two methods with `ray.data`: sampling maps `plan_requests` rows through engine actors,
scoring maps `vrgym.filter.steps.score_records` over blocks; because those are pure and the seeds
do not depend on partitioning, it yields the same records, hence the same selection.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from typing import Any, Protocol

from vrgym.filter.steps import score_record
from vrgym.problem import Problem


class Executor(Protocol):
    """Runs the two expensive steps; see the module docstring."""

    def sample(self, model: Any, requests: Iterable[Any]) -> Iterator[Any]:
        """Yield a `SampleResult` per request (any order)."""

    def score(
        self,
        problems: Mapping[str, Problem],
        samples: Sequence[Mapping[str, Any]],
        on_done: Callable[[int], None] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Yield a score record per sample record (any order)."""


class LocalExecutor:
    """This machine: the model's own concurrency for sampling, `workers` processes for scoring."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)

    def sample(self, model: Any, requests: Iterable[Any]) -> Iterator[Any]:
        with closing(model.generate(requests)) as results:  # closing cancels in-flight work
            yield from results

    def score(
        self,
        problems: Mapping[str, Problem],
        samples: Sequence[Mapping[str, Any]],
        on_done: Callable[[int], None] | None = None,
    ) -> Iterator[dict[str, Any]]:
        from vrgym.batch import verify_all
        from vrgym.io.responses import Response

        responses = [Response(s["problem"], s["text"], s["sample"]) for s in samples]
        by_key = {(s["problem"], s["sample"]): s for s in samples}
        for verdict in verify_all(problems, responses, workers=self.workers, on_done=on_done):
            yield score_record(by_key[verdict["id"], verdict["sample"]], verdict["reward"], verdict["reason"])
