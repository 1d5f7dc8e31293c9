"""The Ray executor of the difficulty filter: sampling and scoring spread over a cluster with `ray.data`.

`FilterRun` decides what is missing and checkpoints whatever comes back; this executor only moves
the work (see `vrgym.filter.executor`). Both steps are `ray.data` pipelines whose results stream
back to the driver block by block, in completion order, so the driver appends them to the run's
append-only logs as they arrive: a run killed at any point loses at most the blocks in flight
(never logged, hence asked for again on resume) and duplicates nothing. Because per-sample seeds
are a hash of (run seed, problem id, sample index) and verification is pure, a run gives the same
samples, scores and selection with or without Ray, and may be resumed with either.

Sampling (`sample`) maps `SampleRequest`s (one per problem with missing samples) through workers
that each build the reference model once:

* ``openai`` — an actor pool; each actor holds one client with its own concurrency limit, so the
  total number of requests in flight is actors x ``concurrency`` (default one actor per node);
* ``vllm`` / ``hf`` — one engine actor per GPU (``num_gpus`` = the tensor-parallel size), as
  many as the cluster has GPUs; the engine is loaded and checked in the actor, never on the driver;
* ``callable`` and any other backend — plain Ray tasks (the function is stateless).

The model reaches the workers as a factory (`functools.partial(make_model, backend, name,
**options)`, what the CLI passes) or, failing that, as the pickled model object itself.

Scoring (`score`) maps `vrgym.filter.steps.score_records` over blocks of sample records as CPU
tasks; the problems travel once through the object store and are cached per worker process.

Connecting: `RayExecutor(address)` attaches to the cluster at `address` (``host:port``,
``ray://host:port`` or ``auto``) after a quick TCP pre-flight, so an unreachable address is a
one-line error instead of a long hang; with no address it starts a quiet local instance (no
dashboard, `num_cpus` CPUs) unless `RAY_ADDRESS` names a cluster. An instance this executor
started is shut down by `close()`; one that was already running is left alone.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vrgym.errors import VrgymError
from vrgym.problem import Problem

INSTALL = "pip install 'vrgym[ray]'"
LOCAL = "local"
"""The address meaning "start a local Ray instance" (what a bare `--ray` means)."""
ACTOR_BACKENDS = frozenset({"openai"})
GPU_BACKENDS = frozenset({"vllm", "hf"})
DEFAULT_SCORE_BATCH = 64
_CONNECT_TIMEOUT = 5.0


class RayUnavailableError(VrgymError):
    """Ray is not installed, or the cluster cannot be reached or cannot run the work."""


def import_ray() -> Any:
    """`ray` with `ray.data` loaded, or RayUnavailableError naming the install command."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise RayUnavailableError(f"running on Ray needs the 'ray[data]' package ({exc}); install it with: {INSTALL}") from None
    return ray


# ---------------------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class SamplingPlan:
    """How the sample step is laid out on the cluster: actors (with resources) or tasks, and batch size."""

    kind: str  # "actors" | "tasks"
    workers: int  # actors in the pool, or the most tasks at once
    num_cpus: float
    num_gpus: float
    batch_size: int  # requests per call of a worker


def plan_sampling(
    backend: str,
    resources: Mapping[str, float],
    nodes: int,
    *,
    actors: int | None = None,
    concurrency: int = 1,
    gpus_per_engine: int = 1,
    batch_size: int | None = None,
) -> SamplingPlan:
    """Lay the sample step out for `backend` on a cluster with `resources` (`ray.cluster_resources()`).

    Pure, so the GPU layout can be tested on a machine without GPUs. An HTTP client is I/O bound:
    its actors take a quarter CPU each and a batch of 4 x `concurrency` requests keeps every
    connection busy between batches. An engine needs whole GPUs; with none in the cluster the
    error says which backend to use instead.
    """
    cpus = max(1, int(resources.get("CPU", 1)))
    if actors is not None and actors < 1:
        raise ValueError(f"the number of model actors must be >= 1, got {actors}")
    if backend in ACTOR_BACKENDS:
        return SamplingPlan("actors", actors or max(1, nodes), 0.25, 0.0, batch_size or 4 * max(1, concurrency))
    if backend in GPU_BACKENDS:
        gpus = int(resources.get("GPU", 0))
        per = max(1, gpus_per_engine)
        if gpus < per:
            if backend == "hf":  # transformers also runs on CPU: one engine, on one CPU
                return SamplingPlan("actors", actors or 1, 1.0, 0.0, batch_size or 8)
            raise RayUnavailableError(
                f"the {backend} backend on Ray needs {per} GPU(s) per engine actor, but the cluster has {gpus}; add GPU "
                "nodes, serve the model with `vllm serve` and use --backend openai, or run without --ray"
            )
        engines = gpus // per
        if actors is not None and actors > engines:
            raise RayUnavailableError(f"--ray-actors {actors} needs {actors * per} GPUs, but the cluster has {gpus}")
        return SamplingPlan("actors", actors or engines, 1.0, float(per), batch_size or 256)
    return SamplingPlan("tasks", actors or cpus, 1.0, 0.0, batch_size or 8)


# ---------------------------------------------------------------------------------------- connection


def parse_address(address: str) -> tuple[str, int] | None:
    """(host, port) to pre-flight for a `host:port` or `ray://host:port` address; None for 'auto'/'local'."""
    if address in ("auto", LOCAL):
        return None
    text = address.split("://", 1)[1] if "://" in address else address
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise RayUnavailableError(
            f"--ray {address!r} is not a Ray address; give host:port (e.g. 10.0.0.5:6379), ray://host:10001, "
            "auto (the cluster this machine belongs to), or no value for a local instance"
        )
    return host.strip("[]"), int(port)


def check_reachable(address: str, timeout: float = _CONNECT_TIMEOUT) -> None:
    """Open a TCP connection to the address (a quick pre-flight: `ray.init` may wait a minute before failing)."""
    target = parse_address(address)
    if target is None:
        return
    try:
        with socket.create_connection(target, timeout=timeout):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RayUnavailableError(
            f"no Ray cluster answers at {address} ({reason}); start one with `ray start --head` on that machine, "
            "check the address and port, or drop the address (bare --ray starts a local instance)"
        ) from None


def connect(ray: Any, address: str, num_cpus: int | None) -> bool:
    """Attach to `address` (or start a local instance); True when this call did it (so it should shut down)."""
    check_reachable(address)  # first, even when attached already: an unreachable address is a mistake to report
    if ray.is_initialized():
        return False
    quiet = {"include_dashboard": False, "log_to_driver": False, "logging_level": "ERROR"}
    try:
        if address == LOCAL:
            if os.environ.get("RAY_ADDRESS"):
                ray.init(**quiet)
            else:
                ray.init(num_cpus=num_cpus or min(os.cpu_count() or 1, 8), **quiet)
        else:
            quiet.pop("include_dashboard")  # only meaningful when starting a cluster
            ray.init(address=address, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RayUnavailableError(
            f"cannot connect to Ray at {address}: {first}; start a cluster with `ray start --head`, check the address, "
            "or run without --ray"
        ) from None
    _quiet_data(ray)
    return True


def _quiet_data(ray: Any) -> None:
    """No Ray Data progress bars or plan banners: the CLI draws its own progress."""
    import logging

    logging.getLogger("ray.data").setLevel(logging.CRITICAL)  # failures reach the caller as one error
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.verbose_stats_logs = False


# ---------------------------------------------------------------------------------------- worker side


def _request_to_json(request: Any) -> str:
    return json.dumps(
        {"key": request.key, "prompt": request.prompt, "seeds": list(request.seeds), "params": request.params.to_dict()}
    )


def _request_from_json(text: str) -> Any:
    from vrgym.models import SampleRequest, SamplingParams

    data = json.loads(text)
    params = dict(data["params"])
    params["stop"] = tuple(params.get("stop") or ())
    return SampleRequest(data["key"], data["prompt"], tuple(data["seeds"]), SamplingParams(**params))


def _result_to_json(result: Any) -> str:
    samples = [[s.text, s.seed, s.finish_reason, s.completion_tokens] for s in result.samples]
    return json.dumps({"key": result.key, "samples": samples, "error": result.error}, ensure_ascii=False)


def _result_from_json(text: str) -> Any:
    from vrgym.models import Sample, SampleResult

    data = json.loads(text)
    return SampleResult(data["key"], tuple(Sample(*s) for s in data["samples"]), data["error"])


def _generate_batch(model: Any, batch: Mapping[str, Any]) -> dict[str, list[str]]:
    from contextlib import closing

    requests = [_request_from_json(str(text)) for text in batch["request"]]
    with closing(model.generate(requests)) as results:
        return {"result": [_result_to_json(result) for result in results]}


class _ModelActor:
    """A Ray Data actor holding one reference model (a client, or an engine on its GPU)."""

    def __init__(self, build: Callable[[], Any], check: bool) -> None:
        self.model = build()
        if check:  # engines are loaded and checked here, on the GPU node, not on the driver
            self.model.check()

    def __call__(self, batch: Mapping[str, Any]) -> dict[str, list[str]]:
        return _generate_batch(self.model, batch)


def _sample_task(batch: Mapping[str, Any], build: Callable[[], Any]) -> dict[str, list[str]]:
    """A stateless sampling task: build the model (a callable is cheap to build), sample, release."""
    model = build()
    try:
        return _generate_batch(model, batch)
    finally:
        model.close()


_PROBLEM_CACHE: dict[str, dict[str, Problem]] = {}
_PROBLEM_LOCK = threading.Lock()


def _problems_of(holder: Sequence[Any]) -> dict[str, Problem]:
    """The problems behind an object-store reference, fetched and parsed once per worker process."""
    import ray

    ref = holder[0]
    key = ref.hex()
    with _PROBLEM_LOCK:
        if key not in _PROBLEM_CACHE:
            _PROBLEM_CACHE.clear()  # one run at a time per worker: keep memory flat
            _PROBLEM_CACHE[key] = {pid: Problem.from_json(text) for pid, text in ray.get(ref).items()}
        return _PROBLEM_CACHE[key]


def _score_task(batch: Mapping[str, Any], problems: Sequence[Any]) -> dict[str, list[str]]:
    from vrgym.filter.steps import score_records

    samples = [json.loads(str(text)) for text in batch["sample"]]
    records = score_records(_problems_of(problems), samples)
    return {"score": [json.dumps(record) for record in records]}


# ---------------------------------------------------------------------------------------- executor


class RayExecutor:
    """Runs the sample and score steps on Ray (see the module docstring); use as a context manager.

    `address`: "local" (start a local instance; default), "auto", "host:port" or "ray://host:port".
    `actors`: model actors for actor backends (default one per node for openai, one per GPU engine).
    `model_factory`: builds the reference model in a worker (default: the model object is pickled).
    `num_cpus`: CPUs of a local instance this executor starts (default min(cpu count, 8)).
    `batch_size`: requests per sampling call; `score_batch_size`: samples per scoring task.
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        actors: int | None = None,
        model_factory: Callable[[], Any] | None = None,
        num_cpus: int | None = None,
        batch_size: int | None = None,
        score_batch_size: int = DEFAULT_SCORE_BATCH,
    ) -> None:
        self.address = address or LOCAL
        parse_address(self.address)  # a malformed address fails now, before any work
        self.actors = actors
        self.model_factory = model_factory
        self.num_cpus = num_cpus
        self.batch_size = batch_size
        self.score_batch_size = max(1, score_batch_size)
        self._ray: Any = None
        self._started = False
        self.last_plan: SamplingPlan | None = None

    # -- lifecycle

    def connect(self) -> Any:
        """Connect (once) and return the `ray` module."""
        if self._ray is None:
            ray = import_ray()
            self._started = connect(ray, self.address, self.num_cpus)
            if not self._started:
                _quiet_data(ray)
            self._ray = ray
        return self._ray

    def close(self) -> None:
        """Shut down the Ray instance if this executor started it (safe to call twice)."""
        if self._ray is not None and self._started:
            self._ray.shutdown()
        self._ray, self._started = None, False

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def describe(self) -> dict[str, Any]:
        """The execution detail for a run's manifest (it does not affect results)."""
        detail: dict[str, Any] = {"executor": "ray", "address": self.address}
        if self.actors is not None:
            detail["actors"] = self.actors
        if self._ray is not None:
            detail["ray_version"] = self._ray.__version__
            detail["cluster_cpus"] = self._ray.cluster_resources().get("CPU", 0)
            detail["cluster_gpus"] = self._ray.cluster_resources().get("GPU", 0)
        return detail

    def checks_model_remotely(self, backend: str) -> bool:
        """True when the model is checked in its actors (engines), so the driver must not load it."""
        return backend in GPU_BACKENDS

    # -- steps

    def plan(self, model: Any) -> SamplingPlan:
        """The sampling layout for `model` on the connected cluster."""
        ray = self.connect()
        described = model.describe()
        backend = str(described.get("backend"))
        options = getattr(self.model_factory, "keywords", None) or {}
        tp = int(options.get("tensor_parallel_size") or getattr(model, "llm_kwargs", {}).get("tensor_parallel_size") or 1)
        nodes = sum(1 for node in ray.nodes() if node.get("Alive"))
        concurrency = int(getattr(model, "concurrency", 1) or 1)
        return plan_sampling(
            backend, ray.cluster_resources(), nodes, actors=self.actors, concurrency=concurrency,
            gpus_per_engine=tp, batch_size=self.batch_size,
        )  # fmt: skip

    def sample(self, model: Any, requests: Iterable[Any]) -> Iterator[Any]:
        """Yield a `SampleResult` per request as the workers finish their batches (any order)."""
        ray = self.connect()
        rows = [{"request": _request_to_json(request)} for request in requests]
        if not rows:
            return
        plan = self.last_plan = self.plan(model)
        build = self.model_factory or _shipped(ray, model)
        batches = -(-len(rows) // plan.batch_size)
        blocks = max(1, min(batches, len(rows)))
        dataset = ray.data.from_items(rows, override_num_blocks=blocks)
        if plan.kind == "actors":
            check = self.checks_model_remotely(str(model.describe().get("backend")))
            mapped = dataset.map_batches(
                _ModelActor, fn_constructor_args=(build, check), batch_size=plan.batch_size, batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=min(plan.workers, blocks)), num_cpus=plan.num_cpus,
                num_gpus=plan.num_gpus or None,
            )  # fmt: skip
        else:
            mapped = dataset.map_batches(
                _sample_task, fn_kwargs={"build": build}, batch_size=plan.batch_size, batch_format="numpy",
                compute=ray.data.TaskPoolStrategy(size=min(plan.workers, blocks)), num_cpus=plan.num_cpus,
            )  # fmt: skip
        for batch in _stream(ray, mapped, "sampling"):
            for text in batch["result"]:
                yield _result_from_json(str(text))

    def score(
        self,
        problems: Mapping[str, Problem],
        samples: Sequence[Mapping[str, Any]],
        on_done: Callable[[int], None] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Yield a score record per sample record, verified in CPU tasks over blocks of samples."""
        if not samples:
            return
        ray = self.connect()
        needed = {s["problem"] for s in samples}
        ref = ray.put({pid: problems[pid].to_json() for pid in needed})
        rows = [{"sample": json.dumps(dict(s), ensure_ascii=False)} for s in samples]
        blocks = -(-len(rows) // self.score_batch_size)
        dataset = ray.data.from_items(rows, override_num_blocks=blocks)
        mapped = dataset.map_batches(
            _score_task, fn_kwargs={"problems": [ref]}, batch_size=self.score_batch_size, batch_format="numpy", num_cpus=1,
        )  # fmt: skip
        for batch in _stream(ray, mapped, "scoring"):
            records = [json.loads(str(text)) for text in batch["score"]]
            yield from records
            if on_done:
                on_done(len(records))


def _stream(ray: Any, dataset: Any, step: str) -> Iterator[Mapping[str, Any]]:
    """Batches of `dataset` as its blocks complete; a worker's failure becomes one readable error."""
    iterator = iter(dataset.iter_batches(batch_size=None, batch_format="numpy", prefetch_batches=0))
    try:
        while True:
            try:
                batch = next(iterator)
            except StopIteration:
                return
            except ray.exceptions.RayError as exc:
                cause = _root_cause(exc)
                if isinstance(cause, VrgymError):
                    raise cause from None
                raise RayUnavailableError(f"{step} failed on a Ray worker: {_error_line(exc, cause)}") from None
            yield batch
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()  # stops the streaming execution: closing the run cancels the cluster's work


def _root_cause(exc: BaseException) -> BaseException:
    """The user's exception inside Ray's wrappers (RayTaskError → UserCodeException → the cause)."""
    seen: set[int] = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = getattr(exc, "cause", None) or exc.__cause__
        if inner is None:
            break
        exc = inner
    return exc


_ERROR_LINE = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt)): (.*)$")


def _error_line(exc: BaseException, cause: BaseException) -> str:
    """'Type: message' of the user's error; Ray sometimes keeps it only in the text of its wrapper."""
    if type(cause).__name__ not in ("UserCodeException", "RayTaskError") and str(cause).strip():
        return f"{type(cause).__name__}: {str(cause).strip().splitlines()[0]}"
    for line in str(exc).splitlines():
        match = _ERROR_LINE.match(line.strip())
        if match and not match.group(1).endswith(("UserCodeException", "RayTaskError")):
            return f"{match.group(1).rsplit('.', 1)[-1]}: {match.group(2)}"
    return f"{type(cause).__name__}: {str(cause).strip().splitlines()[0] if str(cause).strip() else ''}"


def _shipped(ray: Any, model: Any) -> Callable[[], Any]:
    """A factory returning a copy of `model` in the worker (the model object must pickle)."""
    try:
        blob = ray.cloudpickle.dumps(model)
    except Exception as exc:  # noqa: BLE001  (cloudpickle raises many types)
        raise RayUnavailableError(
            f"the {type(model).__name__} model cannot be sent to Ray workers ({exc}); give RayExecutor a "
            "model_factory that builds it, e.g. functools.partial(vrgym.models.make_model, backend, name, **options)"
        ) from None
    return _Unpickle(blob)


@dataclass(frozen=True)
class _Unpickle:
    """Rebuilds a pickled model in the worker (a fresh copy per worker)."""

    blob: bytes

    def __call__(self) -> Any:
        import ray.cloudpickle

        return ray.cloudpickle.loads(self.blob)
