"""Reference model run by Hugging Face transformers' `generate`, one seeded sample at a time.

For small models on a CPU, unit tests, and checkpoints that no server can load. It is one to two
orders of magnitude slower than vLLM for "k samples x many prompts" (no continuous batching, no
shared prompt cache), so use a server or the vllm backend for real filtering runs.

Each sample is generated under `torch.manual_seed(seed)` inside a forked RNG state, so a sample
depends only on (model, prompt, seed, params) and the caller's global torch RNG is left alone.
transformers and torch are imported only when this backend is built.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from vrgym.models.base import (
    FINISH_LENGTH,
    FINISH_STOP,
    ModelError,
    ModelUnavailableError,
    ReferenceModel,
    Sample,
    SampleRequest,
    SampleResult,
    SamplingParams,
    chat_messages,
    import_optional,
)

INSTALL = "pip install 'vrgym[hf]' torch"


class HFModel(ReferenceModel):
    """Samples with `transformers` `model.generate`.

    `model` is a hub name or local path (loaded with `AutoModelForCausalLM.from_pretrained` on
    first use), or an already built model object (then pass `tokenizer=` too). Options:
    `revision`, `tokenizer` (object or name; default: same as the model), `endpoint` ("auto":
    chat template if the tokenizer has one, else the prompt verbatim; "chat"; "completions"),
    `system_prompt`, `device` (default "cpu"), `dtype` (e.g. "bfloat16"), `trust_remote_code`.
    """

    backend = "hf"

    def __init__(self, model: Any, *, revision: str | None = None, tokenizer: Any = None, endpoint: str = "auto",
                 system_prompt: str | None = None, device: str = "cpu", dtype: str | None = None,
                 trust_remote_code: bool = False) -> None:
        if model is None or model == "":
            raise ModelError("the hf backend needs a model name, a local path or a model object (--model NAME)")
        if endpoint not in ("auto", "chat", "completions"):
            raise ModelError(f"endpoint must be 'auto', 'chat' or 'completions', got {endpoint!r}")
        self.torch = import_optional("torch", INSTALL, "hf")
        self.transformers = import_optional("transformers", INSTALL, "hf")
        self.model_name = model if isinstance(model, str) else type(model).__name__
        self.revision = revision
        self.endpoint = endpoint
        self.system_prompt = system_prompt
        self.device = device
        self.dtype = dtype
        self.trust_remote_code = trust_remote_code
        self._owns_model = isinstance(model, str)
        self._model = None if self._owns_model else model
        self._tokenizer = tokenizer if not isinstance(tokenizer, str) else None
        self._tokenizer_name = tokenizer if isinstance(tokenizer, str) else (model if isinstance(model, str) else None)
        if self._model is not None and self._tokenizer is None and self._tokenizer_name is None:
            raise ModelError("a model object needs its tokenizer: pass tokenizer=<tokenizer object or name>")

    def _load(self) -> tuple[Any, Any]:
        """Model and tokenizer, loading them on first use."""
        kwargs: dict[str, Any] = {"revision": self.revision, "trust_remote_code": self.trust_remote_code}
        if self._tokenizer is None:
            self._tokenizer = self.transformers.AutoTokenizer.from_pretrained(self._tokenizer_name, **kwargs)
        if self._model is None:
            if self.dtype is not None:
                kwargs["dtype"] = getattr(self.torch, self.dtype)
            self._model = self.transformers.AutoModelForCausalLM.from_pretrained(self.model_name, **kwargs)
            self._model.to(self.device)
        self._model.eval()
        return self._model, self._tokenizer

    def describe(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "model": self.model_name,
            "revision": self.revision,
            "endpoint": self.endpoint,
            "system_prompt": self.system_prompt,
            "device": self.device,
            "dtype": self.dtype,
            "transformers_version": getattr(self.transformers, "__version__", None),
            "torch_version": getattr(self.torch, "__version__", None),
        }

    def check(self) -> None:
        """Load model and tokenizer now, so a wrong name or path fails before any work."""
        try:
            self._load()
        except Exception as exc:  # noqa: BLE001  (transformers raises OSError, ValueError, …)
            raise ModelUnavailableError(f"transformers could not load {self.model_name!r}: {exc}") from exc

    def close(self) -> None:
        """Drop a model this backend loaded itself (a model object passed in stays the caller's)."""
        if self._owns_model:
            self._model = None

    def _encode(self, tokenizer: Any, prompt: str) -> Any:
        chat = self.endpoint == "chat" or (self.endpoint == "auto" and getattr(tokenizer, "chat_template", None))
        if chat:
            text = tokenizer.apply_chat_template(chat_messages(prompt, self.system_prompt), tokenize=False,
                                                 add_generation_prompt=True)
            return tokenizer(text, return_tensors="pt", add_special_tokens=False)
        return tokenizer(prompt, return_tensors="pt")

    def generate(self, requests: Iterable[SampleRequest]) -> Iterator[SampleResult]:
        """One request at a time, one seeded `generate` call per sample, results in request order."""
        for request in requests:
            if not isinstance(request, SampleRequest):
                raise TypeError(f"generate() takes SampleRequest objects, got {type(request).__name__}")
            yield self._run(request)

    def _run(self, request: SampleRequest) -> SampleResult:
        torch = self.torch
        try:
            model, tokenizer = self._load()
            enc = self._encode(tokenizer, request.prompt).to(model.device)
        except Exception as exc:  # noqa: BLE001
            return SampleResult(request.key, (), f"transformers could not prepare the prompt: {exc!r}")
        samples = []
        for seed in request.seeds:
            try:
                with torch.random.fork_rng(devices=[]), torch.no_grad():
                    torch.manual_seed(seed)
                    out = model.generate(**enc, **self._generation_kwargs(request.params, tokenizer))
            except Exception as exc:  # noqa: BLE001
                return SampleResult(request.key, tuple(samples), f"transformers generate failed for seed {seed}: {exc!r}")
            samples.append(self._sample(out[0, enc["input_ids"].shape[1]:].tolist(), seed, request.params, tokenizer))
        return SampleResult(request.key, tuple(samples))

    @staticmethod
    def _generation_kwargs(params: SamplingParams, tokenizer: Any) -> dict[str, Any]:
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        kwargs: dict[str, Any] = {"max_new_tokens": params.max_tokens, "pad_token_id": pad, **params.extra}
        if params.temperature > 0:
            kwargs.update(do_sample=True, temperature=params.temperature, top_p=params.top_p)
        else:
            kwargs["do_sample"] = False
        return kwargs

    @staticmethod
    def _sample(new_ids: list[int], seed: int, params: SamplingParams, tokenizer: Any) -> Sample:
        """Decode the generated ids: cut at EOS or the first stop string ("stop"), else "length" if full."""
        eos = tokenizer.eos_token_id
        finish = FINISH_LENGTH if len(new_ids) >= params.max_tokens else FINISH_STOP
        if eos is not None and eos in new_ids:
            new_ids, finish = new_ids[: new_ids.index(eos)], FINISH_STOP
        text = tokenizer.decode(new_ids, skip_special_tokens=True)
        cuts = [i for i in (text.find(s) for s in params.stop) if i >= 0]
        if cuts:
            text, finish = text[: min(cuts)], FINISH_STOP
        return Sample(text, seed, finish, len(new_ids))
