"""Reference model behind any OpenAI-compatible HTTP server: vLLM, SGLang, llama.cpp, Ollama, hosted APIs.

Sampling k responses for thousands of prompts is mostly waiting on a server, so the client is an
asyncio loop (httpx, imported lazily) running in a background thread while the caller consumes
results and checkpoints them. What it does about real servers' failure modes:

- a concurrency limit (a semaphore around each HTTP call) and a bounded window of pulled
  requests, so memory stays flat and the server is never flooded;
- retries with exponential backoff and jitter on 429, 5xx, timeouts and connection errors,
  honouring `Retry-After`; never on other 4xx (a context-length 400 fails that request for good
  with the server's message, at once);
- one seed per sample (`n_per_request=1`, the default: results do not depend on batching or
  sharding and work on servers that ignore `n`, like Ollama), or `n` samples per call;
- a top-up when a server returns fewer choices than `n` (vLLM once returned 1 for n > 1), and
  automatic fallback to one call per seed when a server ignores `n`;
- `check()`: `GET /models` before any work, with a remedy for a missing server, a bad key or a
  model name the server does not serve (the served names are listed).

A chat endpoint sends the prompt as one user message (after an optional system prompt); the
completions endpoint sends it verbatim, which gives exact control of the template.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import queue
import random
import threading
import weakref
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from vrgym.models.base import (
    ModelError,
    ModelUnavailableError,
    ReferenceModel,
    Sample,
    SampleRequest,
    SampleResult,
    SamplingParams,
    chat_messages,
    import_optional,
    seed_chunks,
)

DEFAULT_BASE_URL = "http://127.0.0.1:8000/v1"
RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
_END = object()


def normalize_base_url(url: str) -> str:
    """`http://host:8000` -> `http://host:8000/v1`; a URL that already has a path is kept as given.

    Local servers (vLLM, llama.cpp, SGLang, Ollama) all serve under /v1, and users often paste the
    bare host; hosted APIs may use other paths, which are left alone.
    """
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ModelError(f"base_url {url!r} is not an http(s) URL; pass e.g. --base-url http://127.0.0.1:8000/v1")
    return url if parts.path not in ("", "/") else url + "/v1"


def default_timeout(max_tokens: int) -> float:
    """Seconds to wait for one response: 60 s plus 50 ms per requested token (20 tokens/s floor).

    Long chain-of-thought generations legitimately take minutes, so a fixed short timeout would
    turn slow-but-fine answers into retries; an explicit `timeout=` overrides this.
    """
    return 60.0 + 0.05 * max_tokens


_PULL_BATCH = 64


def _pull(requests: Iterator[SampleRequest], n: int) -> list[SampleRequest]:
    return list(itertools.islice(requests, n))


class _Window:
    """How many more requests the loop may pull: results not yet taken by the consumer count as pulled.

    Touched only on the loop's thread (the consumer releases through `call_soon_threadsafe`), so a
    plain counter and an Event suffice. This bounds memory whatever the caller's pace.
    """

    def __init__(self, size: int) -> None:
        self.free = size
        self.room = asyncio.Event()

    def release(self) -> None:
        self.free += 1
        self.room.set()

    def give_back(self, n: int) -> None:
        self.free += n

    async def take_all(self) -> int:
        while self.free == 0:
            self.room.clear()
            await self.room.wait()
        taken, self.free = self.free, 0
        return taken


class _Connections:
    """`concurrency` single-connection httpx clients; holding one is holding a concurrency slot.

    One shared httpx pool scans every connection on each request, so its CPU cost per call grows
    with the concurrency (measured here: 1.2 ms at 1, 4.8 ms at 32, 8.6 ms at 64 connections,
    and throughput fell accordingly); single-connection clients handed out from a free list stay
    at about 1.3 ms per call at any concurrency. They share one SSL context, so starting 64 of
    them does not load the CA bundle 64 times.
    """

    def __init__(self, httpx: Any, size: int, base_url: str, headers: dict[str, str],
                 rate_limit: float | None = None) -> None:
        self.interval = 1 / rate_limit if rate_limit else 0.0
        self.next_start = 0.0
        ssl_context = httpx.create_ssl_context()
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        self.clients = [httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits, verify=ssl_context)
                        for _ in range(size)]
        self.free: asyncio.Queue[Any] = asyncio.Queue()
        for client in self.clients:
            self.free.put_nowait(client)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[Any]:
        """A client to make one call with; waits for a free one, and for the rate limit's next start."""
        client = await self.free.get()
        try:
            if self.interval:
                loop = asyncio.get_running_loop()
                now = loop.time()
                start, self.next_start = max(now, self.next_start), max(now, self.next_start) + self.interval
                if start > now:
                    await asyncio.sleep(start - now)
            yield client
        finally:
            self.free.put_nowait(client)

    async def aclose(self) -> None:
        await asyncio.gather(*(c.aclose() for c in self.clients), return_exceptions=True)


class _Abort(Exception):
    """Stop generating: the error was already handed to the consumer."""


class _RequestFailed(Exception):
    """One HTTP call failed for good (non-retryable status, or retries exhausted)."""


@dataclass(frozen=True)
class _Choice:
    text: str
    finish_reason: str
    completion_tokens: int | None


class OpenAIModel(ReferenceModel):
    """Samples from an OpenAI-compatible server.

    Options: `base_url` (default `$OPENAI_BASE_URL` or http://127.0.0.1:8000/v1), `api_key`
    (default `$OPENAI_API_KEY`; sent as a bearer token, never recorded), `endpoint` ("chat" or
    "completions"), `concurrency` (HTTP calls in flight), `timeout` (seconds per call; default
    from max_tokens, see `default_timeout`), `connect_timeout`, `max_retries` (extra attempts per
    call), `backoff`/`max_backoff` (seconds; exponential with jitter), `n_per_request` (samples per
    call; 1 = one seed per sample), `system_prompt` (chat only), `revision` (recorded in the
    manifest: servers cannot report it), `headers` (extra HTTP headers, e.g. for a gateway),
    `max_pending` (requests pulled ahead of the consumer; default 2 x concurrency), `rate_limit`
    (HTTP calls per second, retries included, for hosted APIs with request quotas).
    """

    backend = "openai"

    def __init__(
        self,
        model: str | None,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        endpoint: str = "chat",
        concurrency: int = 16,
        timeout: float | None = None,
        connect_timeout: float = 10.0,
        max_retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        n_per_request: int = 1,
        system_prompt: str | None = None,
        revision: str | None = None,
        headers: dict[str, str] | None = None,
        max_pending: int | None = None,
        rate_limit: float | None = None,
    ) -> None:
        if not model or not isinstance(model, str):
            raise ModelError("the openai backend needs a model name as the server knows it (--model NAME)")
        if endpoint not in ("chat", "completions"):
            raise ModelError(f"endpoint must be 'chat' or 'completions', got {endpoint!r}")
        for name, value in (("concurrency", concurrency), ("n_per_request", n_per_request)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ModelError(f"{name} must be an integer >= 1, got {value!r}")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ModelError(f"max_retries must be an integer >= 0, got {max_retries!r}")
        if timeout is not None and not timeout > 0:
            raise ModelError(f"timeout must be a positive number of seconds, got {timeout!r}")
        if system_prompt is not None and endpoint != "chat":
            raise ModelError("system_prompt needs the chat endpoint; with completions put it in the prompt itself")
        if rate_limit is not None and not rate_limit > 0:
            raise ModelError(f"rate_limit must be a positive number of calls per second, got {rate_limit!r}")
        self.model = model
        self.base_url = normalize_base_url(base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL)
        self._api_key = api_key if api_key is not None else os.environ.get("OPENAI_API_KEY")
        self.endpoint = endpoint
        self.concurrency = concurrency
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.n_per_request = n_per_request
        self.system_prompt = system_prompt
        self.revision = revision
        self.max_pending = max_pending if max_pending is not None else 2 * concurrency
        self.rate_limit = rate_limit
        self._extra_headers = dict(headers or {})
        self._server_model: dict[str, Any] | None = None
        self._ignores_n = False
        self._random = random.Random()
        self._open: weakref.WeakSet[Any] = weakref.WeakSet()
        self._httpx = import_optional("httpx", "pip install httpx", "openai")

    # -- manifest and pre-flight ---------------------------------------------------------------

    @property
    def path(self) -> str:
        return "/chat/completions" if self.endpoint == "chat" else "/completions"

    def _headers(self) -> dict[str, str]:
        from vrgym import __version__

        headers = {"User-Agent": f"vrgym/{__version__}", **self._extra_headers}
        if self._api_key:
            headers["Authorization"] = f"Bearer {self._api_key}"
        return headers

    def describe(self) -> dict[str, Any]:
        """Backend, model, base_url, endpoint, sampling mode, and what /models reported (after check)."""
        return {
            "backend": self.backend,
            "model": self.model,
            "revision": self.revision,
            "base_url": self.base_url,
            "endpoint": self.endpoint,
            "n_per_request": self.n_per_request,
            "server_ignores_n": self._ignores_n,
            "system_prompt": self.system_prompt,
            "server_model": self._server_model,
            "extra_headers": sorted(self._extra_headers),  # names only: values may be secrets
        }

    def check(self) -> None:
        """GET /models: the server answers, accepts our credentials and serves `self.model`."""
        httpx = self._httpx
        url = self.base_url + "/models"
        try:
            with httpx.Client(timeout=httpx.Timeout(self.connect_timeout + 5, connect=self.connect_timeout)) as client:
                resp = client.get(url, headers=self._headers())
        except httpx.ConnectError as exc:
            raise ModelUnavailableError(
                f"no server at {self.base_url} ({exc}). Start one, e.g. `vllm serve {self.model}`, "
                f"`llama-server -m model.gguf --port 8000` or `ollama serve`, or pass --base-url"
            ) from exc
        except httpx.TimeoutException as exc:
            raise ModelUnavailableError(
                f"the server at {self.base_url} did not answer GET /models within {self.connect_timeout + 5:g}s; "
                "is it still loading the model? Retry when it is ready, or check --base-url"
            ) from exc
        except httpx.HTTPError as exc:
            raise ModelUnavailableError(f"cannot reach {url}: {exc!r}; check --base-url") from exc
        if resp.status_code in (401, 403):
            raise ModelUnavailableError(
                f"bad credentials for {self.base_url} (HTTP {resp.status_code}: {_error_message(resp)}); "
                "set OPENAI_API_KEY or pass --api-key"
            )
        if resp.status_code == 404:
            raise ModelUnavailableError(
                f"{url} does not exist (HTTP 404); is --base-url right? OpenAI-compatible servers usually "
                "serve under /v1, e.g. http://127.0.0.1:8000/v1"
            )
        if resp.status_code != 200:
            raise ModelUnavailableError(f"GET {url} failed: HTTP {resp.status_code}: {_error_message(resp)}")
        try:
            entries = [m for m in resp.json()["data"] if isinstance(m, dict)]
            served = [str(m["id"]) for m in entries]
        except (ValueError, KeyError, TypeError) as exc:
            raise ModelUnavailableError(f"GET {url} did not return an OpenAI model list: {resp.text[:200]!r}") from exc
        if self.model not in served:
            listed = ", ".join(served[:20]) + (" …" if len(served) > 20 else "") if served else "(none)"
            raise ModelUnavailableError(
                f"model {self.model!r} is not served at {self.base_url}; available: {listed}. "
                "Pass one of them as --model"
            )
        self._server_model = next(m for m in entries if str(m["id"]) == self.model)

    # -- generation ----------------------------------------------------------------------------

    def generate(self, requests: Iterable[SampleRequest]) -> Iterator[SampleResult]:
        """Stream one SampleResult per request as each completes; closing the iterator cancels the rest."""
        gen = self._generate(requests)
        self._open.add(gen)
        return gen

    def close(self) -> None:
        """Cancel any generation still running (one being iterated right now, in another thread, is left alone)."""
        for gen in list(self._open):
            try:
                gen.close()
            except ValueError:  # "generator already executing": its own consumer will finish or close it
                pass

    def _generate(self, requests: Iterable[SampleRequest]) -> Iterator[SampleResult]:
        out: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        window = _Window(self.max_pending)
        loop = asyncio.new_event_loop()
        # A list is read in the loop itself; any other iterable (a generator making problems,
        # a file reader) is pulled in a worker thread so slow input never stalls in-flight I/O.
        direct = isinstance(requests, (list, tuple))
        task = loop.create_task(self._main(iter(requests), direct, out, window))
        thread = threading.Thread(target=loop.run_until_complete, args=(task,), daemon=True, name="vrgym-openai")
        thread.start()
        finished = False
        try:
            while True:
                kind, value = out.get()
                if kind == "result":
                    loop.call_soon_threadsafe(window.release)
                    yield value
                elif kind == "end":
                    finished = True
                    return
                else:
                    finished = True
                    raise value
        finally:
            if not finished:
                loop.call_soon_threadsafe(task.cancel)
            thread.join()
            loop.close()

    async def _main(self, requests: Iterator[SampleRequest], direct: bool, out: queue.SimpleQueue,
                    window: _Window) -> None:
        loop = asyncio.get_running_loop()
        pending: set[asyncio.Task] = set()

        def deliver(task: asyncio.Task) -> None:
            pending.discard(task)
            if not task.cancelled():
                out.put(("result", task.result()))

        connections = _Connections(self._httpx, self.concurrency, self.base_url, self._headers(), self.rate_limit)
        try:
            exhausted = False
            while not exhausted:
                room = await window.take_all()
                want = min(room, _PULL_BATCH)
                try:
                    batch = _pull(requests, want) if direct else await loop.run_in_executor(None, _pull, requests, want)
                except Exception as exc:  # the caller's iterable raised: hand it back to the caller
                    out.put(("raise", exc))
                    raise _Abort from exc
                window.give_back(room - len(batch))
                exhausted = len(batch) < want
                for request in batch:
                    if not isinstance(request, SampleRequest):
                        kind = type(request).__name__
                        out.put(("raise", TypeError(f"generate() takes SampleRequest objects, got {kind}")))
                        raise _Abort
                    one = asyncio.create_task(self._one(connections, request))
                    pending.add(one)
                    one.add_done_callback(deliver)
            if pending:
                await asyncio.gather(*pending)
            out.put(("end", None))
        except (asyncio.CancelledError, _Abort):  # closed by the consumer, or its input failed
            for t in pending:
                t.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        except BaseException as exc:  # noqa: BLE001  (a bug must reach the caller, not hang it)
            out.put(("raise", exc))
        finally:
            await connections.aclose()

    async def _one(self, connections: _Connections, request: SampleRequest) -> SampleResult:
        step = 1 if self._ignores_n else self.n_per_request
        chunks = seed_chunks(request.seeds, step)
        try:
            parts = await asyncio.gather(*(self._chunk(connections, request, c) for c in chunks))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001  (a client bug becomes this request's error, not a hang)
            return SampleResult(request.key, (), f"client error: {exc!r}")
        samples = tuple(s for got, _ in parts for s in got)
        errors = list(dict.fromkeys(err for _, err in parts if err))
        return SampleResult(request.key, samples, "; ".join(errors) or None)

    async def _chunk(self, connections: _Connections, request: SampleRequest,
                     seeds: tuple[int, ...]) -> tuple[list[Sample], str | None]:
        """Samples for `seeds` in one call, topping up (or splitting per seed) if the server returns fewer."""
        try:
            choices = await self._call(connections, request, seeds)
        except _RequestFailed as exc:
            return [], str(exc)
        taken = choices[: len(seeds)]
        got = [Sample(c.text, seed, c.finish_reason, c.completion_tokens) for seed, c in zip(seeds, taken)]
        rest = seeds[len(taken) :]
        if not rest:
            return got, None
        if len(taken) == 1:  # the server ignores n (Ollama does): one call per remaining seed
            self._ignores_n = True
            parts = await asyncio.gather(*(self._chunk(connections, request, (s,)) for s in rest))
        else:
            parts = [await self._chunk(connections, request, rest)]
        for more, _ in parts:
            got.extend(more)
        errors = [err for _, err in parts if err]
        got.sort(key=lambda s: seeds.index(s.seed))
        return got, errors[0] if errors else None

    def _body(self, request: SampleRequest, seeds: tuple[int, ...]) -> dict[str, Any]:
        p: SamplingParams = request.params
        body: dict[str, Any] = {"model": self.model, "seed": seeds[0], "max_tokens": p.max_tokens,
                                "temperature": p.temperature, "top_p": p.top_p}
        if len(seeds) > 1:
            body["n"] = len(seeds)
        if p.stop:
            body["stop"] = list(p.stop)
        if self.endpoint == "chat":
            body["messages"] = chat_messages(request.prompt, self.system_prompt)
        else:
            body["prompt"] = request.prompt
        body.update(p.extra)
        return body

    async def _call(self, connections: _Connections, request: SampleRequest,
                    seeds: tuple[int, ...]) -> list[_Choice]:
        """One logical call with retries; returns at least one choice or raises _RequestFailed."""
        httpx = self._httpx
        body = self._body(request, seeds)
        seconds = self.timeout or default_timeout(request.params.max_tokens)
        timeout = httpx.Timeout(seconds, connect=min(self.connect_timeout, seconds))
        last = "no attempt made"
        for attempt in range(self.max_retries + 1):
            retry_after: float | None = None
            try:
                async with connections.slot() as client:
                    resp = await client.post(self.path, json=body, timeout=timeout)
            except httpx.TimeoutException:
                last = f"timed out after {seconds:g}s"
            except httpx.TransportError as exc:
                last = f"connection error: {exc!r}"
            else:
                status = resp.status_code
                if status == 200:
                    try:
                        choices = _parse_choices(resp.json(), chat=self.endpoint == "chat")
                    except (ValueError, KeyError, TypeError, AttributeError) as exc:
                        last = f"malformed response ({exc!r}): {resp.text[:200]!r}"
                    else:
                        if choices:
                            return choices
                        last = "the server returned no choices"
                elif status in RETRYABLE_STATUS or status >= 500:
                    last = f"HTTP {status}: {_error_message(resp)}"
                    retry_after = _retry_after(resp.headers.get("Retry-After"))
                else:
                    raise _RequestFailed(self._explain(status, _error_message(resp)))
            if attempt < self.max_retries:
                await asyncio.sleep(self._delay(attempt, retry_after))
        raise _RequestFailed(f"gave up after {self.max_retries + 1} attempts: {last}")

    def _delay(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with equal jitter; a server's Retry-After is a floor (capped at 120 s)."""
        cap = min(self.max_backoff, self.backoff * 2**attempt)
        delay = cap / 2 + self._random.uniform(0, cap / 2)
        if retry_after is not None:
            delay = max(delay, min(retry_after, 120.0))
        return delay

    def _explain(self, status: int, message: str) -> str:
        if status == 400 and "context" in message.lower():
            return (f"HTTP 400, not retried: {message} (the prompt plus max_tokens exceeds the model's context; "
                    "lower max_tokens or skip this problem)")
        if status in (401, 403):
            return f"HTTP {status}, bad credentials: {message}; set OPENAI_API_KEY or pass --api-key"
        if status == 404:
            return (f"HTTP 404: {message} (is model {self.model!r} served, and does the server offer the "
                    f"{self.endpoint} endpoint?)")
        return f"HTTP {status}, not retried: {message}"


def _parse_choices(payload: dict[str, Any], *, chat: bool) -> list[_Choice]:
    raw = sorted(payload["choices"], key=lambda c: c.get("index", 0))
    usage = payload.get("usage") or {}
    tokens = usage.get("completion_tokens") if len(raw) == 1 else None
    choices = []
    for c in raw:
        text = (c.get("message") or {}).get("content") if chat else c.get("text")
        choices.append(_Choice(text if isinstance(text, str) else "", str(c.get("finish_reason") or "unknown"),
                               tokens if isinstance(tokens, int) else None))
    return choices


def _error_message(resp: Any) -> str:
    """The server's error text: OpenAI's {"error": {"message"}} or vLLM's older {"message"}."""
    try:
        payload = resp.json()
    except ValueError:
        return resp.text[:300] or resp.reason_phrase
    if isinstance(payload, dict):
        err = payload.get("error")
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])[:500]
        if isinstance(err, str):
            return err[:500]
        if payload.get("message"):
            return str(payload["message"])[:500]
    return resp.text[:300]


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds form; HTTP dates are ignored)."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None
