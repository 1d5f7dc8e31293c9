"""The reference-model contract: request/result types, the `ReferenceModel` interface, errors.

The pass@k filter asks a reference model for k samples per problem and must not care whether they
come from an OpenAI-compatible server, vLLM in-process, transformers or a plain Python function.
This module is that seam. It is pure stdlib so that the pipeline (and `import vrgym.models`) never
pays for httpx, torch or vllm unless that backend is actually used.

Every sample carries its own seed: results then do not depend on how problems are sharded or
batched, and a resumed run asks for exactly the samples that are missing.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from vrgym.errors import VrgymError

FINISH_STOP = "stop"
FINISH_LENGTH = "length"


class ModelError(VrgymError):
    """A reference model could not be used as asked (bad options, backend missing, bad reply)."""


class ModelUnavailableError(ModelError):
    """The pre-flight check failed: no server, unknown model name or bad credentials.

    Raised by `ReferenceModel.check()` before any work starts; the message names the remedy.
    """


@dataclass(frozen=True)
class SamplingParams:
    """How to sample; JSON-able with `dataclasses.asdict` (or `to_dict`) for the run manifest.

    `max_tokens` is always explicit because servers' defaults are traps (vLLM's is 16: every
    problem would look unsolvable). `extra` is passed through to the backend untouched
    (e.g. `{"top_k": 20, "min_p": 0.0}` for vLLM/SGLang servers).
    """

    temperature: float = 1.0
    top_p: float = 1.0
    max_tokens: int = 2048
    stop: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.stop, str) or not isinstance(self.stop, tuple):
            object.__setattr__(self, "stop", (self.stop,) if isinstance(self.stop, str) else tuple(self.stop))
        if not all(isinstance(s, str) and s for s in self.stop):
            raise ModelError(f"stop sequences must be non-empty strings, got {self.stop!r}")
        if not (isinstance(self.temperature, (int, float)) and math.isfinite(self.temperature) and self.temperature >= 0):
            raise ModelError(f"temperature must be a finite number >= 0, got {self.temperature!r}")
        if not (isinstance(self.top_p, (int, float)) and 0 < self.top_p <= 1):
            raise ModelError(f"top_p must be in (0, 1], got {self.top_p!r}")
        if isinstance(self.max_tokens, bool) or not isinstance(self.max_tokens, int) or self.max_tokens < 1:
            raise ModelError(f"max_tokens must be an integer >= 1, got {self.max_tokens!r}")
        if not isinstance(self.extra, dict):
            raise ModelError(f"extra must be a dict of backend options, got {type(self.extra).__name__}")

    def to_dict(self) -> dict[str, Any]:
        """The params as plain JSON data (stop as a list) for manifests and request bodies."""
        data = dataclasses.asdict(self)
        data["stop"] = list(self.stop)
        return data


@dataclass(frozen=True)
class SampleRequest:
    """Ask for `len(seeds)` samples of one prompt; `key` (e.g. the problem id) is echoed back.

    Chat backends send `prompt` as one user message; completion backends send it verbatim.
    """

    key: str
    prompt: str
    seeds: tuple[int, ...]
    params: SamplingParams = field(default_factory=SamplingParams)

    def __post_init__(self) -> None:
        if not isinstance(self.seeds, tuple):
            object.__setattr__(self, "seeds", tuple(self.seeds))
        if not all(isinstance(s, int) and not isinstance(s, bool) for s in self.seeds):
            raise ModelError(f"request {self.key!r}: seeds must be integers, got {self.seeds!r}")
        if len(set(self.seeds)) != len(self.seeds):
            raise ModelError(f"request {self.key!r}: seeds must be distinct (one per sample), got {self.seeds!r}")
        if not isinstance(self.prompt, str):
            raise ModelError(f"request {self.key!r}: prompt must be a string, got {type(self.prompt).__name__}")


@dataclass(frozen=True)
class Sample:
    """One generated response. `finish_reason` is "stop", "length" (truncated) or the server's word."""

    text: str
    seed: int
    finish_reason: str
    completion_tokens: int | None = None

    @property
    def truncated(self) -> bool:
        """True when generation hit max_tokens: count it apart from genuine wrong answers."""
        return self.finish_reason == FINISH_LENGTH


@dataclass(frozen=True)
class SampleResult:
    """The outcome of one `SampleRequest`.

    On success `samples` has exactly one sample per requested seed, in the request's seed order,
    and `error` is None. When the request failed for good (after retries, or at once for a
    non-retryable error such as a too-long prompt) `error` says why and `samples` holds only the
    samples that did succeed (possibly none), still in seed order: each carries its seed, so a
    caller that checkpoints per sample may keep them and ask again only for the rest.
    """

    key: str
    samples: tuple[Sample, ...]
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when every requested sample was produced."""
        return self.error is None


class ReferenceModel(ABC):
    """A source of samples for the difficulty filter. Use as a context manager or call `close()`."""

    backend: str = "?"

    @abstractmethod
    def describe(self) -> dict[str, Any]:
        """Manifest entry: backend, model, revision, base_url, mode… — never a secret."""

    @abstractmethod
    def check(self) -> None:
        """Fast pre-flight: raise `ModelUnavailableError` with a remedy if the model cannot serve."""

    @abstractmethod
    def generate(self, requests: Iterable[SampleRequest]) -> Iterator[SampleResult]:
        """Yield one result per request as each completes (any order).

        Implementations pull requests lazily and keep in-flight work bounded, so a caller can
        checkpoint every result as it arrives; closing the returned iterator cancels what is
        still in flight.
        """

    def close(self) -> None:
        """Release resources (connections, engines). Safe to call twice."""

    def __enter__(self) -> ReferenceModel:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def import_optional(module: str, install: str, what: str) -> Any:
    """Import an optional heavy dependency, or raise a ModelError telling how to install it.

    Backends call this lazily (at construction), so `import vrgym.models` stays light and a
    missing package is reported with the exact pip command rather than a bare ImportError.
    """
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ModelError(
            f"the {what} backend needs the {module!r} package, which is not installed ({exc}). "
            f"Install it with: {install}"
        ) from exc


def chat_messages(prompt: str, system_prompt: str | None = None) -> list[dict[str, str]]:
    """The conversation every chat backend sends: an optional system message, then the prompt as the user.

    One definition, so the HTTP, vLLM and transformers backends present a problem identically.
    """
    head = [{"role": "system", "content": system_prompt}] if system_prompt else []
    return [*head, {"role": "user", "content": prompt}]


def seed_chunks(seeds: tuple[int, ...], per_call: int) -> list[tuple[int, ...]]:
    """Split a request's seeds into calls of at most `per_call` samples (the first seed seeds the call)."""
    return [seeds[i : i + per_call] for i in range(0, len(seeds), per_call)]


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Lists of `size` consecutive items (the last may be shorter); itertools.batched is 3.12+."""
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch
