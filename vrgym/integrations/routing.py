"""Routing: from a trainer's (problem column, response text) pairs to vrgym verdicts.

Every trainer adapter (TRL, verl, OpenRLHF, the HTTP reward server) does the same three things,
so they live here once:

1. **Find the problem.** Trainers hand back whatever the dataset stored: a `Problem`, its dict, or
   (the portable choice: parquet and Arrow cannot hold per-template shapes) its JSON string. The
   same problem arrives G times per GRPO group, so parsed problems are cached by their JSON text.
   A value that is not a problem, an unknown task or a template of another version is a
   `RoutingError` naming the row and the remedy: a broken dataset must stop a run at step 1, not
   train on zeros.
2. **Clean the response.** TRL and verl pass the decoded response alone; OpenRLHF passes
   ``prompt + response`` decoded *with* special tokens. `response_from_query` removes the prompt
   and the chat markers (ChatML/Qwen, Llama 3, Llama 2/Mistral, Gemma, DeepSeek, Phi by default;
   pass your tokenizer's `all_special_tokens` to be exact). `<think>` blocks stay: the templates'
   answer extraction already removes them.
3. **Verify many, in order.** Fast verifiers run in this thread; `workers > 1` spreads them over
   threads (useful when verifiers wait on subprocesses, e.g. sympy or code sandboxes) and
   ``processes=True`` over vrgym.batch's process pool (CPU-bound pure-Python verifiers). Order is
   always the input order.

Verification itself never raises on model output (the templates guarantee it); infrastructure
failures come back as verdicts whose reason is in `INFRASTRUCTURE_REASONS`, and `Router.reward`
maps them to the adapter's choice (None for TRL, which then skips the sample).
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Any

from vrgym.errors import ProblemMismatchError, UnknownTaskError, VrgymError
from vrgym.problem import Problem
from vrgym.registry import get_template
from vrgym.template import Template
from vrgym.verdict import INFRASTRUCTURE_REASONS, OK, Verdict

ProblemLike = Problem | Mapping[str, Any] | str | bytes

END_OF_TURN_TOKENS: tuple[str, ...] = (
    "<|im_end|>",  # ChatML, Qwen
    "<|endoftext|>",  # Qwen / GPT pad and eos
    "<|eot_id|>",  # Llama 3
    "<|eom_id|>",
    "<|end_of_text|>",
    "<end_of_turn>",  # Gemma
    "<eos>",
    "</s>",  # Llama 2, Mistral
    "<|end|>",  # Phi-3
    "<｜end▁of▁sentence｜>",  # DeepSeek
)
"""Markers after which a decoded sequence holds no more model text (only padding)."""

SPECIAL_TOKENS: tuple[str, ...] = END_OF_TURN_TOKENS + (
    "<|im_start|>",
    "<|begin_of_text|>",
    "<|start_header_id|>",
    "<|end_header_id|>",
    "<|finetune_right_pad_id|>",
    "<start_of_turn>",
    "<bos>",
    "<pad>",
    "<s>",
    "[INST]",
    "[/INST]",
    "<|user|>",
    "<|assistant|>",
    "<|system|>",
    "<｜begin▁of▁sentence｜>",
    "<｜User｜>",
    "<｜Assistant｜>",
)
"""Default special tokens removed from OpenRLHF queries (override with your tokenizer's)."""

ASSISTANT_HEADERS: tuple[str, ...] = (
    "<|im_start|>assistant\n",
    "<|start_header_id|>assistant<|end_header_id|>\n\n",
    "<|start_header_id|>assistant<|end_header_id|>",
    "<start_of_turn>model\n",
    "[/INST]",
    "<|assistant|>\n",
    "<|assistant|>",
    "<｜Assistant｜>",
)
"""Where the response starts when the prompt text cannot be found verbatim in the query."""

_CACHE_SIZE = 4096


class RoutingError(VrgymError, ValueError):
    """A problem column value that cannot be routed to a template (bad JSON, unknown task, other version)."""


@dataclass(frozen=True)
class Routed:
    """One verified pair: the problem's task and the verdict."""

    task: str
    verdict: Verdict

    @property
    def infrastructure(self) -> bool:
        """True when the checker failed (sandbox or verifier error), not the model."""
        return self.verdict.reason in INFRASTRUCTURE_REASONS


class Router:
    """Verifies (problem, response) pairs for trainer adapters; thread-safe, cheap to keep around.

    `infrastructure_reward` is what `reward` returns for a sandbox/verifier error (None: skip it).
    `workers` > 1 verifies batches on that many threads (`processes=True`: processes instead).
    """

    def __init__(
        self,
        *,
        infrastructure_reward: float | None = None,
        workers: int = 1,
        processes: bool = False,
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be >= 1, got {workers}")
        self.infrastructure_reward = infrastructure_reward
        self.workers = workers
        self.processes = processes
        self._problems: OrderedDict[str | bytes, Problem] = OrderedDict()
        self._templates: dict[tuple[str, int], Template] = {}
        self._lock = Lock()
        self._pool: Any = None

    # ------------------------------------------------------------------------------ one pair

    def problem(self, value: ProblemLike, where: object = "problem") -> Problem:
        """The Problem in `value` (Problem, dict, or JSON text), cached by its JSON text."""
        if isinstance(value, Problem):
            return value
        if isinstance(value, (str, bytes)):
            with self._lock:
                cached = self._problems.get(value)
                if cached is not None:
                    self._problems.move_to_end(value)
                    return cached
        try:
            problem = Problem.coerce(value)  # type: ignore[arg-type]
        except ProblemMismatchError as exc:
            raise RoutingError(
                f"{where}: {exc}. The problem column must hold the Problem JSON written by vrgym's exporters "
                "(build_trl_dataset / export_verl_parquet / vrgym export)"
            ) from None
        if isinstance(value, (str, bytes)):
            with self._lock:
                self._problems[value] = problem
                if len(self._problems) > _CACHE_SIZE:
                    self._problems.popitem(last=False)
        return problem

    def template(self, problem: Problem, where: object = "problem") -> Template:
        """The template that verifies `problem` (RoutingError for an unknown task or a version mismatch)."""
        key = (problem.task, problem.version)
        template = self._templates.get(key)
        if template is not None:
            return template
        try:
            template = get_template(problem.task)
            template.accept(problem)
        except (UnknownTaskError, ProblemMismatchError) as exc:
            raise RoutingError(f"{where}: {exc}") from None
        self._templates[key] = template
        return template

    def verify(
        self, problem: ProblemLike, response: Any, where: object = "problem"
    ) -> Routed:
        """Verdict for one pair; raises only RoutingError (for the problem, never for the response)."""
        parsed = self.problem(problem, where)
        template = self.template(parsed, where)
        return Routed(parsed.task, template.verify(parsed, response))

    def reward(self, routed: Routed) -> float | None:
        """The float reward of a verdict; `infrastructure_reward` for sandbox/verifier errors."""
        if routed.infrastructure:
            return self.infrastructure_reward
        return float(routed.verdict.reward)

    # ------------------------------------------------------------------------------ many pairs

    def verify_many(
        self, problems: Sequence[ProblemLike], responses: Sequence[Any]
    ) -> list[Routed]:
        """Verdicts for aligned lists, in input order; every problem is routed before any verifying."""
        if len(problems) != len(responses):
            raise RoutingError(
                f"got {len(responses)} responses but {len(problems)} problems; "
                "pass one problem per response (repeat a problem for each of its samples)"
            )
        parsed = [self.problem(p, f"row {i}") for i, p in enumerate(problems)]
        templates = [self.template(p, f"row {i}") for i, p in enumerate(parsed)]
        if self.workers <= 1 or len(parsed) < 2:
            return [
                Routed(p.task, t.verify(p, r))
                for p, t, r in zip(parsed, templates, responses)
            ]
        if self.processes:
            return self._in_processes(parsed, responses)
        pool = self._thread_pool()
        verdicts = pool.map(
            lambda item: item[1].verify(item[0], item[2]),
            zip(parsed, templates, responses),
        )
        return [Routed(p.task, v) for p, v in zip(parsed, verdicts)]

    def _thread_pool(self) -> Any:
        with self._lock:
            if self._pool is None:
                from concurrent.futures import ThreadPoolExecutor

                self._pool = ThreadPoolExecutor(
                    max_workers=self.workers, thread_name_prefix="vrgym-verify"
                )
            return self._pool

    def _in_processes(
        self, parsed: Sequence[Problem], responses: Sequence[Any]
    ) -> list[Routed]:
        from vrgym.batch import verify_all
        from vrgym.io.responses import Response

        by_id = {p.id: p for p in parsed}
        items = [
            Response(p.id, r, i) for i, (p, r) in enumerate(zip(parsed, responses))
        ]
        records = verify_all(by_id, items, workers=self.workers)
        return [Routed(rec["task"], _verdict_of(rec)) for rec in records]

    def close(self) -> None:
        """Stop the thread pool, if one was started."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def __getstate__(
        self,
    ) -> dict[str, Any]:  # picklable for trainers that ship reward functions to workers
        return {
            "infrastructure_reward": self.infrastructure_reward,
            "workers": self.workers,
            "processes": self.processes,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(**state)  # type: ignore[misc]


def _verdict_of(record: Mapping[str, Any]) -> Verdict:
    return Verdict.model_validate(
        {k: record[k] for k in ("reward", "reason", "detail", "checks", "answer")}
    )


def reason_counts(routed: Iterable[Routed]) -> Counter[str]:
    """How many verdicts had each reason."""
    return Counter(r.verdict.reason for r in routed)


def is_correct(routed: Routed) -> bool:
    """True for a reward-1 verdict."""
    return routed.verdict.reason == OK


# ---------------------------------------------------------------------------------- response text


def strip_special_tokens(
    text: str, special_tokens: Iterable[str] = SPECIAL_TOKENS
) -> str:
    """`text` without any of `special_tokens` (longest first, so no token is half-removed)."""
    for token in sorted(set(special_tokens), key=len, reverse=True):
        if token and token in text:
            text = text.replace(token, "")
    return text


def response_from_query(
    query: str,
    prompt: str | None = None,
    *,
    special_tokens: Iterable[str] = SPECIAL_TOKENS,
    end_tokens: Iterable[str] = END_OF_TURN_TOKENS,
    assistant_headers: Iterable[str] = ASSISTANT_HEADERS,
) -> str:
    """The model's response inside an OpenRLHF query (prompt + response decoded with special tokens).

    The response starts after the prompt (found verbatim, after any left padding) or, when the
    prompt did not survive decoding verbatim, after the last assistant header; it ends at the first
    end-of-turn token after that point (what follows is padding). Remaining special tokens are
    removed. Why not only strip tokens: the prompt's own text (examples, numbers) must never be
    read as the model's answer.
    """
    if not isinstance(query, str):
        return query
    start = -1
    if prompt:
        found = query.find(prompt)
        if found < 0:
            bare = strip_special_tokens(prompt, special_tokens)
            found = query.find(bare) if bare.strip() else -1
            start = found + len(bare) if found >= 0 else -1
        else:
            start = found + len(prompt)
    if start < 0:
        for header in assistant_headers:
            at = query.rfind(header)
            if at >= 0:
                start = max(start, at + len(header))
    response = query[start:] if start >= 0 else query
    ends = [at for at in (response.find(tok) for tok in end_tokens if tok) if at >= 0]
    if ends:
        response = response[: min(ends)]
    return strip_special_tokens(response, special_tokens)


def completion_text(completion: Any) -> Any:
    """The text of a TRL completion: a string, or (conversational) the last assistant message's content.

    Content given as a list of parts (``[{"type": "text", "text": …}]``) is joined. Anything else is
    returned unchanged, so the verifier scores it 0 with reason ``format`` instead of crashing.
    """
    if isinstance(completion, str):
        return completion
    if (
        isinstance(completion, Sequence)
        and completion
        and all(isinstance(m, Mapping) for m in completion)
    ):
        messages = [
            m for m in completion if m.get("role", "assistant") == "assistant"
        ] or list(completion)
        content = messages[-1].get("content")
        if isinstance(content, list):
            return "".join(
                part["text"]
                for part in content
                if isinstance(part, Mapping)
                and part.get("type") == "text"
                and isinstance(part.get("text"), str)
            )
        return content
    return completion
