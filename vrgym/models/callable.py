"""Reference model that is any Python function: `fn(prompt, seed, params) -> str`.

For models that no other backend covers (a custom inference stack, a remote service with its own
SDK), for quick experiments, and for tests of the pipeline without a server. The function may
also return `(text, finish_reason)` to report truncation. It is given as an object (`fn=`) or as
an import path "package.module:function", which is what the CLI and the run manifest use.

With `concurrency > 1` calls run in a thread pool (good for I/O-bound functions); results stream
as requests complete and closing the iterator stops submitting new work (calls already running
in a thread finish, since Python threads cannot be interrupted).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from itertools import islice
from typing import Any

from vrgym.models.base import (
    FINISH_STOP,
    ModelError,
    ReferenceModel,
    Sample,
    SampleRequest,
    SampleResult,
    SamplingParams,
)

SampleFn = Callable[[str, int, SamplingParams], Any]


def resolve_callable(path: str) -> SampleFn:
    """Import "package.module:function" (or "package.module.function") and return the callable."""
    module_name, sep, attr = path.partition(":")
    if not sep:
        module_name, _, attr = path.rpartition(".")
    if not module_name or not attr:
        raise ModelError(f"callable path {path!r} must look like 'package.module:function'")
    try:
        obj: Any = importlib.import_module(module_name)
    except ImportError as exc:
        raise ModelError(f"cannot import module {module_name!r} for the callable backend: {exc}") from exc
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise ModelError(f"module {module_name!r} has no attribute {attr!r} (callable path {path!r})")
        obj = getattr(obj, part)
    if not callable(obj):
        raise ModelError(f"{path!r} is a {type(obj).__name__}, not a callable fn(prompt, seed, params) -> str")
    return obj


class CallableModel(ReferenceModel):
    """Samples by calling `fn(prompt, seed, params)` once per seed.

    Options: `fn` (the callable; else `model` is its import path), `concurrency` (worker threads,
    default 1 = call in the consuming thread), `revision` (recorded in the manifest).
    """

    backend = "callable"

    def __init__(self, model: str | None = None, *, fn: SampleFn | None = None, concurrency: int = 1,
                 revision: str | None = None) -> None:
        if fn is None and not model:
            raise ModelError("the callable backend needs fn=<callable> or model='package.module:function'")
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ModelError(f"concurrency must be an integer >= 1, got {concurrency!r}")
        self.fn: SampleFn = fn if fn is not None else resolve_callable(str(model))
        if not callable(self.fn):
            raise ModelError(f"fn must be callable, got {type(self.fn).__name__}")
        self.model = model or f"{getattr(self.fn, '__module__', '?')}:{getattr(self.fn, '__qualname__', repr(self.fn))}"
        self.concurrency = concurrency
        self.revision = revision

    def describe(self) -> dict[str, Any]:
        return {"backend": self.backend, "model": self.model, "revision": self.revision, "concurrency": self.concurrency}

    def check(self) -> None:
        """The callable must accept (prompt, seed, params) positionally."""
        try:
            inspect.signature(self.fn).bind("prompt", 0, SamplingParams())
        except TypeError as exc:
            raise ModelError(f"{self.model} cannot be called as fn(prompt, seed, params): {exc}") from exc
        except ValueError:  # builtins without a signature: trust them
            pass

    def _run(self, request: SampleRequest) -> SampleResult:
        samples: list[Sample] = []
        for seed in request.seeds:
            try:
                text, finish = _reply(self.fn(request.prompt, seed, request.params))
            except Exception as exc:  # noqa: BLE001  (the function failing is this request's error)
                return SampleResult(request.key, tuple(samples), f"{self.model} failed for seed {seed}: {exc!r}")
            samples.append(Sample(text, seed, str(finish)))
        return SampleResult(request.key, tuple(samples))

    def generate(self, requests: Iterable[SampleRequest]) -> Iterator[SampleResult]:
        """Results in request order with one worker, else as completed with at most 2 x concurrency queued."""
        if self.concurrency == 1:
            return (self._run(_checked(r)) for r in requests)
        return self._generate_pooled(iter(requests))

    def _generate_pooled(self, requests: Iterator[SampleRequest]) -> Iterator[SampleResult]:
        pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="vrgym-callable")
        pending: set[Future[SampleResult]] = set()
        try:
            pending.update(pool.submit(self._run, _checked(r)) for r in islice(requests, 2 * self.concurrency))
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()
                    nxt = next(requests, None)
                    if nxt is not None:
                        pending.add(pool.submit(self._run, _checked(nxt)))
        finally:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)


def _reply(reply: Any) -> tuple[str, str]:
    """(text, finish_reason) from what the function returned: a str, or a (str, str) pair."""
    if isinstance(reply, str):
        return reply, FINISH_STOP
    if isinstance(reply, (tuple, list)) and len(reply) == 2 and isinstance(reply[0], str) and isinstance(reply[1], str):
        return reply[0], reply[1]
    raise TypeError(f"returned {type(reply).__name__}, expected str or (str, finish_reason)")


def _checked(request: Any) -> SampleRequest:
    if not isinstance(request, SampleRequest):
        raise TypeError(f"generate() takes SampleRequest objects, got {type(request).__name__}")
    return request
