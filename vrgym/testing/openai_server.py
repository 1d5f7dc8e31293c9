"""A scripted OpenAI-compatible server on 127.0.0.1, for testing reference-model clients and the filter.

Real servers fail in ways a mock object never does: 500s and 429s under load, fewer choices than
`n`, truncated generations, context-length 400s, a wrong model name, a bad key, answers that are
slow enough to time out. This server speaks the real HTTP protocol (`/v1/models`,
`/v1/chat/completions`, `/v1/completions` with `n`, `seed`, `max_tokens`, `stop`,
`finish_reason`, `usage`) and plays those failures on cue, so tests exercise the client's real
retry, top-up and pre-flight code over sockets. Stdlib only (`ThreadingHTTPServer` in a
background thread); it never loads a model.

    def respond(prompt: str, seed: int | None) -> str:
        return reference if seed % 2 else "no idea"

    with OpenAIServer(Script(respond=respond, errors=[500, 429], latency=0.05)) as server:
        model = make_model("openai", server.model, base_url=server.base_url)
        ...
        assert server.max_concurrent <= 8

Conventions (documented so tests can predict them): a "token" is a whitespace-separated word;
with `seed=s` and `n>1`, choice i is generated with seed `s + i`; a response longer than
`max_tokens` words is cut to `max_tokens` words with finish_reason "length"; a stop string cuts
the text before it with finish_reason "stop". Run it standalone with
`python -m vrgym.testing.openai_server --port 8000 --latency 0.2` (for benchmarks by hand).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_WORD = re.compile(r"\S+")


def default_respond(prompt: str, seed: int | None) -> str:
    """The default scripted answer: names the seed, so tests can see which sample is which."""
    return f"Response for seed {seed}."


def answer_with_references(problems: Iterable[Any], solved: Callable[[Any, int | None], bool],
                           wrong: str = "I am not sure. \\boxed{no answer}") -> Callable[[str, int | None], str]:
    """A `Script.respond` playing a model of known skill on vrgym problems.

    For a prompt that is one of `problems` (vrgym `Problem`s), the reply is the problem's own
    reference response when `solved(problem, seed)` is true, else `wrong`; so a test knows each
    problem's exact pass count in advance (e.g. `solved=lambda p, seed: seed % 4 < p.index % 5`).
    A prompt that is not one of the problems raises, which the server reports as a 500.
    """
    from vrgym import get_template

    by_prompt = {p.prompt: p for p in problems}
    references: dict[str, str] = {}

    def respond(prompt: str, seed: int | None) -> str:
        problem = by_prompt.get(prompt)
        if problem is None:
            raise KeyError(f"the script knows no problem with this prompt: {prompt[:80]!r}")
        if not solved(problem, seed):
            return wrong
        if problem.id not in references:
            references[problem.id] = get_template(problem.task).reference_response(problem)
        return references[problem.id]

    return respond


@dataclass
class Script:
    """What the server does. Fields are read on every request, so a test may change them mid-run.

    `respond(prompt, seed)` makes each choice's text (str, or (text, finish_reason)); for chat,
    `prompt` is the last user message. `errors[i]` is the HTTP status returned by the i-th
    generation call (0 = answer normally; 429/503 carry `Retry-After: retry_after` when set).
    `latency` (seconds, or a function of (prompt, seed)) delays every generation call and
    `delays[i]` adds to the i-th one (to provoke client timeouts). `max_choices` caps the number
    of choices per response (a server returning fewer than `n`; 1 mimics Ollama, which ignores
    `n`). A prompt whose tokens plus max_tokens exceed `context_length` gets vLLM's 400 error.
    Unknown model names get 404; with `api_key` set, a missing or wrong bearer token gets 401.
    """

    respond: Callable[[str, int | None], Any] = default_respond
    models: tuple[str, ...] = ("test-model",)
    api_key: str | None = None
    errors: Sequence[int] = ()
    retry_after: float | None = None
    latency: float | Callable[[str, int | None], float] = 0.0
    delays: Sequence[float] = ()
    max_choices: int | None = None
    context_length: int | None = None
    default_max_tokens: int = 16


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server saw it (for assertions); `status` is what it answered."""

    method: str
    path: str
    body: dict[str, Any] | None
    authorization: str | None
    status: int
    started: float
    finished: float
    call_index: int | None = None


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[RecordedRequest] = field(default_factory=list)
    calls: int = 0
    in_flight: int = 0
    max_concurrent: int = 0


class _Server(ThreadingHTTPServer):
    """A threading HTTP server whose listen backlog fits a client opening 100+ connections at once.

    The stdlib default backlog of 5 drops SYNs under a burst, and each dropped SYN costs the
    client a 1 s retransmit: that would measure the kernel, not the client under test.
    """

    request_queue_size = 256
    daemon_threads = True


class _HTTPError(Exception):
    def __init__(self, status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.kind, self.headers = status, message, kind, headers or {}


class OpenAIServer:
    """The scripted server. Start with `with OpenAIServer(script) as server:` or `start()`/`stop()`.

    Keyword arguments are `Script` fields, a shortcut for `OpenAIServer(Script(...))`.
    """

    def __init__(self, script: Script | None = None, *, port: int = 0, **fields: Any) -> None:
        if script is not None and fields:
            raise TypeError("pass either a Script or Script fields as keyword arguments, not both")
        self.script = script if script is not None else Script(**fields)
        self._port = port
        self._state = _State()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> OpenAIServer:
        """Bind 127.0.0.1 (a free port unless one was given) and serve in a daemon thread."""
        if self._httpd is not None:
            return self
        handler = type("_BoundHandler", (_Handler,), {"server_ref": self})
        httpd = _Server(("127.0.0.1", self._port), handler)
        self._httpd = httpd
        self._stopping.clear()
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
                                        name=f"openai-server-{httpd.server_address[1]}")
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; handlers sleeping in a scripted delay wake up and drop their reply."""
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd, self._thread = None, None

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses and records -----------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the server is not running; call start() or use it as a context manager")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """Root URL, e.g. http://127.0.0.1:40123."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """The OpenAI base URL clients take, e.g. http://127.0.0.1:40123/v1."""
        return self.url + "/v1"

    @property
    def model(self) -> str:
        """The first served model name."""
        return self.script.models[0]

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in arrival order of completion."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def generation_requests(self) -> list[RecordedRequest]:
        """Only the /chat/completions and /completions calls, ordered by call index."""
        gen = [r for r in self.requests if r.call_index is not None]
        return sorted(gen, key=lambda r: r.call_index or 0)

    @property
    def calls(self) -> int:
        """How many generation calls have started."""
        with self._state.lock:
            return self._state.calls

    @property
    def max_concurrent(self) -> int:
        """Most generation calls ever in flight at once (to check a client's concurrency limit)."""
        with self._state.lock:
            return self._state.max_concurrent

    @property
    def in_flight(self) -> int:
        with self._state.lock:
            return self._state.in_flight

    def reset(self) -> None:
        """Forget recorded requests and counters (the call index starts again at 0)."""
        with self._state.lock:
            self._state.requests.clear()
            self._state.calls = self._state.in_flight = self._state.max_concurrent = 0

    # -- request handling (called from handler threads) ----------------------------------------

    def _authorize(self, authorization: str | None) -> None:
        key = self.script.api_key
        if key is not None and authorization != f"Bearer {key}":
            raise _HTTPError(401, "Incorrect API key provided. You can find your API key in your account settings.",
                             "authentication_error")

    def _models(self) -> dict[str, Any]:
        now = int(time.time())
        data = [{"id": m, "object": "model", "created": now, "owned_by": "vrgym-test"} for m in self.script.models]
        return {"object": "list", "data": data}

    def _generate(self, path: str, body: dict[str, Any], call_index: int) -> dict[str, Any]:
        script = self.script
        chat = path.endswith("/chat/completions")
        model = body.get("model")
        if model not in script.models:
            raise _HTTPError(404, f"The model `{model}` does not exist.", "NotFoundError")
        prompt = _prompt_of(body, chat)
        n, seed = _int_field(body, "n", 1, 1), body.get("seed")
        max_tokens = _int_field(body, "max_tokens", script.default_max_tokens, 1)
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise _HTTPError(400, f"seed must be an integer, got {seed!r}", "BadRequestError")
        stop = body.get("stop") or []
        stop = [stop] if isinstance(stop, str) else list(stop)
        prompt_tokens = len(_WORD.findall(prompt))
        if script.context_length is not None and prompt_tokens + max_tokens > script.context_length:
            raise _HTTPError(
                400,
                f"This model's maximum context length is {script.context_length} tokens. However, you requested "
                f"{prompt_tokens + max_tokens} tokens ({prompt_tokens} in the messages, {max_tokens} in the "
                "completion). Please reduce the length of the messages or completion.",
                "BadRequestError",
            )
        errors = list(script.errors)
        if call_index < len(errors) and errors[call_index]:
            status = errors[call_index]
            headers = {}
            if script.retry_after is not None and status in (429, 503):
                headers["Retry-After"] = f"{script.retry_after:g}"
            raise _HTTPError(status, f"scripted failure {status} on call {call_index}", "InjectedError", headers)
        delay = script.latency(prompt, seed) if callable(script.latency) else script.latency
        delays = list(script.delays)
        delay += delays[call_index] if call_index < len(delays) else 0.0
        if delay > 0 and self._stopping.wait(delay):
            raise _HTTPError(503, "server shutting down", "ServiceUnavailable")
        count = n if script.max_choices is None else min(n, script.max_choices)
        choices, completion_tokens = [], 0
        for i in range(count):
            choice_seed = None if seed is None else seed + i
            text, finish = _finish(script.respond(prompt, choice_seed), max_tokens, stop)
            completion_tokens += len(_WORD.findall(text))
            if chat:
                choices.append({"index": i, "message": {"role": "assistant", "content": text},
                                "finish_reason": finish, "logprobs": None})
            else:
                choices.append({"index": i, "text": text, "finish_reason": finish, "logprobs": None})
        return {
            "id": f"{'chatcmpl' if chat else 'cmpl'}-{call_index}",
            "object": "chat.completion" if chat else "text_completion",
            "created": int(time.time()),
            "model": model,
            "choices": choices,
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # One buffered write per response and no Nagle: headers and body sent as separate small
    # segments would stall ~40 ms on delayed ACKs and make the server, not the client, the bottleneck.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True
    server_ref: OpenAIServer

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve(None)

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        self._serve(raw)

    def _serve(self, raw: bytes | None) -> None:
        owner = self.server_ref
        state = owner._state
        started = time.monotonic()
        path = self.path.split("?", 1)[0].rstrip("/")
        authorization = self.headers.get("Authorization")
        body: dict[str, Any] | None = None
        call_index: int | None = None
        counted = False
        try:
            owner._authorize(authorization)
            if self.command == "GET" and path == "/v1/models":
                status, payload, headers = 200, owner._models(), {}
            elif self.command == "POST" and path in ("/v1/chat/completions", "/v1/completions"):
                try:
                    body = json.loads(raw or b"")
                except ValueError as exc:
                    raise _HTTPError(400, f"request body is not JSON: {exc}", "BadRequestError") from exc
                if not isinstance(body, dict):
                    raise _HTTPError(400, "request body must be a JSON object", "BadRequestError")
                with state.lock:
                    call_index = state.calls
                    state.calls += 1
                    state.in_flight += 1
                    state.max_concurrent = max(state.max_concurrent, state.in_flight)
                    counted = True
                status, payload, headers = 200, owner._generate(path, body, call_index), {}
            else:
                raise _HTTPError(404, f"no route {self.command} {path}", "NotFoundError")
        except _HTTPError as err:
            status, headers = err.status, err.headers
            payload = {"error": {"message": err.message, "type": err.kind, "param": None, "code": err.status}}
        except Exception as exc:  # a scripted respond() that raised: report it like a server bug
            status, headers = 500, {}
            payload = {"error": {"message": f"scripted respond failed: {exc!r}", "type": "InternalServerError",
                                 "param": None, "code": 500}}
        finally:
            if counted:
                with state.lock:
                    state.in_flight -= 1
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client went away (cancelled or timed out): nothing to answer
            self.close_connection = True
        with state.lock:
            state.requests.append(RecordedRequest(self.command, path, body, authorization, status, started,
                                                  time.monotonic(), call_index))


def _prompt_of(body: dict[str, Any], chat: bool) -> str:
    if chat:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise _HTTPError(400, "messages must be a non-empty list", "BadRequestError")
        users = [m.get("content") for m in messages if isinstance(m, dict) and m.get("role") == "user"]
        if not users or not isinstance(users[-1], str):
            raise _HTTPError(400, "messages need a user message with string content", "BadRequestError")
        return users[-1]
    prompt = body.get("prompt")
    if not isinstance(prompt, str):
        raise _HTTPError(400, "prompt must be a string (the test server does not batch prompts)", "BadRequestError")
    return prompt


def _int_field(body: dict[str, Any], name: str, default: int, minimum: int) -> int:
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise _HTTPError(400, f"{name} must be an integer >= {minimum}, got {value!r}", "BadRequestError")
    return value


def _finish(reply: Any, max_tokens: int, stop: list[str]) -> tuple[str, str]:
    """Apply stop strings and the max_tokens cut to a scripted reply; return (text, finish_reason)."""
    text, finish = (reply, "stop") if isinstance(reply, str) else (str(reply[0]), str(reply[1]))
    cut = min((i for i in (text.find(s) for s in stop if s) if i >= 0), default=-1)
    if cut >= 0:
        return text[:cut], "stop"
    words = list(_WORD.finditer(text))
    if len(words) > max_tokens:
        return text[: words[max_tokens - 1].end()], "length"
    return text, finish


def main(argv: Sequence[str] | None = None) -> None:
    """Serve a fixed-latency echo server in the foreground until Ctrl-C (manual benchmarks)."""
    import argparse

    parser = argparse.ArgumentParser(description="Scripted OpenAI-compatible test server (vrgym)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per generation call")
    parser.add_argument("--model", default="test-model")
    args = parser.parse_args(argv)
    server = OpenAIServer(port=args.port, latency=args.latency, models=(args.model,)).start()
    print(f"serving {args.model!r} at {server.base_url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
