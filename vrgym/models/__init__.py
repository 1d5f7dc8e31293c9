"""Reference models for the pass@k difficulty filter: one small interface, several backends.

    from vrgym.models import SampleRequest, SamplingParams, make_model

    with make_model("openai", "Qwen/Qwen3-0.6B", base_url="http://127.0.0.1:8000/v1") as model:
        model.check()                                   # fails fast, before any work
        reqs = [SampleRequest(p.id, p.prompt, seeds=(1, 2, 3, 4), params=SamplingParams(max_tokens=4096))
                for p in problems]
        for result in model.generate(reqs):             # results stream as they complete
            ...

Backends (each module is imported only when used, so `import vrgym.models` loads no httpx,
torch or vllm):

- ``"openai"``: any OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama, hosted APIs),
  chat or completions endpoint (`vrgym.models.openai`);
- ``"vllm"``: vLLM offline `LLM.generate` in this process (`vrgym.models.vllm`);
- ``"hf"``: transformers `generate`, for small models and tests (`vrgym.models.hf`);
- ``"callable"``: any Python function `fn(prompt, seed, params) -> str` (`vrgym.models.callable`).
"""

from __future__ import annotations

import importlib
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
)

BACKENDS: dict[str, str] = {
    "openai": "vrgym.models.openai:OpenAIModel",
    "vllm": "vrgym.models.vllm:VLLMModel",
    "hf": "vrgym.models.hf:HFModel",
    "callable": "vrgym.models.callable:CallableModel",
}
"""Backend name -> "module:class" of its `ReferenceModel`, imported on first use."""


def make_model(backend: str, model: str | None = None, **options: Any) -> ReferenceModel:
    """Build the reference model `model` served by `backend`; options go to the backend class.

    The backend's module is imported here, not at `import vrgym.models`, so choosing "openai"
    never loads torch and choosing "hf" never loads httpx. See each backend's class for options.
    """
    target = BACKENDS.get(backend)
    if target is None:
        raise ModelError(f"unknown model backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
    module_name, class_name = target.split(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    return cls(model, **options)


__all__ = [
    "BACKENDS",
    "FINISH_LENGTH",
    "FINISH_STOP",
    "ModelError",
    "ModelUnavailableError",
    "ReferenceModel",
    "Sample",
    "SampleRequest",
    "SampleResult",
    "SamplingParams",
    "make_model",
]
