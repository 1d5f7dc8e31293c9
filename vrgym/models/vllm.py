"""Reference model run in this process by vLLM's offline engine (`vllm.LLM.generate` / `LLM.chat`).

The fastest way to sample k responses for many prompts on one GPU node: continuous batching, the
prompt's KV cache shared by its samples (prefix caching), no HTTP. vLLM is imported only when
this backend is built; without it the error names the install command.

Each sample gets its own `vllm.SamplingParams(n=1, seed=s)` by default, so results do not depend
on batch composition (`n_per_request > 1` asks for n samples from one seed instead; vLLM shares the
prompt either way). `max_tokens` is always passed: vLLM's default of 16 would truncate everything.
Every output is checked to have exactly n samples (vLLM V1 once returned one for n > 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from vrgym.models.base import (
    ModelError,
    ModelUnavailableError,
    ReferenceModel,
    Sample,
    SampleRequest,
    SampleResult,
    SamplingParams,
    batched,
    chat_messages,
    import_optional,
    seed_chunks,
)

INSTALL = "pip install 'vrgym[vllm]'"


def to_vllm_params(vllm: Any, params: SamplingParams, seeds: tuple[int, ...]) -> Any:
    """The `vllm.SamplingParams` for one call: n = len(seeds), seeded by the first seed, extras passed on."""
    return vllm.SamplingParams(
        n=len(seeds),
        seed=seeds[0],
        temperature=params.temperature,
        top_p=params.top_p,
        max_tokens=params.max_tokens,
        stop=list(params.stop) or None,
        **params.extra,
    )


class VLLMModel(ReferenceModel):
    """Samples with an in-process `vllm.LLM`.

    Options: `revision`, `endpoint` ("chat": `LLM.chat` with the model's chat template;
    "completions": the prompt verbatim), `system_prompt` (chat only), `n_per_request` (samples per
    vLLM request; 1 = one seed per sample), `batch_size` (requests handed to vLLM at once; results
    stream per batch), `llm` (an already built `vllm.LLM` to reuse), and any other keyword
    (`tensor_parallel_size`, `max_model_len`, `gpu_memory_utilization`, `enable_prefix_caching`,
    `seed`, …) goes to `vllm.LLM(...)`.
    """

    backend = "vllm"

    def __init__(self, model: str | None, *, revision: str | None = None, endpoint: str = "chat",
                 system_prompt: str | None = None, n_per_request: int = 1, batch_size: int = 256,
                 llm: Any = None, **llm_kwargs: Any) -> None:
        if not model and llm is None:
            raise ModelError("the vllm backend needs a model name or path (--model NAME)")
        if endpoint not in ("chat", "completions"):
            raise ModelError(f"endpoint must be 'chat' or 'completions', got {endpoint!r}")
        if system_prompt is not None and endpoint != "chat":
            raise ModelError("system_prompt needs the chat endpoint; with completions put it in the prompt itself")
        for name, value in (("n_per_request", n_per_request), ("batch_size", batch_size)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ModelError(f"{name} must be an integer >= 1, got {value!r}")
        self.vllm = import_optional("vllm", INSTALL, "vllm")
        self.model = model or str(getattr(llm, "model", "?"))
        self.revision = revision
        self.endpoint = endpoint
        self.system_prompt = system_prompt
        self.n_per_request = n_per_request
        self.batch_size = batch_size
        self.llm_kwargs = llm_kwargs
        self._llm = llm

    @property
    def llm(self) -> Any:
        """The engine, built on first use (loading weights is the slow part)."""
        if self._llm is None:
            kwargs = dict(self.llm_kwargs)
            if self.revision is not None:
                kwargs.setdefault("revision", self.revision)
                kwargs.setdefault("tokenizer_revision", self.revision)
            self._llm = self.vllm.LLM(model=self.model, **kwargs)
        return self._llm

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "model": self.model,
            "revision": self.revision,
            "vllm_version": getattr(self.vllm, "__version__", None),
            "endpoint": self.endpoint,
            "system_prompt": self.system_prompt,
            "n_per_request": self.n_per_request,
            "llm_kwargs": {k: v if isinstance(v, (str, int, float, bool, type(None))) else repr(v)
                           for k, v in self.llm_kwargs.items()},
        }

    def check(self) -> None:
        """Build the engine now, so a wrong model name or too little GPU memory fails before any work."""
        try:
            self.llm  # noqa: B018  (property with the side effect of loading)
        except Exception as exc:  # noqa: BLE001  (vLLM raises many types; all mean "cannot serve")
            raise ModelUnavailableError(f"vLLM could not load model {self.model!r}: {exc}") from exc

    def close(self) -> None:
        self._llm = None

    def generate(self, requests: Iterable[SampleRequest]) -> Iterator[SampleResult]:
        """Hand `batch_size` requests at a time to vLLM; yield their results batch by batch, in order."""
        for batch in batched(requests, self.batch_size):
            for request in batch:
                if not isinstance(request, SampleRequest):
                    raise TypeError(f"generate() takes SampleRequest objects, got {type(request).__name__}")
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[SampleRequest]) -> Iterator[SampleResult]:
        step = self.n_per_request
        calls = [(i, chunk) for i, r in enumerate(batch) for chunk in seed_chunks(r.seeds, step)]
        params = [to_vllm_params(self.vllm, batch[i].params, chunk) for i, chunk in calls]
        try:
            if self.endpoint == "chat":
                convs = [chat_messages(batch[i].prompt, self.system_prompt) for i, _ in calls]
                outputs = self.llm.chat(convs, sampling_params=params, use_tqdm=False)
            else:
                outputs = self.llm.generate([batch[i].prompt for i, _ in calls], sampling_params=params, use_tqdm=False)
        except Exception as exc:  # noqa: BLE001  (one failed batch is reported per request, not raised)
            for r in batch:
                yield SampleResult(r.key, (), f"vLLM generate failed: {exc!r}")
            return
        samples: list[list[Sample]] = [[] for _ in batch]
        errors: list[str | None] = [None] * len(batch)
        for (i, chunk), out in zip(calls, outputs):
            completions = list(getattr(out, "outputs", []))
            if len(completions) != len(chunk):
                errors[i] = errors[i] or f"vLLM returned {len(completions)} of {len(chunk)} samples (see vllm#14280)"
            for seed, c in zip(chunk, completions):
                tokens = getattr(c, "token_ids", None)
                samples[i].append(Sample(str(c.text), seed, str(c.finish_reason or "unknown"),
                                         len(tokens) if tokens is not None else None))
        if len(outputs) != len(calls):
            for i in {i for i, _ in calls[len(outputs):]}:
                errors[i] = errors[i] or f"vLLM returned {len(outputs)} outputs for {len(calls)} prompts"
        for r, got, err in zip(batch, samples, errors):
            yield SampleResult(r.key, tuple(got), err)
